import { createHash } from 'node:crypto';
import * as z from 'zod';
import { AppError } from '../../platform/errors';
import { issuesFromZod, summariseIssues } from '../../platform/validation-issues';
import { type AuditEntry, AuditEntrySchema } from './audit-entry';

/** The `prevHash` of the first event of every chain. */
export const GENESIS_HASH = '0'.repeat(64);

/** The chain of events that belong to no firm (`AuditLog.append(null, …)`). */
export const SYSTEM_CHAIN = 'system';

const HashSchema = z.string().regex(/^[0-9a-f]{64}$/, 'must be a lowercase hex SHA-256');

/**
 * One stored audit event: the `AuditEntry` as the caller described it, plus its place in its firm's chain.
 * `hash` is the SHA-256 of the event's canonical JSON without `hash`, and `prevHash` is the previous event's
 * `hash`, so changing, removing or reordering any event breaks every link after it. Strict: a stored item with
 * an attribute this code never writes (say, a TTL someone added to make an event vanish) is malformed.
 */
export const AuditEventSchema = z.strictObject({
  seq: z.number().int().min(1),
  /** The tenant id, or `system`. */
  chain: z.string().min(1),
  at: z.iso.datetime(),
  ...AuditEntrySchema.shape,
  // Stored events always carry details, so a removed empty map is a change like any other.
  details: AuditEntrySchema.shape.details.unwrap(),
  prevHash: HashSchema,
  hash: HashSchema,
});
export type AuditEvent = z.infer<typeof AuditEventSchema>;
export type UnsealedAuditEvent = Omit<AuditEvent, 'hash'>;

/** The newest event of a chain, as the chain's head item records it. */
export const ChainHeadSchema = z.object({ seq: z.number().int().min(1), hash: HashSchema });
export type ChainHead = z.infer<typeof ChainHeadSchema>;

/** An entry that does not match `AuditEntrySchema`: a bug in the code that wrote it, so it answers 500. */
export class InvalidAuditEntryError extends AppError {
  constructor(error: z.ZodError) {
    const issues = issuesFromZod(error, { root: '(entry)' });
    super('invalid_audit_entry', `Audit entry is invalid — ${summariseIssues(issues)}`, {
      cause: error,
      issues,
    });
  }
}

/**
 * JSON with object keys sorted (by UTF-16 code unit, as `Array.prototype.sort` does) and no whitespace, so equal
 * values always give equal text, whatever order their keys were built or read in. Properties whose value is
 * `undefined` are left out, as `JSON.stringify` does. Only plain objects, arrays, strings, finite numbers,
 * booleans and `null` are accepted: anything else has no single JSON form and throws a `TypeError`.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`canonicalJson: ${value} has no JSON form`);
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) {
    return `[${value.map((item) => canonicalJson(item)).join(',')}]`;
  }
  if (typeof value === 'object') {
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) {
      throw new TypeError('canonicalJson: only plain objects have a canonical form');
    }
    const members = Object.entries(value)
      .filter(([, member]) => member !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, member]) => `${JSON.stringify(key)}:${canonicalJson(member)}`);
    return `{${members.join(',')}}`;
  }
  throw new TypeError(`canonicalJson: a ${typeof value} has no JSON form`);
}

/** Lowercase hex SHA-256 of the event's canonical JSON. The event must not carry `hash` itself. */
export function hashEvent(event: UnsealedAuditEvent): string {
  return createHash('sha256').update(canonicalJson(event), 'utf8').digest('hex');
}

/** The entry with its defaults applied; throws `InvalidAuditEntryError` for an entry that fails its schema. */
export function parseAuditEntry(entry: AuditEntry): z.infer<typeof AuditEntrySchema> {
  const parsed = AuditEntrySchema.safeParse(entry);
  if (!parsed.success) throw new InvalidAuditEntryError(parsed.error);
  return parsed.data;
}

/**
 * The entry's fields as every stored form of it holds them (recorded, then chained): defaults applied, and only
 * the fields the schema knows, so nothing a caller added rides along into the hash. Throws
 * `InvalidAuditEntryError` for an entry that fails its schema.
 */
export function auditEntryFields(input: AuditEntry): z.infer<typeof AuditEntrySchema> {
  const entry = parseAuditEntry(input);
  return {
    action: entry.action,
    outcome: entry.outcome,
    ...(entry.actor ? { actor: { userId: entry.actor.userId, role: entry.actor.role } } : {}),
    ...(entry.target ? { target: { type: entry.target.type, id: entry.target.id } } : {}),
    ip: entry.ip,
    details: entry.details,
  };
}

/**
 * The event that follows `head` (or starts the chain) for `entry`, sealed with its hash. Pure: the time comes
 * from the caller, and the same inputs always give the same event.
 */
export function nextAuditEvent(input: {
  chain: string;
  head: ChainHead | undefined;
  /** ISO 8601 UTC time of the append. */
  at: string;
  entry: AuditEntry;
}): AuditEvent {
  const unsealed: UnsealedAuditEvent = {
    seq: (input.head?.seq ?? 0) + 1,
    chain: input.chain,
    at: input.at,
    ...auditEntryFields(input.entry),
    prevHash: input.head?.hash ?? GENESIS_HASH,
  };
  return AuditEventSchema.parse({ ...unsealed, hash: hashEvent(unsealed) });
}
