import {
  AuditEventSchema,
  type ChainHead,
  GENESIS_HASH,
  hashEvent,
  type UnsealedAuditEvent,
} from './audit-event';

/** The outcome of checking one chain. */
export interface ChainVerification {
  verified: boolean;
  /** Events that verified, in order, before the answer was decided (all of them when `verified`). */
  checked: number;
  /** The first position that cannot be trusted: a changed event, the place of a missing one, or the cut tail. */
  firstBrokenSeq?: number;
  /** What was wrong there, for the compliance officer and the logs. */
  reason?: string;
}

/**
 * Checks a chain read from storage, in stored (seq) order. Each item is validated against `AuditEventSchema`
 * (a malformed item breaks the chain there), must sit at its own position (seq n is the n-th item: catches a
 * deleted or reordered event), link to the previous hash, hash to its own `hash` (catches any changed field)
 * and belong to `chain` (default: the first event's chain). With `head`, the chain must end exactly at the
 * head's seq and hash, which catches a deleted tail that the links alone cannot see.
 *
 * A hash chain proves the log was not changed by anyone who did not also rewrite every later event and the head;
 * the WORM archive is what holds against that.
 */
export function verifyChain(
  events: readonly unknown[],
  head?: ChainHead | { seq: 0; hash: string },
  chain?: string,
  /** The verified event just before `events[0]` (a checkpoint); absent: `events` start the chain. */
  start?: { seq: number; hash: string },
): ChainVerification {
  const base = start?.seq ?? 0;
  let prevHash = start?.hash ?? GENESIS_HASH;
  let expectedChain = chain;
  for (const [index, item] of events.entries()) {
    const seq = base + index + 1;
    const broken = (reason: string): ChainVerification => ({
      verified: false,
      checked: base + index,
      firstBrokenSeq: seq,
      reason,
    });
    const parsed = AuditEventSchema.safeParse(item);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return broken(`event ${seq} is malformed (${issue?.path.join('.') || 'event'}: ${issue?.message})`);
    }
    const unsealed = parsed.data;
    if (unsealed.seq !== seq) {
      return broken(`expected event ${seq} but found ${unsealed.seq}: an event was deleted or reordered`);
    }
    expectedChain ??= unsealed.chain;
    if (unsealed.chain !== expectedChain) {
      return broken(`event ${seq} belongs to chain ${unsealed.chain}, not ${expectedChain}`);
    }
    if (unsealed.prevHash !== prevHash) {
      return broken(`event ${seq} does not link to the event before it`);
    }
    if (!hashMatches(item as Record<string, unknown>, unsealed.hash)) {
      return broken(`event ${seq} was changed: its content does not match its hash`);
    }
    prevHash = unsealed.hash;
  }
  const count = base + events.length;
  if (head !== undefined) {
    if (head.seq > count) {
      return {
        verified: false,
        checked: count,
        firstBrokenSeq: count + 1,
        reason: `the chain ends at event ${count} but its head is at ${head.seq}: events were removed from the end`,
      };
    }
    if (head.seq < count) {
      return {
        verified: false,
        checked: head.seq,
        firstBrokenSeq: head.seq + 1,
        reason: `event ${head.seq + 1} lies beyond the chain head (${head.seq}): it was not appended by the log`,
      };
    }
    if (count > 0 && head.hash !== prevHash) {
      return {
        verified: false,
        checked: count - 1,
        firstBrokenSeq: count,
        reason: `event ${count} does not match the chain head: the last event was replaced`,
      };
    }
  }
  return { verified: true, checked: count };
}

/** Hashes the item as stored, not as parsed: parsing drops unknown nested keys, and an added key is a change too. */
function hashMatches(item: Record<string, unknown>, hash: string): boolean {
  const { hash: _stored, ...unsealed } = item;
  try {
    return hashEvent(unsealed as UnsealedAuditEvent) === hash;
  } catch (error) {
    // A nested value with no JSON form (a DynamoDB set, binary) cannot be an event this log wrote.
    if (error instanceof TypeError) return false;
    throw error;
  }
}
