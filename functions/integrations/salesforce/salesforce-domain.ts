export type SalesforceDomainCheck = { ok: true; origin: string } | { ok: false; reason: string };

/**
 * Whether a Salesforce URL an adviser gave us (their My Domain) may receive their client credentials: `https`,
 * no user info, the default port, and a host ending in `.my.salesforce.com` (production, and sandboxes such as
 * `acme--uat.sandbox.my.salesforce.com`). Anything else could send the secret to a host that is not Salesforce.
 * With `overrideBaseUrl` (tests and local fakes) any URL passes and the origin to call is the override's.
 */
export function vetSalesforceDomain(url: string, overrideBaseUrl?: string): SalesforceDomainCheck {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { ok: false, reason: 'is not a URL' };
  }
  if (parsed.username || parsed.password)
    return { ok: false, reason: 'must not carry a user name or password' };
  // Every call goes to the override, whatever the connection names, so the name itself is not checked.
  if (overrideBaseUrl !== undefined) return { ok: true, origin: new URL(overrideBaseUrl).origin };
  if (parsed.protocol !== 'https:') return { ok: false, reason: 'must use https' };
  if (parsed.port !== '') return { ok: false, reason: 'must not name a port' };
  const host = parsed.hostname.toLowerCase();
  const label = host.slice(0, -'.my.salesforce.com'.length);
  if (!host.endsWith('.my.salesforce.com') || !/^[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?$/.test(label)) {
    return { ok: false, reason: 'must be your Salesforce My Domain (https://<domain>.my.salesforce.com)' };
  }
  return { ok: true, origin: parsed.origin };
}
