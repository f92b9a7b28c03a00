import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { createCrmConnector } from '../../../../functions/integrations/crm/crm-connector';
import { CRM_NAMES, CRM_REGISTRY } from '../../../../functions/integrations/crm-registry';

/** A fetch that records the URLs asked for and answers like Wealthbox's `GET /v1/me`. */
function recordingFetch() {
  const urls: string[] = [];
  const fetch: typeof globalThis.fetch = async (input) => {
    urls.push(input instanceof Request ? input.url : String(input));
    return Response.json({ id: 7, name: 'Sarah Chen', email: null, current_user: null });
  };
  return { urls, fetch };
}

describe('the CRM registry', () => {
  it.each(CRM_NAMES)('%s documents every connect field, and a refusal names one of them', (name) => {
    const integration = CRM_REGISTRY[name];
    const fields = Object.keys((integration.connectBody as z.ZodObject).shape);
    expect(Object.keys(integration.connectFields)).toEqual(fields);
    expect(fields.map((field) => `body.${field}`)).toContain(integration.refusedField);
  });

  it.each(CRM_NAMES)('%s stores credentials tagged with its registry name', (name) => {
    const shape = (CRM_REGISTRY[name].credentials as unknown as z.ZodObject).shape;
    expect((shape.provider as z.ZodLiteral).value).toBe(name);
  });
});

describe('createCrmConnector', () => {
  const options = { baseUrls: {}, timeoutMs: 1000, maxAttempts: 1 };

  it('names a CRM no integration provides, for connecting and for stored credentials', () => {
    const connector = createCrmConnector(options);
    expect(() => connector.connection('orion')).toThrow('No CRM integration is named "orion".');
    expect(() => connector.provider({ provider: 'orion', apiToken: 't' })).toThrow('"orion"');
    expect(() => connector.connection('toString')).toThrow('"toString"');
  });

  it("refuses stored credentials that do not fit their CRM's schema, before any call", () => {
    const { urls, fetch } = recordingFetch();
    const connector = createCrmConnector({ ...options, fetch });
    expect(() => connector.provider({ provider: 'wealthbox', apiKey: 'misplaced' })).toThrow(z.ZodError);
    expect(urls).toEqual([]);
  });

  it("calls the configured base URL of a CRM, and the integration's own default otherwise", async () => {
    const configured = recordingFetch();
    await createCrmConnector({
      ...options,
      baseUrls: { wealthbox: 'http://127.0.0.1:4010' },
      fetch: configured.fetch,
    })
      .provider({ provider: 'wealthbox', apiToken: 't' })
      .verifyCredentials();
    expect(configured.urls).toEqual(['http://127.0.0.1:4010/v1/me']);
    const byDefault = recordingFetch();
    await createCrmConnector({ ...options, fetch: byDefault.fetch })
      .provider({ provider: 'wealthbox', apiToken: 't' })
      .verifyCredentials();
    expect(byDefault.urls).toEqual(['https://api.crmworkspace.com/v1/me']);
  });

  it('turns a connect request into the credentials its integration stores', async () => {
    const connection = createCrmConnector(options).connection('wealthbox');
    expect(connection.refusedField).toBe('body.api_token');
    expect(connection.body.safeParse({}).success).toBe(false);
    await expect(connection.credentials({ api_token: 'wb-token' })).resolves.toEqual({
      provider: 'wealthbox',
      apiToken: 'wb-token',
    });
  });
});
