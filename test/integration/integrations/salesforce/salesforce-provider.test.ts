import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { CrmProvider } from '../../../../functions/core/crm/crm-provider';
import { readRecordMarker } from '../../../../functions/core/crm/crm-record-marker';
import { createCrmProvider } from '../../../../functions/integrations/crm/crm-connector';
import type { CrmHttpError } from '../../../../functions/integrations/crm/crm-http-client';
import { clearSalesforceSessions } from '../../../../functions/integrations/salesforce/salesforce-token-cache';
import { type FakeSalesforce, startFakeSalesforce } from '../../../fakes/salesforce-server';

let fake: FakeSalesforce;
let sleeps: number[];
const MY_DOMAIN = 'https://acme.my.salesforce.com';

beforeAll(async () => {
  fake = await startFakeSalesforce();
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => {
  clearSalesforceSessions();
});
afterEach(() => {
  fake.resetRequests();
  fake.clearFaults();
  fake.refuseCredentials(false);
  fake.notes.length = 0;
  fake.links.length = 0;
  fake.tasks.length = 0;
  fake.queries.length = 0;
  fake.parsedQueries.length = 0;
});

function provider(
  credentials: { clientSecret?: string; myDomainUrl?: string } = {},
  override = true,
): CrmProvider {
  sleeps = [];
  return createCrmProvider(
    {
      provider: 'salesforce',
      clientId: fake.clientId,
      clientSecret: credentials.clientSecret ?? fake.clientSecret,
      myDomainUrl: credentials.myDomainUrl ?? MY_DOMAIN,
    },
    {
      baseUrls: {
        wealthbox: 'http://127.0.0.1:9',
        redtail: 'http://127.0.0.1:9',
        ...(override ? { salesforce: fake.baseUrl } : {}),
      },
      timeoutMs: 2000,
      maxAttempts: 3,
      sleep: async (ms) => {
        sleeps.push(ms);
      },
    },
  );
}

async function failure(promise: Promise<unknown>): Promise<CrmHttpError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!error) throw new Error('expected the call to fail');
  return error as CrmHttpError;
}

const [margaret, john, joan, roisin] = [0, 1, 2, 3].map((i) => startFakeSalesforceSeedId(i));
function startFakeSalesforceSeedId(i: number): string {
  return `003${String(i + 1).padStart(15, '0')}`;
}

