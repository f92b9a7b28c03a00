import { randomUUID } from 'node:crypto';
import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuditChainer } from '../../functions/adapters/store/audit-chainer';
import { createAuditLogStore } from '../../functions/adapters/store/audit-log-store';
import { DynamoStore } from '../../functions/adapters/store/dynamo-store';
import { DynamoFirmSettingsStore } from '../../functions/adapters/store/firm-settings-store';
import { DynamoIdentityStore } from '../../functions/adapters/store/identity-store';
import { auditPartition } from '../../functions/adapters/store/keys/audit-keys';
import { updateFirmSettings } from '../../functions/core/firm/update-firm-settings';
import { changeRole } from '../../functions/core/identity/change-role';
import { aFirm, aUser } from '../fakes/identity-deps';
import { type LocalTable, startLocalTable } from '../support/local-table';

let table: LocalTable;

beforeAll(async () => {
  table = await startLocalTable('audited-write-faults');
});

afterAll(async () => {
  await table?.stop();
});

type Mode = 'before' | 'after';

/**
 * The table's client with one call made to fail: the `failAt`-th request either never reaches the table
 * (`before`) or reaches it and loses its answer (`after`, the process dying right after the write).
 */
function faultyClient(failAt: number, mode: Mode) {
  let calls = 0;
  const client = {
    send: async (command: Parameters<DynamoDBDocumentClient['send']>[0]) => {
      calls += 1;
      if (calls !== failAt) return table.raw.send(command);
      if (mode === 'after') await table.raw.send(command);
      throw new Error(`injected failure ${mode} call ${failAt}`);
    },
  };
  return { client: client as unknown as DynamoDBDocumentClient, calls: () => calls };
}

/** Events of `action` in the firm's trail: recorded (pending) and chained alike. */
async function eventsOf(tenantId: string, action: string): Promise<number> {
  const { Items } = await table.raw.send(
    new QueryCommand({
      TableName: table.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': auditPartition(tenantId) },
      ConsistentRead: true,
    }),
  );
  return (Items ?? []).filter((item) => item.action === action).length;
}

/**
 * Runs `write` once cleanly to count its requests, then once per request with that request failing before and
 * after it lands, and checks each time that the change and its audit event exist together or not at all.
 */
async function injectEveryStep(scenario: {
  seed(tenantId: string): Promise<void>;
  write(tenantId: string, client: DynamoDBDocumentClient): Promise<unknown>;
  changed(tenantId: string): Promise<boolean>;
  action: string;
}) {
  const clean = faultyClient(0, 'before');
  const cleanTenant = `clean-${randomUUID().slice(0, 8)}`;
  await scenario.seed(cleanTenant);
  await scenario.write(cleanTenant, clean.client);
  expect(await scenario.changed(cleanTenant)).toBe(true);
  expect(await eventsOf(cleanTenant, scenario.action)).toBe(1);
  const steps = clean.calls();
  expect(steps).toBeGreaterThan(0);
  const outcomes: string[] = [];
  for (let failAt = 1; failAt <= steps; failAt += 1) {
    for (const mode of ['before', 'after'] as const) {
      const tenantId = `t-${failAt}-${mode}-${randomUUID().slice(0, 8)}`;
      await scenario.seed(tenantId);
      const faulty = faultyClient(failAt, mode);
      await expect(scenario.write(tenantId, faulty.client)).rejects.toThrow(/injected/);
      const changed = await scenario.changed(tenantId);
      const events = await eventsOf(tenantId, scenario.action);
      expect({ failAt, mode, changed, events }).toEqual({ failAt, mode, changed, events: changed ? 1 : 0 });
      outcomes.push(`${failAt}/${mode}:${changed ? 'both' : 'neither'}`);
    }
  }
  // Some failure left neither and a lost answer after the write left both: the injection reached the write.
  expect(outcomes.some((o) => o.endsWith('neither'))).toBe(true);
  expect(outcomes.some((o) => o.endsWith('both'))).toBe(true);
}

