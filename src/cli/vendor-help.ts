/**
 * The help texts that name vendors, built from the registered ones. The client loads the vendor modules
 * only to show help (they are most of its start-up time); otherwise the texts point to the running
 * sandbox's own lists, which are also right for a sandbox serving other vendors than this package's.
 */
import type { VendorModule } from '../core/vendor.js';

export type VendorSummary = Pick<VendorModule, 'slug' | 'outcomes'>;

export interface VendorHelp {
  /** What a `<vendor>` argument may be. */
  vendor: string;
  /** What an outcome's `<kind>` may be, per vendor. */
  kinds: string;
}

export function vendorHelp(vendors?: readonly VendorSummary[]): VendorHelp {
  if (!vendors)
    return { vendor: 'a vendor slug (GET /__sandbox/health lists them)', kinds: 'a kind of pending record (GET /__sandbox/outcomes lists them per vendor)' };
  const slugs = vendors.map((v) => v.slug);
  const kinds = vendors.filter((v) => v.outcomes && Object.keys(v.outcomes).length > 0).map((v) => `${Object.keys(v.outcomes!).join(', ')} (${v.slug})`);
  return {
    vendor: slugs.length > 1 ? `${slugs.slice(0, -1).join(', ')} or ${slugs.at(-1)}` : (slugs[0] ?? 'none registered'),
    kinds: kinds.join('; ') || 'none registered',
  };
}

/** Whether the command line asks for help (then the caller passes the registered vendors to runClient). */
export function wantsClientHelp(argv: readonly string[]): boolean {
  return argv[0] === 'help' || argv.includes('--help') || argv.includes('-h');
}
