import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { StoreDeps } from '../../functions/adapters/store/dynamo-store';
import { createKeyring, generateKeyringKey, type Keyring } from '../../functions/platform/crypto/keyring';
import { ensureLocalTable } from '../../lib/local/create-local-table';
import { localDynamoClient, startDynamoEngine } from '../../lib/local/dynamo-engine';

/** DynamoDB Local with one table, for a store's integration test. */
export interface LocalTable {
  /** The document client, for reading and writing items behind the store's back. */
  raw: DynamoDBDocumentClient;
  tableName: string;
  keyring: Keyring;
  /** What a store takes: this table and a keyring provider that always serves `keyring`. */
  storeDeps: StoreDeps;
  stop(): Promise<void>;
}

/** Starts DynamoDB Local, creates `tableName` as deployed, and makes a fresh single-key keyring. */
export async function startLocalTable(tableName: string): Promise<LocalTable> {
  const engine = await startDynamoEngine();
  const client = localDynamoClient(engine.endpoint);
  await ensureLocalTable(client, tableName);
  // As production's document client marshals (functions/adapters/aws-clients.ts).
  const raw = DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertEmptyValues: false },
  });
  const keyring = createKeyring({ keys: [generateKeyringKey('k1')] });
  return {
    raw,
    tableName,
    keyring,
    storeDeps: {
      client: raw,
      tableName,
      keyring: { load: async () => keyring, reload: async () => keyring },
      now: () => Date.now(),
    },
    stop: () => engine.stop(),
  };
}
