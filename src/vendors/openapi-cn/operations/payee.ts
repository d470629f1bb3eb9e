/** STUB: payee module (being written). */
export const payeeOperations = [];
export const payeeJobs = {};
