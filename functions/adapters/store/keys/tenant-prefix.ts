import * as z from 'zod';

/** Tenant ids are opaque, URL-safe and never contain the `#` key separator. */
export const TenantIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1–64 of A–Z a–z 0–9 _ -');

/**
 * Every key in the table starts with this: `T#<tenant>#`. Entity key builders call it; the tenant store checks
 * every key it writes or reads against it, so a key builder bug cannot cross tenants.
 */
export function tenantPrefix(tenantId: string): string {
  return `T#${TenantIdSchema.parse(tenantId)}#`;
}
