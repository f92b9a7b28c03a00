import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type CrmProvider, CrmUnsupportedError } from '../../../../functions/core/crm/crm-provider';
import { createCrmProvider } from '../../../../functions/integrations/crm/crm-connector';
import type { CrmHttpError } from '../../../../functions/integrations/crm/crm-http-client';
import { exchangeRedtailUserKey } from '../../../../functions/integrations/redtail/redtail-provider';
import { type FakeRedtail, startFakeRedtail } from '../../../fakes/redtail-server';

let fake: FakeRedtail;
let sleeps: number[];

beforeAll(async () => {
  fake = await startFakeRedtail();
});
afterAll(async () => {
  await fake.close();
});
afterEach(() => {
  fake.resetRequests();
  fake.clearFaults();
  fake.refuseCredentials(false);
  fake.setAuthenticationShape('authenticated_user');
  fake.notes.length = 0;
  fake.activities.length = 0;
});

const transport = () => {
  sleeps = [];
  return {
    timeoutMs: 2000,
    maxAttempts: 3,
    sleep: async (ms: number) => {
      sleeps.push(ms);
    },
  };
};

function provider(userKey = fake.userKey): CrmProvider {
  return createCrmProvider(
    { provider: 'redtail', apiKey: fake.apiKey, userKey },
    { baseUrls: { wealthbox: 'http://127.0.0.1:9', redtail: fake.baseUrl }, ...transport() },
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

describe('Redtail user key exchange', () => {
  const login = () => ({ apiKey: fake.apiKey, username: fake.username, password: fake.password });

  it('reads the user key from authenticated_user.user_key', async () => {
    await expect(exchangeRedtailUserKey(login(), { baseUrl: fake.baseUrl, ...transport() })).resolves.toEqual(
      {
        userKey: fake.userKey,
      },
    );
    const sent = fake.requests[0]?.headers.authorization;
    expect(sent).toBe(
      `Basic ${Buffer.from(`${fake.apiKey}:${fake.username}:${fake.password}`).toString('base64')}`,
    );
  });

  it('reads the user key from the top-level shape too', async () => {
    fake.setAuthenticationShape('top_level');
    await expect(exchangeRedtailUserKey(login(), { baseUrl: fake.baseUrl, ...transport() })).resolves.toEqual(
      {
        userKey: fake.userKey,
      },
    );
  });

  it('refuses a wrong password as auth, without the password in the message', async () => {
    const error = await failure(
      exchangeRedtailUserKey({ ...login(), password: 'hunter2' }, { baseUrl: fake.baseUrl, ...transport() }),
    );
    expect(error).toMatchObject({ provider: 'redtail', kind: 'auth', status: 401, attempts: 1 });
    expect(error.message).not.toContain('hunter2');
  });

  it('an answer without a user key is an unexpected response', async () => {
    fake.mangleNext(() => ({ authenticated_user: { id: 31 } }));
    const error = await failure(exchangeRedtailUserKey(login(), { baseUrl: fake.baseUrl, ...transport() }));
    expect(error).toMatchObject({ kind: 'unexpected_response' });
  });
});

describe('Redtail adapter over HTTP', () => {
  it('verifies good credentials with one cheap call using Userkeyauth', async () => {
    await expect(provider().verifyCredentials()).resolves.toEqual({});
    expect(fake.counts()).toEqual({ 'GET /lists/categories': 1 });
    expect(fake.requests[0]?.headers.authorization).toBe(
      `Userkeyauth ${Buffer.from(`${fake.apiKey}:${fake.userKey}`).toString('base64')}`,
    );
  });

  it('a revoked user key is auth ("reconnect"), never retried', async () => {
    const error = await failure(provider('stale-key').verifyCredentials());
    expect(error).toMatchObject({ kind: 'auth', status: 401, attempts: 1 });
    expect(fake.totalRequests()).toBe(1);
  });

  it('finds a unique contact through search_basic by surname', async () => {
    const found = await provider().findContacts({ name: 'Mrs. Margaret Okafor' });
    expect(found).toEqual([
      { id: '201', name: 'Margaret Okafor', firstName: 'Margaret', lastName: 'Okafor', emails: [] },
    ]);
    expect(fake.requests[0]?.path).toBe('/contacts/search_basic');
    expect(fake.requests[0]?.query.get('name')).toBe('Okafor');
  });

  it('returns several candidates, and none for an unknown name', async () => {
    expect((await provider().findContacts({ name: 'J. Smith' })).map((c) => c.name)).toEqual([
      'John Q Smith',
      'Joan Smith',
    ]);
    await expect(provider().findContacts({ name: 'Zed Nobody' })).resolves.toEqual([]);
  });

  it('creates a note on the contact with the marker as its last line', async () => {
    const record = await provider().createNote({
      contactId: '202',
      subject: 'Quarterly review',
      body: 'Talked about 529 plans.',
      externalId: 'm-9:note',
    });
    expect(record).toEqual({ externalId: 'm-9:note', remoteId: String(fake.notes[0]?.id) });
    expect(fake.notes[0]).toMatchObject({ contact_id: 202, note_type: 1, pinned: false, draft: false });
    expect(fake.notes[0]?.body).toBe('Quarterly review\n\nTalked about 529 plans.\n\n[smartad:m-9:note]');
  });

  it('refuses an unlinked note as unsupported, without calling Redtail', async () => {
    await expect(
      provider().createNote({ subject: 'S', body: 'B', externalId: 'm-9:note' }),
    ).rejects.toBeInstanceOf(CrmUnsupportedError);
    expect(fake.totalRequests()).toBe(0);
  });

  it('creates one activity per task with dates, links, attendee and priority', async () => {
    const seen: string[] = [];
    const records = await provider().createTasks(
      [
        {
          contactId: '201',
          title: 'Send beneficiary forms',
          description: 'Both IRAs',
          dueDate: '2026-05-01',
          priority: 'high',
          assigneeId: '31',
          externalId: 'm-9:task:1',
        },
        { title: 'Check RMD', priority: 'low', externalId: 'm-9:task:2' },
      ],
      async (record) => {
        seen.push(record.externalId);
      },
    );
    expect(seen).toEqual(['m-9:task:1', 'm-9:task:2']);
    expect(records.map((r) => r.remoteId)).toEqual(fake.activities.map((a) => String(a.id)));
    expect(fake.activities[0]).toMatchObject({
      subject: 'Send beneficiary forms',
      start_date: '2026-05-01T12:00:00.000Z',
      end_date: '2026-05-01T12:00:00.000Z',
      linked_contacts: [{ contact_id: 201 }],
      attendees: [{ type: 'Crm::Activity::Attendee::User', user_id: 31 }],
      description: 'Both IRAs\n\nPriority: High\n\n[smartad:m-9:task:1]',
    });
    expect(fake.activities[1]).toMatchObject({ start_date: null, linked_contacts: [], attendees: [] });
    expect(fake.counts()).toEqual({ 'POST /activities': 2 });
  });

  it('a note for a contact Redtail does not have is rejected with its status', async () => {
    const error = await failure(
      provider().createNote({ contactId: '999', subject: 'S', body: 'B', externalId: 'x' }),
    );
    expect(error).toMatchObject({ kind: 'rejected', status: 404, attempts: 1 });
    expect(error.message).toBe('redtail: POST /contacts/999/notes answered 404');
  });

  it.each([
    [
      'contactId',
      () => provider().createNote({ contactId: '../lists', subject: 'S', body: 'B', externalId: 'x' }),
    ],
    [
      'contactId',
      () => provider().createTasks([{ contactId: '0', title: 'T', priority: 'low', externalId: 'x' }]),
    ],
    [
      'assigneeId',
      () => provider().createTasks([{ assigneeId: 'avery', title: 'T', priority: 'low', externalId: 'x' }]),
    ],
  ])('refuses a malformed %s before any call', async (field, call) => {
    const error = await failure(call());
    expect(error).toMatchObject({ provider: 'redtail', kind: 'rejected', field });
    expect(fake.totalRequests()).toBe(0);
  });

  it('honours Retry-After on 429', async () => {
    fake.rateLimit(1, '2');
    await provider().findContacts({ name: 'Okafor' });
    expect(sleeps).toEqual([2000]);
    expect(fake.counts()).toEqual({ 'GET /contacts/search_basic': 2 });
  });

  it('retries a 500 and succeeds, creating the activity once', async () => {
    fake.failWith500(1);
    await provider().createTasks([{ title: 'T', priority: 'medium', externalId: 'm-9:task:3' }]);
    expect(sleeps).toEqual([500]);
    expect(fake.activities).toHaveLength(1);
  });

  it('is unavailable after maxAttempts of 500s', async () => {
    fake.failWith500(3);
    const error = await failure(provider().verifyCredentials());
    expect(error).toMatchObject({ kind: 'unavailable', attempts: 3 });
  });

  it('names provider and field on an unexpected shape', async () => {
    fake.mangleNext(() => ({ activity: { id: null } }));
    const error = await failure(provider().createTasks([{ title: 'T', priority: 'low', externalId: 'x' }]));
    expect(error).toMatchObject({ provider: 'redtail', kind: 'unexpected_response', field: 'activity.id' });
  });
});
