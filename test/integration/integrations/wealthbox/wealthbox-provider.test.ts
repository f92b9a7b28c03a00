import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CrmProvider, CrmTaskInput } from '../../../../functions/core/crm/crm-provider';
import { readRecordMarker } from '../../../../functions/core/crm/crm-record-marker';
import { createCrmProvider } from '../../../../functions/integrations/crm/crm-connector';
import type { CrmHttpError } from '../../../../functions/integrations/crm/crm-http-client';
import { type FakeWealthbox, startFakeWealthbox } from '../../../fakes/wealthbox-server';

let fake: FakeWealthbox;
let sleeps: number[];

beforeAll(async () => {
  fake = await startFakeWealthbox();
});
afterAll(async () => {
  await fake.close();
});
afterEach(() => {
  fake.resetRequests();
  fake.clearFaults();
  fake.refuseCredentials(false);
  fake.notes.length = 0;
  fake.tasks.length = 0;
});

function provider(apiToken = fake.apiToken, maxAttempts = 3): CrmProvider {
  sleeps = [];
  return createCrmProvider(
    { provider: 'wealthbox', apiToken },
    {
      baseUrls: { wealthbox: fake.baseUrl, redtail: 'http://127.0.0.1:9' },
      timeoutMs: 2000,
      maxAttempts,
      sleep: async (ms) => {
        sleeps.push(ms);
      },
    },
  );
}

const task = (overrides: Partial<CrmTaskInput> = {}): CrmTaskInput => ({
  title: 'Send the rollover paperwork',
  priority: 'high',
  externalId: 'm-1:task:a-1',
  ...overrides,
});

async function failure(promise: Promise<unknown>): Promise<CrmHttpError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!error) throw new Error('expected the call to fail');
  return error as CrmHttpError;
}

