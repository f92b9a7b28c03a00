import { SYSTEM_CHAIN } from '../../../core/audit/audit-event';
import { tenantPrefix } from './tenant-prefix';

const SEQ_DIGITS = 12;

/** The sort key of a chain's head item, which records the newest event's `{ seq, hash }`. */
export const AUDIT_HEAD_SK = 'HEAD';

/** Every event's sort key starts with this; zero-padded seqs make sort-key order the chain order. */
export const AUDIT_EVENT_SK_PREFIX = 'EVT#';

/**
 * A recorded event not yet linked into the chain: written with (in the same transaction as) the change it
 * describes, chained later by the firm's one writer. The table stream delivers these keys to that writer.
 */
export const AUDIT_PENDING_SK_PREFIX = 'AUDIT_PENDING#';

/** Where the last verification ended (`{ seq, hash }`), so the next one checks only what came after. */
export const AUDIT_CHECKPOINT_SK = 'CHECKPOINT';

/** The chain name stored in each event: the tenant id, or `system` for events that belong to no firm. */
export function auditChainName(tenantId: string | null): string {
  return tenantId ?? SYSTEM_CHAIN;
}

/** One partition per chain: `T#<tenant>#AUDIT`, or the global `G#AUDIT#system`. */
export function auditPartition(tenantId: string | null): string {
  return tenantId === null ? `G#AUDIT#${SYSTEM_CHAIN}` : `${tenantPrefix(tenantId)}AUDIT`;
}

/** `AUDIT_PENDING#<at>#<id>`: time-ordered, so the writer chains events roughly in the order they happened. */
export function auditPendingSk(at: string, id: string): string {
  return `${AUDIT_PENDING_SK_PREFIX}${at}#${id}`;
}

/** The chain an audit partition holds, or `undefined` for a key that is no audit partition. */
export function auditChainOfPartition(partition: string): string | undefined {
  if (partition === auditPartition(null)) return SYSTEM_CHAIN;
  const match = /^T#([^#]+)#AUDIT$/.exec(partition);
  return match?.[1] !== undefined && auditPartition(match[1]) === partition ? match[1] : undefined;
}

/** `EVT#000000000042`; seq 0 gives the key just before the first event. */
export function auditEventSk(seq: number): string {
  if (!Number.isSafeInteger(seq) || seq < 0 || seq >= 10 ** SEQ_DIGITS) {
    throw new RangeError(`audit seq out of range: ${seq}`);
  }
  return `${AUDIT_EVENT_SK_PREFIX}${String(seq).padStart(SEQ_DIGITS, '0')}`;
}
