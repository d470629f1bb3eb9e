/** STUB: payMethod module (being written). */
export const payMethodOperations = [];
