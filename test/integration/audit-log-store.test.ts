import {
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AuditChainCorruptError,
  type AuditChainer,
  createAuditChainer,
} from '../../functions/adapters/store/audit-chainer';
import { type AuditLogStore, createAuditLogStore } from '../../functions/adapters/store/audit-log-store';
import { CorruptItemError } from '../../functions/adapters/store/item-codec';
import { auditPartition } from '../../functions/adapters/store/keys/audit-keys';
import type { AuditEntry } from '../../functions/core/audit/audit-entry';
import {
  type AuditEvent,
  GENESIS_HASH,
  InvalidAuditEntryError,
} from '../../functions/core/audit/audit-event';
import { createKeyring, generateKeyringKey } from '../../functions/platform/crypto/keyring';
import { InvalidCursorError } from '../../functions/platform/errors';
import { ensureLocalTable } from '../../lib/local/create-local-table';
import { type DynamoEngine, localDynamoClient, startDynamoEngine } from '../../lib/local/dynamo-engine';

const TABLE = 'audit-log-test';
const T0 = Date.UTC(2031, 0, 1);
let engine: DynamoEngine;
let raw: DynamoDBDocumentClient;
let audit: AuditLogStore;
let chainer: AuditChainer;
let clock = T0;
const keyring = createKeyring({ keys: [generateKeyringKey('k1')] });
const keyringProvider = { load: async () => keyring, reload: async () => keyring };

beforeAll(async () => {
  engine = await startDynamoEngine();
  const client = localDynamoClient(engine.endpoint);
  await ensureLocalTable(client, TABLE);
  raw = DynamoDBDocumentClient.from(client);
  audit = createAuditLogStore({
    client: raw,
    tableName: TABLE,
    now: () => {
      clock += 1000;
      return clock;
    },
    keyring: keyringProvider,
  });
  chainer = createAuditChainer({ client: raw, tableName: TABLE, batchSize: 3 });
});

/** Runs the chain writer over a firm's recorded events, as the table stream would. */
const chain = (tenantId: string | null) => chainer.drain(auditPartition(tenantId));

afterAll(async () => {
  await engine?.stop();
});

const entry = (i: number): AuditEntry => ({
  action: 'meeting.read',
  outcome: 'success',
  actor: { userId: `u-${i}`, role: 'advisor' },
  target: { type: 'meeting', id: `m-${i}` },
  ip: '192.0.2.10',
  details: { n: i },
});

async function appendMany(tenantId: string | null, count: number): Promise<void> {
  for (let i = 1; i <= count; i += 1) await audit.append(tenantId, entry(i));
  await chain(tenantId);
}

async function allEvents(tenantId: string | null): Promise<AuditEvent[]> {
  const events: AuditEvent[] = [];
  let cursor: string | undefined;
  do {
    const page = await audit.page(tenantId, { limit: 100, order: 'oldest', ...(cursor ? { cursor } : {}) });
    events.push(...page.items);
    cursor = page.cursor;
  } while (cursor);
  return events;
}

const eventKey = (tenantId: string, seq: number) => ({
  pk: `T#${tenantId}#AUDIT`,
  sk: `EVT#${String(seq).padStart(12, '0')}`,
});

