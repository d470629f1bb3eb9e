/** STUB: payment module (being written). */
export const paymentOperations = [];
export const paymentJobs = {};
