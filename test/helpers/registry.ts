/**
 * The vendors the tests register: the package's own (src/vendors/index.ts) and the tests' fake one. Kept
 * apart from the profiles (registered.ts), which import the vendors' test helpers, so that any helper may
 * import this list.
 */
import { Contracts, CONTRACTS_DIR } from '../../src/core/contracts.js';
import type { VendorModule } from '../../src/core/vendor.js';
import { VENDORS } from '../../src/vendors/index.js';
import { fakebank } from '../fake-vendor/index.js';

/** The registry line of the tests: the package's vendors and the fake one. */
export const REGISTERED: readonly VendorModule[] = [...VENDORS, fakebank];

/** The package's contracts and those of the vendors that bring their own folder, as createSandbox loads them. */
export function registeredContracts(vendors: readonly VendorModule[]): Contracts {
  return Contracts.load([CONTRACTS_DIR, ...vendors.flatMap((v) => (v.contractsDir ? [v.contractsDir] : []))]);
}
