import { setTimeout as sleep } from 'node:timers/promises';
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { AuditEntry } from '../../core/audit/audit-entry';
import { pendingAuditPut, type TransactItem } from './audit-pending';

const CONFLICT_ATTEMPTS = 4;

/**
 * Writes a change and its audit event in one transaction, so neither exists without the other. A failed
 * condition of the change surfaces as the `ConditionalCheckFailedException` a plain write would have thrown;
 * a transaction that only collided with a concurrent one (nothing was written) is tried again a few times, then
 * reported the same way.
 */
export async function auditedWrite(
  deps: { client: DynamoDBDocumentClient; tableName: string; now: () => number },
  change: TransactItem | readonly TransactItem[],
  audit: { tenantId: string | null; entry: AuditEntry },
): Promise<void> {
  const changes = Array.isArray(change) ? change : [change as TransactItem];
  const items = [...changes, pendingAuditPut(deps.tableName, { ...audit, now: deps.now() })];
  for (let attempt = 1; ; attempt += 1) {
    try {
      await deps.client.send(new TransactWriteCommand({ TransactItems: items }));
      return;
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const codes = changes.map((_, i) => error.CancellationReasons?.[i]?.Code ?? 'None');
      // A concurrent writer that keeps winning is, to the caller, a change made meanwhile: a conflict, not a 500.
      const lost = codes.includes('TransactionConflict') && attempt >= CONFLICT_ATTEMPTS;
      if (codes.includes('ConditionalCheckFailed') || lost) {
        throw new ConditionalCheckFailedException({
          message: 'The conditional request failed',
          $metadata: {},
        });
      }
      if (!codes.includes('TransactionConflict')) throw error;
      await sleep(Math.random() * 10 * 2 ** attempt);
    }
  }
}
