/** The vendor port lives in the core (src/core/vendor.ts); vendor folders import it from here. */
export * from '../core/vendor.js';
