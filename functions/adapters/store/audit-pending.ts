import { randomUUID } from 'node:crypto';
import type { TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { type AuditEntry, AuditEntrySchema } from '../../core/audit/audit-entry';
import { auditEntryFields } from '../../core/audit/audit-event';
import { auditChainName, auditPartition, auditPendingSk } from './keys/audit-keys';

export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** The `entity` attribute of a recorded, not yet chained audit event. */
export const PENDING_AUDIT_ENTITY = 'audit-pending';

/**
 * A recorded audit event waiting for the firm's chain writer: the entry as the change described it, the time of
 * the change and the chain it belongs to. It carries no seq or hash; the writer assigns both.
 */
export const PendingAuditSchema = z.strictObject({
  chain: z.string().min(1),
  at: z.iso.datetime(),
  ...AuditEntrySchema.shape,
  details: AuditEntrySchema.shape.details.unwrap(),
});
export type PendingAudit = z.infer<typeof PendingAuditSchema>;

/**
 * The table item of one recorded event, keyed in its chain's partition under a time-ordered sort key. The entry
 * is validated here, so a bad entry fails the change it came with rather than the chain writer later.
 */
export function pendingAuditItem(input: {
  tenantId: string | null;
  entry: AuditEntry;
  /** Epoch milliseconds of the change. */
  now: number;
  id?: string;
}): Record<string, unknown> {
  const at = new Date(input.now).toISOString();
  const pending: PendingAudit = PendingAuditSchema.parse({
    chain: auditChainName(input.tenantId),
    at,
    ...auditEntryFields(input.entry),
  });
  return {
    ...pending,
    pk: auditPartition(input.tenantId),
    sk: auditPendingSk(at, input.id ?? randomUUID()),
    entity: PENDING_AUDIT_ENTITY,
  };
}

/** The transaction part that records `entry` with the change it describes (never overwrites anything). */
export function pendingAuditPut(
  tableName: string,
  input: Parameters<typeof pendingAuditItem>[0],
): TransactItem {
  return {
    Put: {
      TableName: tableName,
      Item: pendingAuditItem(input),
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}
