import { describe, expect, it } from 'vitest';
import { vetSalesforceDomain } from '../../../../functions/integrations/salesforce/salesforce-domain';

describe('vetSalesforceDomain', () => {
  it.each([
    ['https://acme.my.salesforce.com', 'https://acme.my.salesforce.com'],
    ['https://ACME.my.salesforce.com/', 'https://acme.my.salesforce.com'],
    ['https://acme--uat.sandbox.my.salesforce.com/some/path', 'https://acme--uat.sandbox.my.salesforce.com'],
    ['https://acme.develop.my.salesforce.com', 'https://acme.develop.my.salesforce.com'],
  ])('accepts the My Domain %s', (url, origin) => {
    expect(vetSalesforceDomain(url)).toEqual({ ok: true, origin });
  });

  it.each([
    ['http://acme.my.salesforce.com', /https/],
    ['https://acme.my.salesforce.com.evil.com', /My Domain/],
    ['https://my.salesforce.com', /My Domain/],
    ['https://evil.com/acme.my.salesforce.com', /My Domain/],
    ['https://acme.salesforce.com', /My Domain/],
    ['https://login.salesforce.com', /My Domain/],
    ['https://acme.my.salesforce.com:8443', /port/],
    ['https://user:pw@acme.my.salesforce.com', /user name/],
    ['https://-.my.salesforce.com', /My Domain/],
    ['not a url', /not a URL/],
  ])('refuses %s', (url, reason) => {
    const check = vetSalesforceDomain(url);
    expect(check.ok).toBe(false);
    if (!check.ok) expect(check.reason).toMatch(reason);
  });

  it('with an override (fakes), accepts any URL and answers with the override origin', () => {
    expect(vetSalesforceDomain('https://acme.my.salesforce.com', 'http://127.0.0.1:4567/')).toEqual({
      ok: true,
      origin: 'http://127.0.0.1:4567',
    });
  });

  it('even with an override, refuses credentials in the URL', () => {
    expect(vetSalesforceDomain('http://u:p@127.0.0.1:1', 'http://127.0.0.1:1').ok).toBe(false);
  });
});
