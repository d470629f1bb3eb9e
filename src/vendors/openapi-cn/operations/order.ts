/** STUB: order module (being written). */
export const orderOperations = [];
export const orderJobs = {};
