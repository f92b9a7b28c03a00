import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { CrmCredentials, CrmProvider, CrmTaskInput } from '../../../../functions/core/crm/crm-provider';
import {
  type CrmConnectorOptions,
  createCrmProvider,
} from '../../../../functions/integrations/crm/crm-connector';
import { clearSalesforceSessions } from '../../../../functions/integrations/salesforce/salesforce-token-cache';
import type { FakeCrmControl } from '../../../fakes/crm-fake-server';
import { type FakeRedtail, startFakeRedtail } from '../../../fakes/redtail-server';
import { type FakeSalesforce, startFakeSalesforce } from '../../../fakes/salesforce-server';
import { type FakeWealthbox, startFakeWealthbox } from '../../../fakes/wealthbox-server';

let wealthbox: FakeWealthbox;
let redtail: FakeRedtail;
let salesforce: FakeSalesforce;
let options: CrmConnectorOptions;

beforeAll(async () => {
  [wealthbox, redtail, salesforce] = await Promise.all([
    startFakeWealthbox(),
    startFakeRedtail(),
    startFakeSalesforce(),
  ]);
  options = {
    baseUrls: { wealthbox: wealthbox.baseUrl, redtail: redtail.baseUrl, salesforce: salesforce.baseUrl },
    timeoutMs: 2000,
    maxAttempts: 3,
  };
});
afterAll(async () => {
  await Promise.all([wealthbox.close(), redtail.close(), salesforce.close()]);
});
beforeEach(() => {
  clearSalesforceSessions();
  for (const fake of [wealthbox, redtail, salesforce]) fake.resetRequests();
});

const cases = (): { name: string; fake: FakeCrmControl; credentials: CrmCredentials }[] => [
  {
    name: 'wealthbox',
    fake: wealthbox,
    credentials: { provider: 'wealthbox', apiToken: wealthbox.apiToken },
  },
  {
    name: 'redtail',
    fake: redtail,
    credentials: { provider: 'redtail', apiKey: redtail.apiKey, userKey: redtail.userKey },
  },
  {
    name: 'salesforce',
    fake: salesforce,
    credentials: {
      provider: 'salesforce',
      clientId: salesforce.clientId,
      clientSecret: salesforce.clientSecret,
      myDomainUrl: 'https://acme.my.salesforce.com',
    },
  },
];

/** What the sync does for one meeting: find the client, one note on them, one task per action item. */
async function syncOneMeeting(crm: CrmProvider, meetingId: string, actionItems: number): Promise<void> {
  const [contact] = await crm.findContacts({ name: 'Margaret Okafor' });
  if (!contact) throw new Error('seeded contact not found');
  await crm.createNote({
    contactId: contact.id,
    subject: 'Review',
    body: 'Notes',
    externalId: `${meetingId}:note`,
  });
  const tasks: CrmTaskInput[] = Array.from({ length: actionItems }, (_, i) => ({
    contactId: contact.id,
    title: `Item ${i + 1}`,
    priority: 'medium',
    dueDate: '2026-06-01',
    externalId: `${meetingId}:task:${i + 1}`,
  }));
  await crm.createTasks(tasks);
}

describe('API calls per meeting (the benchmark target: ≤ 2 + action items)', () => {
  it.each([0, 1, 4])('each provider makes at most 2 + %i calls for a warm meeting', async (actionItems) => {
    for (const { fake, credentials } of cases()) {
      // A first meeting warms the Salesforce token cache, as a warm Lambda would be.
      await syncOneMeeting(createCrmProvider(credentials, options), 'warm-up', 0);
      fake.resetRequests();
      await syncOneMeeting(createCrmProvider(credentials, options), `m-${actionItems}`, actionItems);
      expect({ provider: credentials.provider, calls: fake.totalRequests() }).toEqual({
        provider: credentials.provider,
        calls: 2 + actionItems,
      });
    }
  });

  it('a cold Salesforce start adds exactly one token request', async () => {
    await syncOneMeeting(createCrmProvider(cases()[2]?.credentials as CrmCredentials, options), 'cold', 2);
    expect(salesforce.counts()).toEqual({
      'POST /services/oauth2/token': 1,
      'GET /services/data/v62.0/query': 1,
      'POST /services/data/v62.0/composite': 1,
      'POST /services/data/v62.0/sobjects/Task': 2,
    });
  });

  it('a name with nothing to search for makes no call and finds nobody', async () => {
    for (const { fake, credentials } of cases()) {
      await expect(createCrmProvider(credentials, options).findContacts({ name: '  ' })).resolves.toEqual([]);
      expect(fake.totalRequests()).toBe(0);
    }
  });
});