const storeDeps = (client: DynamoDBDocumentClient) => ({ ...table.storeDeps, client });
const admin = (tenantId: string) => ({ tenantId, userId: 'u-admin', role: 'admin' as const });

describe('an audited change and its event land together or not at all (DynamoDB Local, a fault at every step)', () => {
  it('firm settings (a tenant-store put with its event)', async () => {
    await injectEveryStep({
      action: 'firm.settings_changed',
      seed: async () => undefined,
      write: (tenantId, client) =>
        updateFirmSettings(
          { actor: admin(tenantId), ip: '192.0.2.1', followUpDisclaimer: 'Changed disclaimer.' },
          {
            firmSettings: new DynamoFirmSettingsStore(new DynamoStore(storeDeps(client))),
            clock: { now: () => Date.now() },
          },
        ),
      changed: async (tenantId) =>
        (await new DynamoFirmSettingsStore(new DynamoStore(table.storeDeps)).get(tenantId))
          ?.followUpDisclaimer === 'Changed disclaimer.',
    });
  });

  it('a role change (an identity transaction with its event)', async () => {
    const seeded = new DynamoIdentityStore(table.storeDeps);
    const seedAudit = { action: 'firm.registered', outcome: 'success' as const, ip: 'seed' };
    await injectEveryStep({
      action: 'user.role_changed',
      seed: async (tenantId) => {
        const owner = aUser({ tenantId, userId: 'u-admin', role: 'admin' });
        owner.email = `admin-${tenantId}@faults.example`;
        await seeded.registerFirm(aFirm(tenantId), owner, seedAudit);
        const advisor = aUser({ tenantId, userId: 'u-adv', role: 'advisor' });
        advisor.email = `adv-${tenantId}@faults.example`;
        await seeded.createInvitedUser(advisor, { token: randomUUID(), expiresAt: 4_000_000_000 }, seedAudit);
      },
      write: (tenantId, client) => {
        const identities = new DynamoIdentityStore(storeDeps(client));
        return changeRole(
          { actor: admin(tenantId), ip: '192.0.2.1', userId: 'u-adv', role: 'compliance' },
          { identities, clock: { now: () => Date.now() } },
        );
      },
      changed: async (tenantId) => (await seeded.getUser(tenantId, 'u-adv'))?.role === 'compliance',
    });
  });

  it('the chain writer: a fault at any step, then the next delivery, links every event exactly once', async () => {
    const log = createAuditLogStore({ ...table.storeDeps, now: () => Date.now() });
    const entry = (n: number) => ({
      action: 'meeting.read',
      outcome: 'success' as const,
      ip: 'x',
      details: { n },
    });
    const clean = faultyClient(0, 'before');
    const probe = `probe-${randomUUID().slice(0, 8)}`;
    for (let n = 1; n <= 5; n += 1) await log.append(probe, entry(n));
    await createAuditChainer({ client: clean.client, tableName: table.tableName, batchSize: 2 }).drain(
      auditPartition(probe),
    );
    const steps = clean.calls();
    for (let failAt = 1; failAt <= steps; failAt += 1) {
      for (const mode of ['before', 'after'] as const) {
        const tenantId = `chain-${failAt}-${mode}-${randomUUID().slice(0, 8)}`;
        for (let n = 1; n <= 5; n += 1) await log.append(tenantId, entry(n));
        const faulty = faultyClient(failAt, mode);
        const partition = auditPartition(tenantId);
        await expect(
          createAuditChainer({ client: faulty.client, tableName: table.tableName, batchSize: 2 }).drain(
            partition,
          ),
        ).rejects.toThrow(/injected/);
        await createAuditChainer({ client: table.raw, tableName: table.tableName, batchSize: 2 }).drain(
          partition,
        );
        const trail = await log.page(tenantId, { limit: 100, order: 'oldest' });
        expect(trail.items.map((e) => e.details.n).sort()).toEqual([1, 2, 3, 4, 5]);
        expect(trail.items.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
        expect(await log.verify(tenantId)).toMatchObject({ verified: true, pending: 0, checked: 5 });
      }
    }
  });
});