describe('Salesforce adapter over HTTP', () => {
  it('verifies client credentials with a fresh token and one SOQL call', async () => {
    await expect(provider().verifyCredentials()).resolves.toEqual({ accountLabel: '127.0.0.1' });
    expect(fake.counts()).toEqual({ 'POST /services/oauth2/token': 1, 'GET /services/data/v62.0/query': 1 });
    expect(fake.queries).toEqual(['SELECT Id FROM Contact LIMIT 1']);
    const form = new URLSearchParams(fake.requests[0]?.body);
    expect(Object.fromEntries(form)).toEqual({
      grant_type: 'client_credentials',
      client_id: fake.clientId,
      client_secret: fake.clientSecret,
    });
  });

  it('refuses bad client credentials as auth with the OAuth error code, never the secret', async () => {
    const error = await failure(provider({ clientSecret: 'wrong-secret' }).verifyCredentials());
    expect(error).toMatchObject({ kind: 'auth', status: 400, vendorCode: 'invalid_client', attempts: 1 });
    expect(error.message).toBe('salesforce: POST /services/oauth2/token answered 400 (invalid_client)');
  });

  it('refuses a My Domain outside salesforce.com before sending the secret anywhere', async () => {
    const error = await failure(
      provider({ myDomainUrl: `${fake.baseUrl}` }, false).findContacts({ name: 'John Smith' }),
    );
    expect(error).toMatchObject({ kind: 'rejected', field: 'myDomainUrl' });
    expect(fake.totalRequests()).toBe(0);
  });

  it('caches the token across providers for the same credentials (a warm Lambda)', async () => {
    await provider().findContacts({ name: 'Margaret Okafor' });
    await provider().findContacts({ name: 'John Smith' });
    expect(fake.counts()).toEqual({ 'POST /services/oauth2/token': 1, 'GET /services/data/v62.0/query': 2 });
    expect(fake.requests[1]?.headers.authorization).toMatch(/^Bearer 00Dfake!/);
  });

  it('does not share a cached token with a different secret', async () => {
    await provider().findContacts({ name: 'Okafor' });
    const error = await failure(provider({ clientSecret: 'wrong-secret' }).findContacts({ name: 'Okafor' }));
    expect(error).toMatchObject({ kind: 'auth', vendorCode: 'invalid_client' });
  });

  it('on 401 INVALID_SESSION_ID fetches a new token once, retries, and caches the new one', async () => {
    await provider().findContacts({ name: 'Okafor' });
    const tokensBefore = fake.tokensIssued();
    fake.expireSessions();
    fake.resetRequests();
    const found = await provider().findContacts({ name: 'Okafor' });
    expect(found.map((c) => c.id)).toEqual([margaret]);
    expect(fake.requests.map((r) => r.route)).toEqual([
      'GET /services/data/v62.0/query',
      'POST /services/oauth2/token',
      'GET /services/data/v62.0/query',
    ]);
    fake.resetRequests();
    await provider().findContacts({ name: 'Okafor' });
    expect(fake.counts()).toEqual({ 'GET /services/data/v62.0/query': 1 });
    expect(fake.tokensIssued()).toBe(tokensBefore + 1);
  });

  it('a session that stays invalid after the refresh is auth, with one refresh only', async () => {
    await provider().findContacts({ name: 'Okafor' });
    fake.resetRequests();
    fake.refuseCredentials();
    const error = await failure(provider().findContacts({ name: 'Okafor' }));
    expect(error).toMatchObject({ kind: 'auth' });
    expect(fake.counts()).toEqual({ 'GET /services/data/v62.0/query': 1, 'POST /services/oauth2/token': 1 });
  });

  it('finds a unique contact, several, none, and by exact email', async () => {
    const sf = provider();
    expect(await sf.findContacts({ name: 'Margaret Okafor' })).toEqual([
      {
        id: margaret,
        name: 'Margaret Okafor',
        firstName: 'Margaret',
        lastName: 'Okafor',
        emails: ['margaret.okafor@example.com'],
      },
    ]);
    expect((await sf.findContacts({ name: 'Bob Smith' })).map((c) => c.id)).toEqual([joan, john]);
    await expect(sf.findContacts({ name: 'Nobody Atall' })).resolves.toEqual([]);
    expect(
      (await sf.findContacts({ name: 'Peggy Nobody', email: 'MARGARET.okafor@example.com' })).map(
        (c) => c.id,
      ),
    ).toEqual([margaret]);
  });

  it("escapes quotes in a surname: O'Brien is a name, not the end of a literal", async () => {
    const found = await provider().findContacts({ name: "Róisín O'Brien" });
    expect(found.map((c) => c.id)).toEqual([roisin]);
    expect(fake.queries[0]).toContain("Name LIKE '%O\\'Brien%'");
  });

  it('keeps injection attempts inside their literals: no extra clause, no rows', async () => {
    // The email reaches SOQL as given; the name reaches it as its surname (quotes inside a word survive).
    const attempts = [
      { name: "Eve Qu'x'", email: "e@x.com' OR Name != '" },
      { name: 'Eve Zzz', email: "e@x.com\\' OR Name != '" },
      { name: 'Eve Zzz', email: "%' OR Email LIKE '%" },
      { name: "Eve O'Zed", email: 'trailing\\' },
      { name: 'Eve Zzz', email: "e@x.com'; DELETE FROM Contact" },
    ];
    for (const attempt of attempts) {
      await expect(provider().findContacts(attempt)).resolves.toEqual([]);
    }
    // Every query parsed (no MALFORMED_QUERY) into exactly the two conditions we wrote, literals intact.
    expect(
      fake.parsedQueries.map((q) => q.conditions.map(({ field, op, value }) => [field, op, value])),
    ).toEqual(
      attempts.map((attempt, i) => [
        ['Name', 'LIKE', `%${["Qu'x", 'Zzz', 'Zzz', "O'Zed", 'Zzz'][i]}%`],
        ['Email', '=', attempt.email],
      ]),
    );
    expect(fake.parsedQueries.every((q) => q.joiner === 'OR')).toBe(true);
    expect(fake.queries[0]).toContain("Name LIKE '%Qu\\'x%' OR Email = 'e@x.com\\' OR Name != \\''");
  });

  it('treats % and _ in an email literally', async () => {
    await expect(provider().findContacts({ name: 'Zed Zzz', email: '%' })).resolves.toEqual([]);
    await expect(
      provider().findContacts({ name: 'Zed Zzz', email: 'john.smith@example.com' }),
    ).resolves.toEqual([expect.objectContaining({ id: john })]);
  });

  it('creates a linked enhanced note in one Composite call: ContentNote + ContentDocumentLink', async () => {
    const record = await provider().createNote({
      contactId: john,
      subject: 'Annual review <2026>',
      body: 'Risk: moderate & rising\n<script>alert(1)</script>',
      externalId: 'm-5:note',
    });
    expect(record).toEqual({ externalId: 'm-5:note', remoteId: fake.notes[0]?.Id });
    expect(fake.notes[0]?.Title).toBe('Annual review <2026>');
    expect(fake.notes[0]?.html).toBe(
      '<p>Risk: moderate &amp; rising</p><p>&lt;script&gt;alert(1)&lt;/script&gt;</p><p><br></p><p>[smartad:m-5:note]</p>',
    );
    expect(fake.links).toEqual([
      expect.objectContaining({ ContentDocumentId: fake.notes[0]?.Id, LinkedEntityId: john, ShareType: 'V' }),
    ]);
    expect(fake.counts()).toEqual({
      'POST /services/oauth2/token': 1,
      'POST /services/data/v62.0/composite': 1,
    });
  });

  it('a link Salesforce refuses rolls the note back and reports the real error code', async () => {
    const error = await failure(
      provider().createNote({
        contactId: '003000000000000999',
        subject: 'S',
        body: 'B',
        externalId: 'm-6:note',
      }),
    );
    expect(error).toMatchObject({ kind: 'rejected', status: 400, vendorCode: 'INVALID_CROSS_REFERENCE_KEY' });
    expect(error.message).toContain("part 'link'");
    expect(fake.notes).toEqual([]);
  });

  it('creates an unlinked note as a lone ContentNote', async () => {
    await provider().createNote({ subject: 'Prospect call', body: 'Notes', externalId: 'm-7:note' });
    expect(fake.notes).toHaveLength(1);
    expect(fake.links).toEqual([]);
    expect(fake.counts()['POST /services/data/v62.0/sobjects/ContentNote']).toBe(1);
  });

  it('creates tasks with dates, priorities, WhoId, OwnerId and the marker', async () => {
    const seen: string[] = [];
    await provider().createTasks(
      [
        {
          contactId: joan,
          title: 'Send ACAT form',
          dueDate: '2026-02-10',
          priority: 'high',
          assigneeId: '005000000000001AAA',
          externalId: 'm-8:task:1',
        },
        {
          title: 'Review allocation',
          priority: 'medium',
          externalId: 'm-8:task:2',
          description: 'Tilt to value',
        },
        { title: 'x'.repeat(300), priority: 'low', externalId: 'm-8:task:3' },
      ],
      async (record) => {
        seen.push(record.remoteId);
      },
    );
    expect(seen).toEqual(fake.tasks.map((t) => t.Id));
    expect(fake.tasks.map((t) => [t.Priority, t.ActivityDate, t.WhoId, t.Status])).toEqual([
      ['High', '2026-02-10', joan, 'Not Started'],
      ['Normal', null, null, 'Not Started'],
      ['Low', null, null, 'Not Started'],
    ]);
    expect(fake.tasks[0]?.OwnerId).toBe('005000000000001AAA');
    expect(fake.tasks[2]?.Subject).toHaveLength(255);
    expect(fake.tasks.map((t) => readRecordMarker(t.Description ?? ''))).toEqual([
      'm-8:task:1',
      'm-8:task:2',
      'm-8:task:3',
    ]);
  });

  it('honours Retry-After on a data call', async () => {
    await provider().findContacts({ name: 'Okafor' });
    fake.rateLimit(1, '3', '/query');
    await provider().findContacts({ name: 'Okafor' });
    expect(sleeps).toEqual([3000]);
  });

  it('retries a 500 on task creation and creates the task once', async () => {
    fake.failWith500(2, '/sobjects/Task');
    await provider().createTasks([{ title: 'T', priority: 'low', externalId: 'x' }]);
    expect(sleeps).toEqual([500, 1000]);
    expect(fake.tasks).toHaveLength(1);
  });

  it('is unavailable after maxAttempts of 500s', async () => {
    fake.failWith500(3, '/query');
    const error = await failure(provider().findContacts({ name: 'Okafor' }));
    expect(error).toMatchObject({
      kind: 'unavailable',
      status: 500,
      vendorCode: 'UNKNOWN_EXCEPTION',
      attempts: 3,
    });
  });

  it.each([
    ['contactId', { contactId: "003' OR Id != '" }],
    ['contactId', { contactId: '003/../../sobjects/User' }],
    ['assigneeId', { assigneeId: '005-short' }],
  ])('refuses a malformed %s before any call', async (field, ids) => {
    const error = await failure(
      provider().createTasks([{ title: 'T', priority: 'low', externalId: 'x', ...ids }]),
    );
    expect(error).toMatchObject({ provider: 'salesforce', kind: 'rejected', field });
    expect(fake.totalRequests()).toBe(0);
  });

  it('the daily API limit (403 REQUEST_LIMIT_EXCEEDED) is rate_limited, not auth, and not retried', async () => {
    await provider().findContacts({ name: 'Okafor' });
    fake.resetRequests();
    fake.respondWith(1, {
      status: 403,
      body: [{ message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' }],
    });
    const error = await failure(provider().createTasks([{ title: 'T', priority: 'low', externalId: 'x' }]));
    expect(error).toMatchObject({
      kind: 'rate_limited',
      status: 403,
      vendorCode: 'REQUEST_LIMIT_EXCEEDED',
      attempts: 1,
    });
    expect(fake.totalRequests()).toBe(1);
  });

  it('names provider and field on an unexpected query answer', async () => {
    fake.mangleNext((body) => ({ ...(body as object), records: [{ Name: 'No Id' }] }), '/query');
    const error = await failure(provider().findContacts({ name: 'Okafor' }));
    expect(error).toMatchObject({
      provider: 'salesforce',
      kind: 'unexpected_response',
      field: 'records.0.Id',
    });
  });

  describe('without an override (the production path), through a fetch that reaches the fake', () => {
    const viaMyDomain = (): CrmProvider =>
      createCrmProvider(
        {
          provider: 'salesforce',
          clientId: fake.clientId,
          clientSecret: fake.clientSecret,
          myDomainUrl: MY_DOMAIN,
        },
        {
          baseUrls: { wealthbox: 'http://127.0.0.1:9', redtail: 'http://127.0.0.1:9' },
          timeoutMs: 2000,
          maxAttempts: 1,
          fetch: (input, init) => fetch(String(input).replace(MY_DOMAIN, fake.baseUrl), init),
        },
      );

    it('sends the token request to the My Domain and data calls to the instance_url it returns', async () => {
      fake.mangleNext((body) => ({ ...(body as object), instance_url: MY_DOMAIN }), '/oauth2/token');
      const found = await viaMyDomain().findContacts({ name: 'Okafor' });
      expect(found.map((c) => c.id)).toEqual([margaret]);
    });

    it('refuses a token answer whose instance_url is not a My Domain, naming the field', async () => {
      const error = await failure(viaMyDomain().findContacts({ name: 'Okafor' }));
      expect(error).toMatchObject({
        provider: 'salesforce',
        kind: 'unexpected_response',
        field: 'instance_url',
      });
      expect(fake.counts()).toEqual({ 'POST /services/oauth2/token': 1 });
    });
  });
});
