import { randomBytes, randomUUID } from 'node:crypto';
import { type DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoIdentityStore } from '../../functions/adapters/store/identity-store';
import { DynamoRefreshTokenStore } from '../../functions/adapters/store/refresh-token-store';
import type { IdentityDeps } from '../../functions/core/identity/ports';
import { type AccessTokens, createAccessTokens } from '../../functions/platform/crypto/access-token';
import { createPasswordHasher } from '../../functions/platform/crypto/password-hash';
import { RecordingAuditLog, TEST_SIGNING_KEY } from '../fakes/identity-deps';
import { startLocalTable } from './local-table';

export interface IdentityTable {
  raw: DynamoDBDocumentClient;
  tableName: string;
  identities: DynamoIdentityStore;
  refreshTokens: DynamoRefreshTokenStore;
  /** Every item in the table, as DynamoDB holds it (for "nothing in plaintext" checks). */
  scan(): Promise<Record<string, unknown>[]>;
  /** Real stores, real scrypt (logN 14 for speed), real tokens and ids; a recording audit log and a movable clock. */
  deps(): IdentityDeps & {
    audit: RecordingAuditLog;
    clock: { now(): number; advance(ms: number): void };
    accessTokens: AccessTokens;
  };
  stop(): Promise<void>;
}

/** DynamoDB Local with the one table (`startLocalTable`), and the identity stores over it, wired as production wires them. */
export async function startIdentityTable(tableName: string): Promise<IdentityTable> {
  const table = await startLocalTable(tableName);
  const { raw, storeDeps } = table;
  const identities = new DynamoIdentityStore(storeDeps);
  const refreshTokens = new DynamoRefreshTokenStore({ client: raw, tableName, now: () => Date.now() });
  const passwords = createPasswordHasher({ logN: 14 });
  return {
    raw,
    tableName,
    identities,
    refreshTokens,
    async scan() {
      const items: Record<string, unknown>[] = [];
      let start: Record<string, unknown> | undefined;
      do {
        const page = await raw.send(
          new ScanCommand({ TableName: tableName, ...(start ? { ExclusiveStartKey: start } : {}) }),
        );
        items.push(...(page.Items ?? []));
        start = page.LastEvaluatedKey;
      } while (start);
      return items;
    },
    deps() {
      let now = Date.now();
      const clock = {
        now: () => now,
        advance: (ms: number) => {
          now += ms;
        },
      };
      return {
        identities,
        refreshTokens,
        passwords,
        audit: new RecordingAuditLog(),
        clock,
        ids: { uuid: () => randomUUID(), token: () => randomBytes(32).toString('hex') },
        accessTokens: createAccessTokens({
          key: TEST_SIGNING_KEY,
          issuer: 'test-issuer',
          audience: 'test-audience',
          ttlSeconds: 900,
          now: clock.now,
        }),
        settings: { refreshTokenTtlSeconds: 30 * 86_400, inviteTtlSeconds: 7 * 86_400 },
      };
    },
    stop: () => table.stop(),
  };
}

/** Every string in an item, binary attributes as their UTF-8 and base64 renderings. */
export function itemText(item: Record<string, unknown>): string {
  return JSON.stringify(item, (_key, value: unknown) =>
    value instanceof Uint8Array
      ? `${Buffer.from(value).toString('utf8')}|${Buffer.from(value).toString('base64')}`
      : value,
  );
}
