/** The emulated vendors, in mount order. Adding a vendor is one line here plus its folder. */
import type { VendorModule } from '../core/vendor.js';
import { finext } from './finext/index.js';
import { onerway } from './onerway/index.js';
import { openapiCn } from './openapi-cn/index.js';

export const VENDORS: readonly VendorModule[] = [onerway, finext, openapiCn];