describe('Wealthbox adapter over HTTP', () => {
  it('verifies a good token with one GET /v1/me and labels the account', async () => {
    await expect(provider().verifyCredentials()).resolves.toEqual({ accountLabel: 'Avery Adviser' });
    expect(fake.counts()).toEqual({ 'GET /v1/me': 1 });
    expect(fake.requests[0]?.headers.access_token).toBe(fake.apiToken);
  });

  it('refuses a bad token as auth, without retrying and without the token in the message', async () => {
    const error = await failure(provider('not-the-token').verifyCredentials());
    expect(error).toMatchObject({
      name: 'CrmHttpError',
      provider: 'wealthbox',
      kind: 'auth',
      status: 401,
      attempts: 1,
    });
    expect(error.message).not.toContain('not-the-token');
    expect(fake.totalRequests()).toBe(1);
  });

  it('finds a unique contact by surname, with emails, in one call', async () => {
    const contacts = await provider().findContacts({ name: 'Margaret Okafor' });
    expect(contacts).toEqual([
      {
        id: '101',
        name: 'Margaret Okafor',
        firstName: 'Margaret',
        lastName: 'Okafor',
        emails: ['margaret.okafor@example.com'],
      },
    ]);
    expect(fake.requests[0]?.query.get('name')).toBe('Okafor');
    expect(fake.requests[0]?.query.get('per_page')).toBe('100');
    expect(fake.totalRequests()).toBe(1);
  });

  it('returns every candidate when several share the surname (the caller decides)', async () => {
    const contacts = await provider().findContacts({ name: 'Bob Smith Jr.' });
    expect(contacts.map((c) => c.id)).toEqual(['102', '103']);
  });

  it('returns nobody for an unknown name, then tries the email once when one is known', async () => {
    await expect(provider().findContacts({ name: 'Nobody Here' })).resolves.toEqual([]);
    expect(fake.totalRequests()).toBe(1);
    fake.resetRequests();
    const byEmail = await provider().findContacts({
      name: 'Peggy Okafor-Jones',
      email: 'margaret.okafor@example.com',
    });
    expect(byEmail.map((c) => c.id)).toEqual(['101']);
    expect(fake.requests.map((r) => [...r.query.keys()].sort())).toEqual([
      ['name', 'page', 'per_page'],
      ['email', 'page', 'per_page'],
    ]);
  });

  it('pages through a long result, at most three pages', async () => {
    const many = await startFakeWealthbox({
      contacts: Array.from({ length: 350 }, (_, i) => ({
        id: 1000 + i,
        first_name: `P${i}`,
        last_name: 'Lee',
      })),
    });
    try {
      const found = await createCrmProvider(
        { provider: 'wealthbox', apiToken: many.apiToken },
        {
          baseUrls: { wealthbox: many.baseUrl, redtail: 'http://127.0.0.1:9' },
          timeoutMs: 2000,
          maxAttempts: 1,
        },
      ).findContacts({ name: 'Lee' });
      expect(found).toHaveLength(300);
      expect(many.requests.map((r) => r.query.get('page'))).toEqual(['1', '2', '3']);
    } finally {
      await many.close();
    }
  });

  it('creates a linked note with the subject first and the marker last', async () => {
    const record = await provider().createNote({
      contactId: '101',
      subject: 'Annual review',
      body: 'Discussed the Roth conversion.',
      externalId: 'm-1:note',
    });
    expect(record).toEqual({ externalId: 'm-1:note', remoteId: String(fake.notes[0]?.id) });
    expect(fake.notes).toHaveLength(1);
    expect(fake.notes[0]?.linked_to).toEqual([{ id: 101, type: 'Contact' }]);
    expect(fake.notes[0]?.content.split('\n')[0]).toBe('Annual review');
    expect(fake.notes[0]?.content.split('\n').at(-1)).toBe('[smartad:m-1:note]');
  });

  it('creates an unlinked note without linked_to', async () => {
    await provider().createNote({ subject: 'Review', body: 'Body', externalId: 'm-2:note' });
    expect(fake.notes[0]?.linked_to).toEqual([]);
    expect(JSON.parse(fake.requests[0]?.body ?? '{}')).not.toHaveProperty('linked_to');
  });

  it('creates one task per item, in order, with due dates, priorities, links and assignees', async () => {
    const seen: string[] = [];
    const records = await provider().createTasks(
      [
        task({ contactId: '101', dueDate: '2026-03-15', assigneeId: '9001', description: 'Form 5305' }),
        task({ title: 'Call the CPA', priority: 'low', externalId: 'm-1:task:a-2' }),
        task({ title: 'Rebalance', priority: 'medium', externalId: 'm-1:task:a-3', dueDate: '2026-04-01' }),
      ],
      async (record) => {
        seen.push(record.externalId);
      },
    );
    expect(seen).toEqual(['m-1:task:a-1', 'm-1:task:a-2', 'm-1:task:a-3']);
    expect(records.map((r) => r.remoteId)).toEqual(fake.tasks.map((t) => String(t.id)));
    expect(fake.tasks.map((t) => [t.priority, t.due_date, t.frame])).toEqual([
      ['High', '2026-03-15T12:00:00Z', null],
      ['Low', null, 'future'],
      ['Medium', '2026-04-01T12:00:00Z', null],
    ]);
    expect(fake.tasks[0]).toMatchObject({ linked_to: [{ id: 101, type: 'Contact' }], assigned_to: 9001 });
    expect(fake.tasks.map((t) => readRecordMarker(t.description ?? ''))).toEqual(seen);
    expect(fake.tasks[0]?.description).toBe('Form 5305\n\n[smartad:m-1:task:a-1]');
    expect(fake.counts()).toEqual({ 'POST /v1/tasks': 3 });
  });

  it('stops at the first failing task, after reporting the ones before it', async () => {
    const seen: string[] = [];
    const error = await failure(
      provider().createTasks(
        [
          task(),
          task({ contactId: '999', externalId: 'm-1:task:a-2' }),
          task({ externalId: 'm-1:task:a-3' }),
        ],
        async (record) => {
          seen.push(record.externalId);
        },
      ),
    );
    expect(error).toMatchObject({ kind: 'rejected', status: 422 });
    expect(seen).toEqual(['m-1:task:a-1']);
    expect(fake.tasks).toHaveLength(1);
  });

  it('rejects a non-numeric contact id before calling Wealthbox, naming the field', async () => {
    const error = await failure(provider().createTasks([task({ contactId: '../me' })]));
    expect(error).toMatchObject({ kind: 'rejected', field: 'contactId' });
    expect(fake.totalRequests()).toBe(0);
  });

  it('rejects a non-numeric assignee id before calling Wealthbox, naming the field', async () => {
    const error = await failure(provider().createTasks([task({ assigneeId: 'avery@ria.example' })]));
    expect(error).toMatchObject({ kind: 'rejected', field: 'assigneeId' });
    expect(fake.totalRequests()).toBe(0);
  });

  it("honours 429 Retry-After: sleeps the vendor's seconds, then succeeds", async () => {
    fake.rateLimit(2, '7');
    await expect(provider().verifyCredentials()).resolves.toEqual({ accountLabel: 'Avery Adviser' });
    expect(sleeps).toEqual([7000, 7000]);
    expect(fake.totalRequests()).toBe(3);
  });

  it('caps a very long Retry-After at 30 s', async () => {
    fake.rateLimit(1, '3600');
    await provider().verifyCredentials();
    expect(sleeps).toEqual([30_000]);
  });

  it('gives up on 429 after maxAttempts as rate_limited', async () => {
    fake.rateLimit(5, '1');
    const error = await failure(provider().verifyCredentials());
    expect(error).toMatchObject({ kind: 'rate_limited', status: 429, attempts: 3 });
    expect(fake.totalRequests()).toBe(3);
  });

  it('retries a 500 with exponential backoff and then succeeds, creating the note once', async () => {
    fake.failWith500(2);
    await provider().createNote({ contactId: '101', subject: 'S', body: 'B', externalId: 'm-3:note' });
    expect(sleeps).toEqual([500, 1000]);
    expect(fake.notes).toHaveLength(1);
  });

  it('reports unavailable after maxAttempts of 500s', async () => {
    fake.failWith500(10);
    const error = await failure(provider().findContacts({ name: 'John Smith' }));
    expect(error).toMatchObject({ kind: 'unavailable', status: 500, attempts: 3 });
    expect(error.message).toMatch(/GET \/v1\/contacts answered 500 after 3 attempts/);
    expect(error.message).not.toMatch(/Smith/);
  });

  it('names provider and field when the answer has an unexpected shape', async () => {
    fake.mangleNext((body) => ({ ...(body as object), contacts: [{ id: 'not-a-number' }] }));
    const error = await failure(provider().findContacts({ name: 'John Smith' }));
    expect(error).toMatchObject({
      provider: 'wealthbox',
      kind: 'unexpected_response',
      field: 'contacts.0.id',
    });
    expect(error.message).toMatch(/^wealthbox: /);
  });

  it('a revoked token fails as auth', async () => {
    fake.refuseCredentials();
    const error = await failure(provider().createNote({ subject: 'S', body: 'B', externalId: 'm-4:note' }));
    expect(error).toMatchObject({ kind: 'auth', attempts: 1 });
  });
});