describe('audit log store against DynamoDB Local', () => {
  it('appends events with seqs 1..n, each linked to the hash of the one before', async () => {
    await appendMany('firm-a', 4);
    const events = await allEvents('firm-a');
    expect(events.map((e) => e.seq)).toEqual([1, 2, 3, 4]);
    expect(events[0]?.prevHash).toBe(GENESIS_HASH);
    for (let i = 1; i < events.length; i += 1) expect(events[i]?.prevHash).toBe(events[i - 1]?.hash);
    expect(events[2]).toMatchObject({ chain: 'firm-a', ...entry(3) });
    expect(Date.parse(events[0]?.at ?? '')).toBeGreaterThan(T0);
    expect(await audit.verify('firm-a')).toMatchObject({ verified: true, pending: 0, checked: 4 });
    const { Item: head } = await raw.send(
      new GetCommand({ TableName: TABLE, Key: { pk: 'T#firm-a#AUDIT', sk: 'HEAD' } }),
    );
    expect(head).toMatchObject({ seq: 4, hash: events[3]?.hash });
  });

  it('stores events that never expire', async () => {
    const { Item } = await raw.send(new GetCommand({ TableName: TABLE, Key: eventKey('firm-a', 1) }));
    expect(Item).toBeDefined();
    expect(Item).not.toHaveProperty('expires_at');
  });

  it('records appends as pending, without touching the chain, until the writer links them', async () => {
    await audit.append('firm-pending', entry(1));
    await audit.append('firm-pending', entry(2));
    expect(await allEvents('firm-pending')).toEqual([]);
    expect(await audit.verify('firm-pending')).toMatchObject({ verified: true, checked: 0, pending: 2 });
    expect(await chain('firm-pending')).toEqual({ chained: 2 });
    expect(await chain('firm-pending')).toEqual({ chained: 0 });
    expect((await allEvents('firm-pending')).map((e) => e.details.n)).toEqual([1, 2]);
    expect(await audit.verify('firm-pending')).toMatchObject({ verified: true, checked: 2, pending: 0 });
  });

  it('gives 10 concurrent appends to one firm contiguous seqs 1..10 and a chain that verifies', async () => {
    await Promise.all(Array.from({ length: 10 }, (_, i) => audit.append('firm-concurrent', entry(i))));
    // Three writers of one chain at once (a redelivery, a shard split): every event linked exactly once.
    const drained = await Promise.all([
      chain('firm-concurrent'),
      chain('firm-concurrent'),
      chain('firm-concurrent'),
    ]);
    expect(drained.reduce((sum, d) => sum + d.chained, 0)).toBe(10);
    const events = await allEvents('firm-concurrent');
    expect(events.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(new Set(events.map((e) => e.details.n))).toEqual(new Set([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]));
    expect(await audit.verify('firm-concurrent')).toMatchObject({ verified: true, pending: 0, checked: 10 });
  });

  it('resumes verification from its checkpoint, re-checking the checkpointed event; full re-reads all', async () => {
    await appendMany('firm-checkpoint', 4);
    expect(await audit.verify('firm-checkpoint')).toMatchObject({
      verified: true,
      checked: 4,
      checkpointSeq: 0,
    });
    await appendMany('firm-checkpoint', 2);
    expect(await audit.verify('firm-checkpoint')).toMatchObject({
      verified: true,
      checked: 6,
      checkpointSeq: 4,
    });
    // Rewriting an event before the checkpoint escapes the incremental check, not the full one.
    await raw.send(
      new UpdateCommand({
        TableName: TABLE,
        Key: eventKey('firm-checkpoint', 2),
        UpdateExpression: 'SET ip = :ip',
        ExpressionAttributeValues: { ':ip': '203.0.113.99' },
      }),
    );
    expect(await audit.verify('firm-checkpoint')).toMatchObject({ verified: true, checkpointSeq: 6 });
    expect(await audit.verify('firm-checkpoint', { full: true })).toMatchObject({
      verified: false,
      firstBrokenSeq: 2,
    });
    // The checkpointed event itself is re-checked every time.
    await raw.send(
      new UpdateCommand({
        TableName: TABLE,
        Key: eventKey('firm-checkpoint', 6),
        UpdateExpression: 'SET ip = :ip',
        ExpressionAttributeValues: { ':ip': '203.0.113.98' },
      }),
    );
    expect(await audit.verify('firm-checkpoint')).toMatchObject({ verified: false, firstBrokenSeq: 6 });
  });

  it('keeps two firms on separate chains', async () => {
    await appendMany('firm-b1', 3);
    await appendMany('firm-b2', 2);
    const one = await allEvents('firm-b1');
    const two = await allEvents('firm-b2');
    expect(one.map((e) => [e.chain, e.seq])).toEqual([
      ['firm-b1', 1],
      ['firm-b1', 2],
      ['firm-b1', 3],
    ]);
    expect(two.map((e) => [e.chain, e.seq])).toEqual([
      ['firm-b2', 1],
      ['firm-b2', 2],
    ]);
    expect(two[0]?.prevHash).toBe(GENESIS_HASH);
    expect(await audit.verify('firm-b2')).toMatchObject({ verified: true, pending: 0, checked: 2 });
    expect(await audit.verify('firm-never-used')).toMatchObject({ verified: true, pending: 0, checked: 0 });
  });

  it('writes events of no firm to the system chain', async () => {
    await audit.append(null, { action: 'auth.login_failed', outcome: 'failure', ip: '198.51.100.20' });
    await audit.append(null, { action: 'auth.login_failed', outcome: 'failure', ip: '198.51.100.21' });
    await chain(null);
    const events = await allEvents(null);
    expect(events.map((e) => [e.chain, e.seq, e.ip])).toEqual([
      ['system', 1, '198.51.100.20'],
      ['system', 2, '198.51.100.21'],
    ]);
    expect(events[0]).not.toHaveProperty('actor');
    expect(events[0]?.details).toEqual({});
    const { Item } = await raw.send(
      new GetCommand({ TableName: TABLE, Key: { pk: 'G#AUDIT#system', sk: 'HEAD' } }),
    );
    expect(Item?.seq).toBe(2);
    expect(await audit.verify(null)).toMatchObject({ verified: true, pending: 0, checked: 2 });
  });

  it('refuses an entry that fails its schema and writes nothing', async () => {
    await expect(
      audit.append('firm-invalid', { action: 'Meeting Read', outcome: 'success', ip: '192.0.2.1' }),
    ).rejects.toThrow(InvalidAuditEntryError);
    expect(await allEvents('firm-invalid')).toEqual([]);
  });

  it('pages newest first and oldest first with opaque cursors', async () => {
    await appendMany('firm-pages', 7);
    const walk = async (order: 'newest' | 'oldest') => {
      const pages: number[][] = [];
      let cursor: string | undefined;
      do {
        const page = await audit.page('firm-pages', { limit: 3, order, ...(cursor ? { cursor } : {}) });
        pages.push(page.items.map((e) => e.seq));
        cursor = page.cursor;
        if (cursor) expect(cursor).not.toContain('firm-pages');
      } while (cursor);
      return pages;
    };
    expect(await walk('newest')).toEqual([[7, 6, 5], [4, 3, 2], [1]]);
    expect(await walk('oldest')).toEqual([[1, 2, 3], [4, 5, 6], [7]]);
  });

  it('rejects a tampered cursor, another firm’s cursor and a cursor of the other order', async () => {
    await appendMany('firm-cursor-a', 3);
    await appendMany('firm-cursor-b', 3);
    const { cursor } = await audit.page('firm-cursor-a', { limit: 1, order: 'newest' });
    expect(cursor).toBeDefined();
    const c = cursor as string;
    const tampered = `${c.slice(0, 12)}${c[12] === 'A' ? 'B' : 'A'}${c.slice(13)}`;
    await expect(
      audit.page('firm-cursor-a', { limit: 1, order: 'newest', cursor: tampered }),
    ).rejects.toThrow(InvalidCursorError);
    await expect(audit.page('firm-cursor-b', { limit: 1, order: 'newest', cursor: c })).rejects.toThrow(
      InvalidCursorError,
    );
    await expect(audit.page(null, { limit: 1, order: 'newest', cursor: c })).rejects.toThrow(
      InvalidCursorError,
    );
    await expect(audit.page('firm-cursor-a', { limit: 1, order: 'oldest', cursor: c })).rejects.toThrow(
      InvalidCursorError,
    );
    expect((await audit.page('firm-cursor-a', { limit: 1, order: 'newest', cursor: c })).items[0]?.seq).toBe(
      2,
    );
  });

  it('reports a changed details field of a stored event, at that seq', async () => {
    await appendMany('firm-tamper-details', 5);
    await raw.send(
      new UpdateCommand({
        TableName: TABLE,
        Key: eventKey('firm-tamper-details', 3),
        UpdateExpression: 'SET details.n = :n',
        ExpressionAttributeValues: { ':n': 42 },
      }),
    );
    const result = await audit.verify('firm-tamper-details');
    expect(result).toMatchObject({ verified: false, firstBrokenSeq: 3, checked: 2 });
    expect(result.reason).toMatch(/changed/);
  });

  it('reports a stored event rewritten with another actor, at that seq', async () => {
    await appendMany('firm-tamper-actor', 4);
    const { Item } = await raw.send(
      new GetCommand({ TableName: TABLE, Key: eventKey('firm-tamper-actor', 2) }),
    );
    await raw.send(
      new PutCommand({
        TableName: TABLE,
        Item: { ...Item, actor: { userId: 'someone-else', role: 'admin' } },
      }),
    );
    expect(await audit.verify('firm-tamper-actor')).toMatchObject({ verified: false, firstBrokenSeq: 2 });
  });

  it('reports a stored event made malformed, and refuses to page it rather than drop it', async () => {
    await appendMany('firm-malformed', 3);
    await raw.send(
      new UpdateCommand({
        TableName: TABLE,
        Key: eventKey('firm-malformed', 2),
        UpdateExpression: 'SET outcome = :o',
        ExpressionAttributeValues: { ':o': 'maybe' },
      }),
    );
    const result = await audit.verify('firm-malformed');
    expect(result).toMatchObject({ verified: false, firstBrokenSeq: 2 });
    expect(result.reason).toMatch(/malformed/);
    await expect(audit.page('firm-malformed', { limit: 10, order: 'oldest' })).rejects.toThrow(
      CorruptItemError,
    );
  });

  it('reports a deleted middle event at its seq', async () => {
    await appendMany('firm-delete-middle', 5);
    await raw.send(new DeleteCommand({ TableName: TABLE, Key: eventKey('firm-delete-middle', 3) }));
    const result = await audit.verify('firm-delete-middle');
    expect(result).toMatchObject({ verified: false, firstBrokenSeq: 3, checked: 2 });
  });

  it('reports a deleted last event through the chain head', async () => {
    await appendMany('firm-delete-last', 5);
    await raw.send(new DeleteCommand({ TableName: TABLE, Key: eventKey('firm-delete-last', 5) }));
    const result = await audit.verify('firm-delete-last');
    expect(result).toMatchObject({ verified: false, firstBrokenSeq: 5, checked: 4 });
    expect(result.reason).toMatch(/head/);
  });

  it('reports an event slipped in beyond the head, and refuses to chain over it', async () => {
    await appendMany('firm-inject', 2);
    const { Item } = await raw.send(new GetCommand({ TableName: TABLE, Key: eventKey('firm-inject', 2) }));
    await raw.send(
      new PutCommand({ TableName: TABLE, Item: { ...Item, ...eventKey('firm-inject', 3), seq: 3 } }),
    );
    expect(await audit.verify('firm-inject')).toMatchObject({
      verified: false,
      firstBrokenSeq: 3,
      checked: 2,
    });
    await audit.append('firm-inject', entry(9));
    await expect(chain('firm-inject')).rejects.toThrow(AuditChainCorruptError);
    expect(await audit.verify('firm-inject')).toMatchObject({ pending: 1 });
  });

  it('reports a malformed head without throwing', async () => {
    await appendMany('firm-bad-head', 2);
    await raw.send(
      new UpdateCommand({
        TableName: TABLE,
        Key: { pk: 'T#firm-bad-head#AUDIT', sk: 'HEAD' },
        UpdateExpression: 'SET #h = :h',
        ExpressionAttributeNames: { '#h': 'hash' },
        ExpressionAttributeValues: { ':h': 'not-a-hash' },
      }),
    );
    expect(await audit.verify('firm-bad-head')).toMatchObject({ verified: false, reason: /head/ });
    await audit.append('firm-bad-head', entry(3));
    await expect(chain('firm-bad-head')).rejects.toThrow(CorruptItemError);
  });
});
