import { beforeEach, describe, expect, it, vi } from 'vitest';
import {
  clearSalesforceSessions,
  forgetSalesforceSession,
  salesforceSession,
  salesforceSessionKey,
} from '../../../../functions/integrations/salesforce/salesforce-token-cache';

const session = (n: number) => ({ accessToken: `t${n}`, instanceUrl: 'https://acme.my.salesforce.com' });

beforeEach(() => {
  clearSalesforceSessions();
});

describe('Salesforce token cache', () => {
  it('keys by origin, client id and secret, without the secret in the clear', () => {
    const key = salesforceSessionKey('https://a.my.salesforce.com', 'id', 'secret-value');
    expect(key).not.toContain('secret-value');
    expect(key).not.toBe(salesforceSessionKey('https://a.my.salesforce.com', 'id', 'other'));
    expect(key).not.toBe(salesforceSessionKey('https://b.my.salesforce.com', 'id', 'secret-value'));
    expect(key).toBe(salesforceSessionKey('https://a.my.salesforce.com', 'id', 'secret-value'));
  });

  it('fetches once for concurrent callers and reuses the session', async () => {
    const fetchSession = vi.fn(async () => session(1));
    const [a, b] = await Promise.all([
      salesforceSession('k', fetchSession),
      salesforceSession('k', fetchSession),
    ]);
    expect(a).toBe(b);
    await salesforceSession('k', fetchSession);
    expect(fetchSession).toHaveBeenCalledTimes(1);
  });

  it('does not cache a failed token request', async () => {
    await expect(salesforceSession('k', async () => Promise.reject(new Error('down')))).rejects.toThrow(
      'down',
    );
    await expect(salesforceSession('k', async () => session(2))).resolves.toEqual(session(2));
  });

  it('forgets only the session it was told about, not a newer one', async () => {
    const first = await salesforceSession('k', async () => session(1));
    await forgetSalesforceSession('k', first);
    const second = await salesforceSession('k', async () => session(2));
    await forgetSalesforceSession('k', first);
    await expect(salesforceSession('k', async () => session(3))).resolves.toBe(second);
  });
});
