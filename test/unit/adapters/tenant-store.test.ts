import { DeleteCommand, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { DynamoStore, TenantIsolationError } from '../../../functions/adapters/store/dynamo-store';
import type { Entity } from '../../../functions/adapters/store/entity';
import { tenantPrefix } from '../../../functions/adapters/store/keys/tenant-prefix';
import { createKeyring } from '../../../functions/platform/crypto/keyring';
import { InvalidCursorError } from '../../../functions/platform/errors';

const keyring = createKeyring({ keys: [{ id: 'k1', material: 'm'.repeat(48) }] });
const NoteSchema = z.object({ id: z.string(), owner: z.string() });

/** Keys as a buggy key builder might make them: `owner` names the tenant the keys are built for. */
const NoteEntity: Entity<typeof NoteSchema> = {
  name: 'note',
  schema: NoteSchema,
  encrypted: [],
  keys: (_tenantId, item) => ({
    pk: `T#${item.owner}#NOTE`,
    sk: `NOTE#${item.id}`,
    gsi1pk: `T#${item.owner}#NOTES`,
    gsi1sk: item.id,
  }),
};

/** The document client, recording every command; the store must send none for another tenant's key. */
function store(tenant = 'firm-a') {
  const sent: unknown[] = [];
  const client = {
    send: async (command: unknown) => {
      sent.push(command);
      if (!(command instanceof QueryCommand)) return {};
      const partition = String(command.input.ExpressionAttributeValues?.[':pk']);
      return { Items: [], LastEvaluatedKey: { pk: partition, sk: 'NOTE#9' } };
    },
  };
  const tenantStore = new DynamoStore({
    client: client as never,
    tableName: 'smartad',
    keyring: { load: async () => keyring, reload: async () => keyring } as never,
    now: () => Date.UTC(2031, 0, 1),
  }).forTenant(tenant);
  return { tenantStore, sent };
}

/** The promise fails with the store's isolation error naming `attribute`. */
async function refused(promise: Promise<unknown>, attribute: string) {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TenantIsolationError);
  expect(error).toMatchObject({
    code: 'tenant_isolation_violation',
    message: `Key attribute ${attribute} does not belong to the calling tenant.`,
  });
}

describe('tenant store isolation', () => {
  it('prefixes every key with T#<tenant># and refuses a tenant id that could break out of it', () => {
    expect(tenantPrefix('firm-a')).toBe('T#firm-a#');
    for (const bad of ['', 'firm#b', 'a'.repeat(65), 'firm a']) expect(() => tenantPrefix(bad)).toThrow();
    expect(tenantPrefix('a'.repeat(64))).toBe(`T#${'a'.repeat(64)}#`);
    expect(() => store('firm#b')).toThrow();
  });

  it('reads, deletes and queries only keys under its own prefix, sending nothing otherwise', async () => {
    const { tenantStore, sent } = store();
    for (const pk of ['T#firm-b#NOTE', 'T#firm-ab#NOTE', 'firm-a#NOTE', 'X#T#firm-a#NOTE']) {
      await refused(tenantStore.get(NoteEntity, { pk, sk: 'NOTE#1' }), 'pk');
      await refused(tenantStore.delete(NoteEntity, { pk, sk: 'NOTE#1' }), 'pk');
      await refused(tenantStore.query(NoteEntity, { partition: pk, limit: 10 }), 'partition');
    }
    expect(sent).toEqual([]);
  });

  it('refuses to write an item whose keys a builder put under another tenant, table key or index key', async () => {
    const { tenantStore, sent } = store();
    await refused(tenantStore.put(NoteEntity, { id: '1', owner: 'firm-b' }), 'pk');
    const indexOnly: Entity<typeof NoteSchema> = {
      ...NoteEntity,
      keys: (tenantId, item) => ({ ...NoteEntity.keys(tenantId, item), pk: 'T#firm-a#NOTE' }),
    };
    await refused(tenantStore.put(indexOnly, { id: '1', owner: 'firm-b' }), 'gsi1pk');
    const gsi2: Entity<typeof NoteSchema> = {
      ...NoteEntity,
      keys: (_tenantId, item) => ({ pk: 'T#firm-a#NOTE', sk: 'NOTE#1', gsi2pk: `T#${item.owner}#X` }),
    };
    await refused(tenantStore.put(gsi2, { id: '1', owner: 'firm-b' }), 'gsi2pk');
    expect(sent).toEqual([]);
  });

  it('sends its own keys on: get, put, delete and a query of its partition, one page clamped to 1–100', async () => {
    const { tenantStore, sent } = store();
    const key = { pk: 'T#firm-a#NOTE', sk: 'NOTE#1' };
    await tenantStore.get(NoteEntity, key);
    await tenantStore.put(NoteEntity, { id: '1', owner: 'firm-a' });
    await tenantStore.delete(NoteEntity, key);
    await tenantStore.query(NoteEntity, { partition: 'T#firm-a#NOTE', limit: 0 });
    await tenantStore.query(NoteEntity, { partition: 'T#firm-a#NOTE', limit: 500, sortKeyPrefix: 'NOTE#' });
    expect(sent.map((c) => c?.constructor)).toEqual([
      GetCommand,
      PutCommand,
      DeleteCommand,
      QueryCommand,
      QueryCommand,
    ]);
    expect((sent[0] as GetCommand).input).toEqual({ TableName: 'smartad', Key: key });
    expect((sent[1] as PutCommand).input.Item).toMatchObject({
      ...key,
      gsi1pk: 'T#firm-a#NOTES',
      entity: 'note',
    });
    expect((sent[2] as DeleteCommand).input).toMatchObject({
      Key: key,
      ConditionExpression: '#entity = :entity',
      ExpressionAttributeValues: { ':entity': 'note' },
    });
    const [first, second] = [sent[3], sent[4]] as QueryCommand[];
    expect(first?.input).toMatchObject({
      KeyConditionExpression: '#pk = :pk',
      FilterExpression: '#entity = :entity',
      ExpressionAttributeValues: { ':pk': 'T#firm-a#NOTE', ':entity': 'note' },
      Limit: 1,
      ScanIndexForward: true,
    });
    expect(second?.input).toMatchObject({
      KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :sk)',
      ExpressionAttributeValues: { ':pk': 'T#firm-a#NOTE', ':sk': 'NOTE#' },
      Limit: 100,
    });
  });

  it('binds a page cursor to the tenant, index, partition and entity it came from', async () => {
    const { tenantStore, sent } = store();
    const page = await tenantStore.query(NoteEntity, { partition: 'T#firm-a#NOTE', limit: 10 });
    expect(page).toEqual({ items: [], cursor: expect.any(String) });
    const cursor = page.cursor as string;
    await tenantStore.query(NoteEntity, { partition: 'T#firm-a#NOTE', limit: 10, cursor });
    expect((sent[1] as QueryCommand).input.ExclusiveStartKey).toEqual({ pk: 'T#firm-a#NOTE', sk: 'NOTE#9' });
    const other = store('firm-b').tenantStore;
    for (const attempt of [
      tenantStore.query(NoteEntity, { partition: 'T#firm-a#OTHER', limit: 10, cursor }),
      tenantStore.query(NoteEntity, { partition: 'T#firm-a#NOTE', index: 'gsi1', limit: 10, cursor }),
      tenantStore.query({ ...NoteEntity, name: 'other' }, { partition: 'T#firm-a#NOTE', limit: 10, cursor }),
      other.query(NoteEntity, { partition: 'T#firm-b#NOTE', limit: 10, cursor }),
    ]) {
      await expect(attempt).rejects.toBeInstanceOf(InvalidCursorError);
    }
  });
});
