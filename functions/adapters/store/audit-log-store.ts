import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  type QueryCommandInput,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { AuditLog } from '../../core/audit/audit-entry';
import {
  type AuditEvent,
  AuditEventSchema,
  type ChainHead,
  ChainHeadSchema,
  GENESIS_HASH,
} from '../../core/audit/audit-event';
import { type ChainVerification, verifyChain } from '../../core/audit/verify-chain';
import type { KeyringProvider } from '../secrets/secret-source';
import { AUDIT_EVENT_ENTITY } from './audit-chainer';
import { pendingAuditItem } from './audit-pending';
import { decodeCursor, encodeCursor, type LastEvaluatedKey } from './cursor';
import type { Page } from './entity';
import { CorruptItemError } from './item-codec';
import {
  AUDIT_CHECKPOINT_SK,
  AUDIT_EVENT_SK_PREFIX,
  AUDIT_HEAD_SK,
  AUDIT_PENDING_SK_PREFIX,
  auditChainName,
  auditEventSk,
  auditPartition,
} from './keys/audit-keys';

const CHECKPOINT_ENTITY = 'audit-checkpoint';
const MAX_PAGE = 100;

export interface AuditLogStoreDeps {
  client: DynamoDBDocumentClient;
  tableName: string;
  /** Epoch milliseconds: each recorded event's `at`. */
  now: () => number;
  /** Seals pagination cursors; loaded only when a cursor is read or issued. */
  keyring: KeyringProvider;
}

export interface AuditPageOptions {
  limit: number;
  cursor?: string;
  order: 'newest' | 'oldest';
}

/** A chain check, plus what is recorded but not yet linked and where the check started. */
export interface AuditVerification extends ChainVerification {
  /** Events recorded with their changes that the chain writer has not linked yet (they are not missing). */
  pending: number;
  /** The seq the check resumed after (0: from the start of the chain). */
  checkpointSeq: number;
}

/** The audit log port plus what the compliance views need: pages of events and a chain check. */
export interface AuditLogStore extends AuditLog {
  /** One page of a chain's linked events; a tampered cursor or one issued for another chain or order is 400. */
  page(tenantId: string | null, options: AuditPageOptions): Promise<Page<AuditEvent>>;
  /**
   * Checks the chain's links up to its head. By default it resumes from the last verified checkpoint (which it
   * re-checks: that event must still hash to what was verified) and moves the checkpoint on; `full` re-reads
   * the whole chain from its first event.
   */
  verify(tenantId: string | null, options?: { full?: boolean }): Promise<AuditVerification>;
}

/**
 * The append-only audit trail in the one table: one partition and one hash chain per firm (plus the system
 * chain). Recording an event never touches the chain: `append` (an event with no change: a read, a refusal)
 * and every audited change (its store writes the event in the change's own transaction) put a pending item,
 * and the firm's one chain writer (`audit-chainer.ts`, fed by the table stream) links it. So concurrent
 * requests never contend for the chain head, and no change exists without its event. Events are only ever
 * put, never updated or deleted, by this code.
 */
