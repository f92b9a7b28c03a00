import { setTimeout as sleep } from 'node:timers/promises';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  type QueryCommandInput,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import type { AuditEntry, AuditLog } from '../../core/audit/audit-entry';
import {
  type AuditEvent,
  AuditEventSchema,
  type ChainHead,
  ChainHeadSchema,
  GENESIS_HASH,
  nextAuditEvent,
  parseAuditEntry,
} from '../../core/audit/audit-event';
import { type ChainVerification, verifyChain } from '../../core/audit/verify-chain';
import { AppError } from '../../platform/errors';
import type { KeyringProvider } from '../secrets/secret-source';
import { decodeCursor, encodeCursor, type LastEvaluatedKey } from './cursor';
import type { Page } from './entity';
import { CorruptItemError } from './item-codec';
import {
  AUDIT_EVENT_SK_PREFIX,
  AUDIT_HEAD_SK,
  auditChainName,
  auditEventSk,
  auditPartition,
} from './keys/audit-keys';

const EVENT_ENTITY = 'audit-event';
const HEAD_ENTITY = 'audit-head';
const MAX_PAGE = 100;
const DEFAULT_MAX_ATTEMPTS = 10;
const BACKOFF_BASE_MS = 10;
const BACKOFF_CAP_MS = 200;

/** An append that lost the race for the chain head on every attempt. The entry was not written. */
export class AuditChainContendedError extends AppError {
  constructor(chain: string, attempts: number, cause: unknown) {
    super('audit_chain_contended', `Audit chain ${chain} stayed contended for ${attempts} attempts.`, {
      cause,
    });
  }
}

/** An event already sits where the head says the next one goes: someone wrote to the chain besides this log. */
export class AuditChainCorruptError extends AppError {
  constructor(chain: string, seq: number, cause: unknown) {
    super('audit_chain_corrupt', `Audit chain ${chain} already holds an event ${seq} beyond its head.`, {
      cause,
    });
  }
}

export interface AuditLogStoreDeps {
  client: DynamoDBDocumentClient;
  tableName: string;
  /** Epoch milliseconds: each event's `at`. */
  now: () => number;
  /** Seals pagination cursors; loaded only when a cursor is read or issued. */
  keyring: KeyringProvider;
  /** Attempts before a contended append gives up (default 10). */
  maxAttempts?: number;
}

export interface AuditPageOptions {
  limit: number;
  cursor?: string;
  order: 'newest' | 'oldest';
}

/** The audit log port plus what the compliance views need: pages of events and a chain check. */
export interface AuditLogStore extends AuditLog {
  /** One page of a chain's events; a tampered cursor or one issued for another chain or order is 400. */
  page(tenantId: string | null, options: AuditPageOptions): Promise<Page<AuditEvent>>;
  /** Re-reads the whole chain and its head and checks every link. */
  verify(tenantId: string | null): Promise<ChainVerification>;
}

/**
 * The append-only audit trail in the one table: one partition and one hash chain per firm (plus the system
 * chain). An append reads the head with a consistent read and writes the head and the new event in one
 * transaction, conditioned on the head it read, so concurrent appends (any number of function instances) get
 * contiguous seqs and never fork the chain; the loser re-reads and retries. Events are only ever put, never
 * updated or deleted, by this code.
 */
