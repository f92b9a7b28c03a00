import { SYSTEM_CHAIN } from '../../../core/audit/audit-event';
import { tenantPrefix } from './tenant-prefix';

const SEQ_DIGITS = 12;

/** The sort key of a chain's head item, which records the newest event's `{ seq, hash }`. */
export const AUDIT_HEAD_SK = 'HEAD';

/** Every event's sort key starts with this; zero-padded seqs make sort-key order the chain order. */
export const AUDIT_EVENT_SK_PREFIX = 'EVT#';

/** The chain name stored in each event: the tenant id, or `system` for events that belong to no firm. */
export function auditChainName(tenantId: string | null): string {
  return tenantId ?? SYSTEM_CHAIN;
}

/** One partition per chain: `T#<tenant>#AUDIT`, or the global `G#AUDIT#system`. */
export function auditPartition(tenantId: string | null): string {
  return tenantId === null ? `G#AUDIT#${SYSTEM_CHAIN}` : `${tenantPrefix(tenantId)}AUDIT`;
}

/** `EVT#000000000042`; seq 0 gives the key just before the first event. */
export function auditEventSk(seq: number): string {
  if (!Number.isSafeInteger(seq) || seq < 0 || seq >= 10 ** SEQ_DIGITS) {
    throw new RangeError(`audit seq out of range: ${seq}`);
  }
  return `${AUDIT_EVENT_SK_PREFIX}${String(seq).padStart(SEQ_DIGITS, '0')}`;
}
