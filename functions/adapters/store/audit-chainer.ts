import { setTimeout as sleep } from 'node:timers/promises';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import {
  type AuditEvent,
  type ChainHead,
  ChainHeadSchema,
  nextAuditEvent,
} from '../../core/audit/audit-event';
import { AppError } from '../../platform/errors';
import { PENDING_AUDIT_ENTITY, PendingAuditSchema, type TransactItem } from './audit-pending';
import { CorruptItemError } from './item-codec';
import {
  AUDIT_HEAD_SK,
  AUDIT_PENDING_SK_PREFIX,
  auditChainOfPartition,
  auditEventSk,
} from './keys/audit-keys';

export const AUDIT_EVENT_ENTITY = 'audit-event';
export const AUDIT_HEAD_ENTITY = 'audit-head';

/** Head, events and deletes of pending items share one transaction (at most 100 parts): 1 + 2 × 40. */
const DEFAULT_BATCH = 40;
const DEFAULT_MAX_CONFLICTS = 20;

/** An event already sits where the head says the next one goes: someone wrote to the chain besides its writer. */
export class AuditChainCorruptError extends AppError {
  constructor(chain: string, seq: number, cause: unknown) {
    super('audit_chain_corrupt', `Audit chain ${chain} already holds an event ${seq} beyond its head.`, {
      cause,
    });
  }
}

/** Another writer kept moving the same chain on every attempt; nothing was lost, the next delivery drains it. */
export class AuditChainBusyError extends AppError {
  constructor(chain: string, attempts: number, cause: unknown) {
    super('audit_chain_busy', `Audit chain ${chain} was moved by another writer ${attempts} times.`, {
      cause,
    });
  }
}

export interface AuditChainerDeps {
  client: DynamoDBDocumentClient;
  tableName: string;
  /** Pending events linked per transaction (default 40, at most 49). */
  batchSize?: number;
  /** Lost races with another writer of the same chain before giving up (default 20). */
  maxConflicts?: number;
}

/**
 * The one writer of a firm's hash chain. Changes record their audit events as pending items in the same
 * transaction as the change; `drain` links every pending event of a chain: it reads the head, takes the oldest
 * pending events, and in one transaction writes the new head, the chained events and deletes those pending
 * items. The head condition makes a second writer of the same chain (a redelivery, a shard split) lose the race
 * and re-read instead of forking the chain, and the deletes make every event appear exactly once.
 */
export function createAuditChainer(deps: AuditChainerDeps) {
  const batchSize = Math.min(Math.max(1, deps.batchSize ?? DEFAULT_BATCH), 49);
  const maxConflicts = deps.maxConflicts ?? DEFAULT_MAX_CONFLICTS;

  const readHead = async (partition: string): Promise<ChainHead | undefined> => {
    const { Item } = await deps.client.send(
      new GetCommand({
        TableName: deps.tableName,
        Key: { pk: partition, sk: AUDIT_HEAD_SK },
        ConsistentRead: true,
      }),
    );
    if (!Item) return undefined;
    const parsed = ChainHeadSchema.safeParse({ seq: Item.seq, hash: Item.hash });
    if (!parsed.success)
      throw new CorruptItemError(AUDIT_HEAD_ENTITY, partition, AUDIT_HEAD_SK, parsed.error);
    return parsed.data;
  };

  const readPending = async (partition: string) => {
    const { Items } = await deps.client.send(
      new QueryCommand({
        TableName: deps.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :pending)',
        ExpressionAttributeValues: { ':pk': partition, ':pending': AUDIT_PENDING_SK_PREFIX },
        ConsistentRead: true,
        Limit: batchSize,
      }),
    );
    return (Items ?? []).map((item) => {
      const { pk: _pk, sk, entity, ...rest } = item;
      const parsed = PendingAuditSchema.safeParse(rest);
      if (entity !== PENDING_AUDIT_ENTITY || !parsed.success) {
        throw new CorruptItemError(PENDING_AUDIT_ENTITY, partition, String(sk), parsed.error ?? 'entity');
      }
      return { sk: String(sk), pending: parsed.data };
    });
  };

  /** Links one batch; `false` when another writer moved the chain first. */
  const linkBatch = async (
    partition: string,
    chain: string,
    head: ChainHead | undefined,
    batch: Awaited<ReturnType<typeof readPending>>,
  ): Promise<boolean> => {
    let previous = head;
    const events: AuditEvent[] = batch.map(({ pending }) => {
      const { chain: _chain, at, ...entry } = pending;
      const event = nextAuditEvent({ chain, head: previous, at, entry });
      previous = { seq: event.seq, hash: event.hash };
      return event;
    });
    const last = events[events.length - 1] as AuditEvent;
    const items: TransactItem[] = [
      {
        Update: {
          TableName: deps.tableName,
          Key: { pk: partition, sk: AUDIT_HEAD_SK },
          UpdateExpression: 'SET #seq = :seq, #hash = :hash, #entity = :entity',
          ConditionExpression: head ? '#seq = :expected' : 'attribute_not_exists(pk)',
          ExpressionAttributeNames: { '#seq': 'seq', '#hash': 'hash', '#entity': 'entity' },
          ExpressionAttributeValues: {
            ':seq': last.seq,
            ':hash': last.hash,
            ':entity': AUDIT_HEAD_ENTITY,
            ...(head ? { ':expected': head.seq } : {}),
          },
        },
      },
      ...events.map(
        (event): TransactItem => ({
          Put: {
            TableName: deps.tableName,
            Item: { ...event, pk: partition, sk: auditEventSk(event.seq), entity: AUDIT_EVENT_ENTITY },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        }),
      ),
      ...batch.map(
        ({ sk }): TransactItem => ({
          Delete: {
            TableName: deps.tableName,
            Key: { pk: partition, sk },
            ConditionExpression: 'attribute_exists(pk)',
          },
        }),
      ),
    ];
    try {
      await deps.client.send(new TransactWriteCommand({ TransactItems: items }));
      return true;
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const codes = items.map((_, i) => error.CancellationReasons?.[i]?.Code ?? 'None');
      const headHeld = codes[0] !== 'ConditionalCheckFailed' && codes[0] !== 'TransactionConflict';
      const eventTaken = codes.slice(1, 1 + events.length).some((code) => code === 'ConditionalCheckFailed');
      if (headHeld && eventTaken) throw new AuditChainCorruptError(chain, (head?.seq ?? 0) + 1, error);
      if (codes.some((code) => code === 'ConditionalCheckFailed' || code === 'TransactionConflict')) {
        return false;
      }
      throw error;
    }
  };

  return {
    /** Links every pending event of the chain in `partition`; returns how many this call linked. */
    async drain(partition: string): Promise<{ chained: number }> {
      const chain = auditChainOfPartition(partition);
      if (chain === undefined) throw new RangeError(`not an audit partition: ${partition}`);
      let chained = 0;
      let conflicts = 0;
      for (;;) {
        const [head, batch] = await Promise.all([readHead(partition), readPending(partition)]);
        if (batch.length === 0) return { chained };
        if (await linkBatch(partition, chain, head, batch)) {
          chained += batch.length;
          continue;
        }
        conflicts += 1;
        if (conflicts >= maxConflicts) throw new AuditChainBusyError(chain, conflicts, undefined);
        await sleep(Math.random() * Math.min(200, 5 * 2 ** conflicts));
      }
    },
  };
}

export type AuditChainer = ReturnType<typeof createAuditChainer>;