export function createAuditLogStore(deps: AuditLogStoreDeps): AuditLogStore {
  const maxAttempts = deps.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;

  const readHead = async (partition: string): Promise<Record<string, unknown> | undefined> => {
    const { Item } = await deps.client.send(
      new GetCommand({
        TableName: deps.tableName,
        Key: { pk: partition, sk: AUDIT_HEAD_SK },
        ConsistentRead: true,
      }),
    );
    return Item;
  };

  const parseHead = (item: Record<string, unknown>) =>
    ChainHeadSchema.safeParse({ seq: item.seq, hash: item.hash });

  const tryAppend = async (partition: string, chain: string, entry: AuditEntry): Promise<void> => {
    const headItem = await readHead(partition);
    let head: ChainHead | undefined;
    if (headItem) {
      const parsed = parseHead(headItem);
      if (!parsed.success) throw new CorruptItemError(HEAD_ENTITY, partition, AUDIT_HEAD_SK, parsed.error);
      head = parsed.data;
    }
    const event = nextAuditEvent({ chain, head, at: new Date(deps.now()).toISOString(), entry });
    await deps.client.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Update: {
              TableName: deps.tableName,
              Key: { pk: partition, sk: AUDIT_HEAD_SK },
              UpdateExpression: 'SET #seq = :seq, #hash = :hash, #entity = :entity',
              ConditionExpression: head ? '#seq = :expected' : 'attribute_not_exists(pk)',
              ExpressionAttributeNames: { '#seq': 'seq', '#hash': 'hash', '#entity': 'entity' },
              ExpressionAttributeValues: {
                ':seq': event.seq,
                ':hash': event.hash,
                ':entity': HEAD_ENTITY,
                ...(head ? { ':expected': head.seq } : {}),
              },
            },
          },
          {
            Put: {
              TableName: deps.tableName,
              Item: { ...event, pk: partition, sk: auditEventSk(event.seq), entity: EVENT_ENTITY },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
        ],
      }),
    );
  };

  const readChain = async (partition: string): Promise<Record<string, unknown>[]> => {
    const items: Record<string, unknown>[] = [];
    let startKey: QueryCommandInput['ExclusiveStartKey'];
    do {
      const result = await deps.client.send(
        new QueryCommand({
          TableName: deps.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :evt)',
          ExpressionAttributeValues: { ':pk': partition, ':evt': AUDIT_EVENT_SK_PREFIX },
          ConsistentRead: true,
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
      );
      items.push(...(result.Items ?? []));
      startKey = result.LastEvaluatedKey;
    } while (startKey);
    return items;
  };

  return {
    async append(tenantId, entry) {
      parseAuditEntry(entry); // a bad entry fails before any read
      const partition = auditPartition(tenantId);
      const chain = auditChainName(tenantId);
      for (let attempt = 1; ; attempt += 1) {
        try {
          await tryAppend(partition, chain, entry);
          return;
        } catch (error) {
          const contention = classifyCancellation(error);
          if (contention === 'event-exists') {
            const head = await readHead(partition);
            throw new AuditChainCorruptError(chain, Number(head?.seq ?? 0) + 1, error);
          }
          if (contention !== 'head-moved') throw error;
          if (attempt >= maxAttempts) throw new AuditChainContendedError(chain, attempt, error);
          // Full jitter: contenders that collided once spread out instead of colliding again.
          await sleep(Math.random() * Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** (attempt - 1)));
        }
      }
    },

    async page(tenantId, options) {
      const partition = auditPartition(tenantId);
      const scope = `audit\u0000${partition}\u0000${options.order}`;
      const startKey = options.cursor
        ? decodeCursor(await deps.keyring.load(), scope, options.cursor)
        : undefined;
      const result = await deps.client.send(
        new QueryCommand({
          TableName: deps.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :evt)',
          ExpressionAttributeValues: { ':pk': partition, ':evt': AUDIT_EVENT_SK_PREFIX },
          Limit: Math.min(Math.max(1, Math.trunc(options.limit)), MAX_PAGE),
          ScanIndexForward: options.order === 'oldest',
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
      );
      const items = (result.Items ?? []).map((item) => {
        const parsed = AuditEventSchema.safeParse(storedEvent(item));
        if (!parsed.success) {
          throw new CorruptItemError(EVENT_ENTITY, partition, String(item.sk), parsed.error);
        }
        return parsed.data;
      });
      const last = result.LastEvaluatedKey as LastEvaluatedKey | undefined;
      return {
        items,
        ...(last ? { cursor: encodeCursor(await deps.keyring.load(), scope, last) } : {}),
      };
    },

    // Reads the whole chain into memory: fine while chains are thousands of events; a checkpointed verify
    // (resume from the last verified seq and hash) replaces this when they grow.
    async verify(tenantId) {
      const partition = auditPartition(tenantId);
      const chain = auditChainName(tenantId);
      const headItem = await readHead(partition);
      const items = await readChain(partition);
      let head: ChainHead | { seq: 0; hash: string } = { seq: 0, hash: GENESIS_HASH };
      if (headItem) {
        const parsed = parseHead(headItem);
        if (!parsed.success) {
          const events = verifyChain(items.map(storedEvent), undefined, chain);
          if (!events.verified) return events;
          return { verified: false, checked: events.checked, reason: 'the chain head is malformed' };
        }
        head = parsed.data;
      }
      const headSk = auditEventSk(head.seq);
      const within = items.filter((item) => String(item.sk) <= headSk);
      const beyond = items.slice(within.length);
      if (beyond.length === 0) return verifyChain(within.map(storedEvent), head, chain);
      // Events past the head are either appends that committed after the head was read (the head has moved
      // past them now) or items this log never wrote; only the second is a break.
      const later = await readHead(partition);
      const laterHead = later ? parseHead(later) : undefined;
      const explained =
        laterHead?.success === true &&
        beyond.every((item) => String(item.sk) <= auditEventSk(laterHead.data.seq));
      return explained
        ? verifyChain(within.map(storedEvent), head, chain)
        : verifyChain(items.map(storedEvent), head, chain);
    },
  };
}

/**
 * The event as stored, without its keys. `entity` is dropped only when it says what it should: anything else
 * stays, and the strict event schema reports it as a break.
 */
function storedEvent(item: Record<string, unknown>): Record<string, unknown> {
  const { pk: _pk, sk: _sk, entity, ...rest } = item;
  return entity === EVENT_ENTITY ? rest : { ...rest, entity };
}

/**
 * `head-moved`: another append won the head (its condition failed, or the transaction conflicted), so re-read
 * and retry. `event-exists`: the head condition held but an event already sits at the next seq, which no retry
 * can fix. `undefined`: not a cancelled transaction at all.
 */
function classifyCancellation(error: unknown): 'head-moved' | 'event-exists' | undefined {
  if (!(error instanceof TransactionCanceledException)) return undefined;
  const [head, event] = (error.CancellationReasons ?? []).map((reason) => reason.Code);
  if (
    head === 'ConditionalCheckFailed' ||
    head === 'TransactionConflict' ||
    event === 'TransactionConflict'
  ) {
    return 'head-moved';
  }
  if (event === 'ConditionalCheckFailed') return 'event-exists';
  return undefined;
}
