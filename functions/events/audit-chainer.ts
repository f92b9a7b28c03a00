import * as z from 'zod';
import { dynamoDocumentClient } from '../adapters/aws-clients';
import { type AuditChainer, createAuditChainer } from '../adapters/store/audit-chainer';
import { AUDIT_PENDING_SK_PREFIX, auditChainOfPartition } from '../adapters/store/keys/audit-keys';
import { config } from '../platform/config/config';
import { createEventHandler } from '../platform/handlers/event-handler';
import type { Logger } from '../platform/logging/logger';

const KeySchema = z.object({ S: z.string() });

/** The part of a DynamoDB stream event (KEYS_ONLY) the chain writer reads. */
export const TableStreamEventSchema = z.object({
  Records: z.array(
    z.object({
      eventName: z.string().optional(),
      dynamodb: z
        .object({ Keys: z.object({ pk: KeySchema, sk: KeySchema }).partial() })
        .partial()
        .optional(),
    }),
  ),
});

/**
 * The firm's one audit chain writer: the table stream delivers the keys of newly recorded (pending) events, and
 * each firm named in the batch has every pending event linked, oldest first. Draining is idempotent, so a
 * redelivered or retried batch links nothing twice; a failure throws, and the stream delivers the batch again.
 */
export function auditChainerHandler(chainer: Pick<AuditChainer, 'drain'>, log?: Logger) {
  return createEventHandler({
    name: 'audit-chainer',
    event: TableStreamEventSchema,
    deps: () => chainer,
    ...(log ? { log } : {}),
    run: async (event, chainer, log) => {
      const partitions = new Set<string>();
      for (const record of event.Records) {
        const pk = record.dynamodb?.Keys?.pk?.S;
        const sk = record.dynamodb?.Keys?.sk?.S;
        if (record.eventName !== 'INSERT' || !pk || !sk?.startsWith(AUDIT_PENDING_SK_PREFIX)) continue;
        if (auditChainOfPartition(pk) !== undefined) partitions.add(pk);
      }
      for (const partition of partitions) {
        const { chained } = await chainer.drain(partition);
        if (chained > 0)
          log.info('audit events chained', { chain: auditChainOfPartition(partition), chained });
      }
    },
  });
}

const cfg = config();

export const handler = auditChainerHandler(
  createAuditChainer({ client: dynamoDocumentClient(cfg), tableName: cfg.tableName }),
);