export function createAuditLogStore(deps: AuditLogStoreDeps): AuditLogStore {
  const readItem = async (partition: string, sk: string) =>
    (
      await deps.client.send(
        new GetCommand({ TableName: deps.tableName, Key: { pk: partition, sk }, ConsistentRead: true }),
      )
    ).Item;

  const parseHead = (item: Record<string, unknown>) =>
    ChainHeadSchema.safeParse({ seq: item.seq, hash: item.hash });

  /** Linked events from `fromSeq` (inclusive) on, in chain order. */
  const readChain = async (partition: string, fromSeq: number): Promise<Record<string, unknown>[]> => {
    const items: Record<string, unknown>[] = [];
    let startKey: QueryCommandInput['ExclusiveStartKey'];
    do {
      const result = await deps.client.send(
        new QueryCommand({
          TableName: deps.tableName,
          KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
          ExpressionAttributeValues: {
            ':pk': partition,
            ':from': auditEventSk(fromSeq),
            ':to': `${AUDIT_EVENT_SK_PREFIX}~`,
          },
          ConsistentRead: true,
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
      );
      items.push(...(result.Items ?? []));
      startKey = result.LastEvaluatedKey;
    } while (startKey);
    return items;
  };

  const countPending = async (partition: string): Promise<number> => {
    let count = 0;
    let startKey: QueryCommandInput['ExclusiveStartKey'];
    do {
      const result = await deps.client.send(
        new QueryCommand({
          TableName: deps.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :pending)',
          ExpressionAttributeValues: { ':pk': partition, ':pending': AUDIT_PENDING_SK_PREFIX },
          Select: 'COUNT',
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
      );
      count += result.Count ?? 0;
      startKey = result.LastEvaluatedKey;
    } while (startKey);
    return count;
  };

  const moveCheckpoint = async (partition: string, head: ChainHead): Promise<void> => {
    try {
      await deps.client.send(
        new UpdateCommand({
          TableName: deps.tableName,
          Key: { pk: partition, sk: AUDIT_CHECKPOINT_SK },
          UpdateExpression: 'SET #seq = :seq, #hash = :hash, #entity = :entity, #at = :at',
          ConditionExpression: 'attribute_not_exists(pk) OR #seq < :seq',
          ExpressionAttributeNames: {
            '#seq': 'seq',
            '#hash': 'hash',
            '#entity': 'entity',
            '#at': 'verifiedAt',
          },
          ExpressionAttributeValues: {
            ':seq': head.seq,
            ':hash': head.hash,
            ':entity': CHECKPOINT_ENTITY,
            ':at': new Date(deps.now()).toISOString(),
          },
        }),
      );
    } catch (error) {
      // A concurrent check already moved it at least as far.
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  };

  /** The chain from `start` on against `head`, tolerating events linked after the head was read. */
  const checkFrom = async (
    partition: string,
    chain: string,
    head: ChainHead | { seq: 0; hash: string } | 'malformed',
    start: ChainHead | undefined,
  ): Promise<ChainVerification> => {
    const items = await readChain(partition, start?.seq ?? 0);
    let events = items.map(storedEvent);
    if (start) {
      // The checkpointed event itself must still be the one verified.
      const anchor = events[0] as Record<string, unknown> | undefined;
      const anchorCheck = verifyChain(anchor ? [anchor] : [], undefined, chain, {
        seq: start.seq - 1,
        hash: String(anchor?.prevHash ?? ''),
      });
      if (!anchor || !anchorCheck.verified || anchor.hash !== start.hash) {
        return {
          verified: false,
          checked: start.seq - 1,
          firstBrokenSeq: start.seq,
          reason: `event ${start.seq} is not the event verified before: it was changed or removed`,
        };
      }
      events = events.slice(1);
    }
    if (head === 'malformed') {
      const result = verifyChain(events, undefined, chain, start);
      if (!result.verified) return result;
      return { verified: false, checked: result.checked, reason: 'the chain head is malformed' };
    }
    const headSk = auditEventSk(head.seq);
    const withinCount = items.filter((item) => String(item.sk) <= headSk).length - (start ? 1 : 0);
    const within = events.slice(0, Math.max(0, withinCount));
    if (within.length === events.length) return verifyChain(within, head, chain, start);
    // Events past the head were linked after the head was read (the head has moved past them since), or were
    // written by something other than the chain writer; only the second is a break.
    const later = await readItem(partition, AUDIT_HEAD_SK);
    const laterHead = later ? parseHead(later) : undefined;
    const explained =
      laterHead?.success === true &&
      items.every((item) => String(item.sk) <= auditEventSk(laterHead.data.seq));
    return verifyChain(explained ? within : events, head, chain, start);
  };

  return {
    async append(tenantId, entry) {
      await deps.client.send(
        new PutCommand({
          TableName: deps.tableName,
          Item: pendingAuditItem({ tenantId, entry, now: deps.now() }),
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
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
          throw new CorruptItemError(AUDIT_EVENT_ENTITY, partition, String(item.sk), parsed.error);
        }
        return parsed.data;
      });
      const last = result.LastEvaluatedKey as LastEvaluatedKey | undefined;
      return {
        items,
        ...(last ? { cursor: encodeCursor(await deps.keyring.load(), scope, last) } : {}),
      };
    },

    async verify(tenantId, options = {}) {
      const partition = auditPartition(tenantId);
      const chain = auditChainName(tenantId);
      const [headItem, checkpointItem, pending] = await Promise.all([
        readItem(partition, AUDIT_HEAD_SK),
        options.full ? undefined : readItem(partition, AUDIT_CHECKPOINT_SK),
        countPending(partition),
      ]);
      let head: ChainHead | { seq: 0; hash: string } | 'malformed' = { seq: 0, hash: GENESIS_HASH };
      if (headItem) {
        const parsed = parseHead(headItem);
        head = parsed.success ? parsed.data : 'malformed';
      }
      const checkpoint = checkpointItem ? parseHead(checkpointItem) : undefined;
      // A checkpoint beyond the head, or malformed, is not trusted: the whole chain is checked instead.
      const start =
        checkpoint?.success === true && head !== 'malformed' && checkpoint.data.seq <= head.seq
          ? checkpoint.data
          : undefined;
      const result = await checkFrom(partition, chain, head, start);
      if (result.verified && head !== 'malformed' && head.seq > (start?.seq ?? 0)) {
        await moveCheckpoint(partition, head as ChainHead);
      }
      return { ...result, pending, checkpointSeq: start?.seq ?? 0 };
    },
  };
}

/**
 * The event as stored, without its keys. `entity` is dropped only when it says what it should: anything else
 * stays, and the strict event schema reports it as a break.
 */
function storedEvent(item: Record<string, unknown>): Record<string, unknown> {
  const { pk: _pk, sk: _sk, entity, ...rest } = item;
  return entity === AUDIT_EVENT_ENTITY ? rest : { ...rest, entity };
}
