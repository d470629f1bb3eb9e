/** The vendor and merchant filters several views share; the merchants offered are the chosen vendor's. */
import { Choice } from './components.js';
import type { Tenant } from './types.js';

export function VendorAndMerchant(props: {
  vendors: string[];
  tenants: Tenant[];
  vendor: string | undefined;
  tenant: string | undefined;
  onChange: (change: { vendor?: string; tenant?: string }) => void;
}) {
  const { vendor, tenant, onChange } = props;
  return (
    <>
      <Choice
        label="Vendor"
        name="vendor"
        value={vendor}
        options={props.vendors}
        all="All vendors"
        onChange={(v) => onChange({ vendor: v, tenant: undefined })}
      />
      <Choice
        label="Merchant"
        name="tenant"
        value={tenant}
        options={props.tenants.filter((t) => !vendor || t.vendor === vendor).map((t) => t.id)}
        all="All merchants"
        onChange={(t) => onChange({ vendor, tenant: t })}
      />
    </>
  );
}
