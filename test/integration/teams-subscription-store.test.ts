import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { teamsSubscriptionKey } from '../../functions/adapters/store/keys/teams-subscription-keys';
import { DynamoTeamsSubscriptionStore } from '../../functions/adapters/store/teams-subscription-store';
import type { TeamsSubscription } from '../../functions/integrations/teams/teams-subscription';
import { type LocalTable, startLocalTable } from '../support/local-table';

const TABLE = 'teams-subscriptions-test';
let table: LocalTable;
let raw: DynamoDBDocumentClient;
let store: DynamoTeamsSubscriptionStore;

beforeAll(async () => {
  table = await startLocalTable(TABLE);
  raw = table.raw;
  store = new DynamoTeamsSubscriptionStore(table.storeDeps);
}, 60_000);

afterAll(async () => {
  await table?.stop();
});

const subscription = (id: string, firmId: string, expiresAt: string): TeamsSubscription => ({
  subscriptionId: id,
  firmId,
  graphTenantId: 'tenant-a',
  graphUserId: `renata.${id}@firm.example`,
  resource: `users/renata.${id}@firm.example/onlineMeetings/getAllTranscripts`,
  expiresAt,
  createdAt: '2026-01-01T00:00:00.000Z',
});

describe('DynamoTeamsSubscriptionStore against DynamoDB Local', () => {
  it('finds a subscription by id and by firm, with the organizer encrypted at rest', async () => {
    const s = subscription('s1', 'firm-a', '2026-01-03T00:00:00.000Z');
    await store.put(s);
    expect(await store.get('s1')).toEqual(s);
    expect(await store.listForFirm('firm-a')).toEqual([s]);
    expect(await store.listForFirm('firm-b')).toEqual([]);
    const { Item } = await raw.send(new GetCommand({ TableName: TABLE, Key: teamsSubscriptionKey('s1') }));
    expect(JSON.stringify(Item)).not.toContain('renata');
  });

  it('lists every firm’s subscriptions expiring by a time, soonest first, by a key range', async () => {
    await store.put(subscription('s2', 'firm-b', '2026-01-02T00:00:00.000Z'));
    await store.put(subscription('s3', 'firm-a', '2026-01-05T00:00:00.000Z'));
    const due = await store.expiringBefore('2026-01-03T00:00:00.000Z', 10);
    expect(due.map((s) => s.subscriptionId)).toEqual(['s2', 's1']);
    expect((await store.expiringBefore('2026-01-03T00:00:00.000Z', 1)).map((s) => s.subscriptionId)).toEqual([
      's2',
    ]);
  });

  it('moves a renewed subscription in the expiry index and forgets a deleted one', async () => {
    const s1 = await store.get('s1');
    if (!s1) throw new Error('missing');
    await store.put({ ...s1, expiresAt: '2026-01-09T00:00:00.000Z' });
    expect((await store.expiringBefore('2026-01-03T00:00:00.000Z', 10)).map((s) => s.subscriptionId)).toEqual(
      ['s2'],
    );
    await store.delete(s1);
    expect(await store.get('s1')).toBeUndefined();
    expect((await store.listForFirm('firm-a')).map((s) => s.subscriptionId)).toEqual(['s3']);
  });

  it('records a reconcile without rewriting the item, never going back in time, and not for a deleted one', async () => {
    const s4 = subscription('s4', 'firm-a', '2026-01-04T00:00:00.000Z');
    await store.put(s4);
    await store.markReconciled('s4', '2026-01-02T10:00:00.000Z');
    expect(await store.get('s4')).toEqual({ ...s4, reconciledAt: '2026-01-02T10:00:00.000Z' });
    await store.markReconciled('s4', '2026-01-02T09:00:00.000Z');
    expect((await store.get('s4'))?.reconciledAt).toBe('2026-01-02T10:00:00.000Z');
    // A renewal's put keeps it (the item is read, extended and written back).
    const read = await store.get('s4');
    if (!read) throw new Error('missing');
    await store.put({ ...read, expiresAt: '2026-01-06T00:00:00.000Z' });
    expect((await store.get('s4'))?.reconciledAt).toBe('2026-01-02T10:00:00.000Z');
    await store.delete(s4);
    await store.markReconciled('s4', '2026-01-02T11:00:00.000Z');
    expect(await store.get('s4')).toBeUndefined();
  });
});
