import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

interface CapacityEntry {
  CapacityUnits?: number;
}

const READS = /^(Get|BatchGet|Query|Scan|TransactGet)/;

/**
 * Counts the DynamoDB capacity a process's shared client consumes, for the benchmark only: every call is sent
 * with `ReturnConsumedCapacity: TOTAL` and the units it reports are added up, reads and writes apart (by
 * command). The functions never ask for it themselves; this is measurement, not behaviour.
 */
export function meterCapacity(client: DynamoDBDocumentClient) {
  let read = 0;
  let write = 0;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      (args.input as { ReturnConsumedCapacity?: string }).ReturnConsumedCapacity ??= 'TOTAL';
      const result = await next(args);
      const consumed = (result.output as { ConsumedCapacity?: CapacityEntry | CapacityEntry[] })
        .ConsumedCapacity;
      const units = (Array.isArray(consumed) ? consumed : consumed ? [consumed] : []).reduce(
        (sum, entry) => sum + (entry.CapacityUnits ?? 0),
        0,
      );
      if (READS.test(context.commandName ?? '')) read += units;
      else write += units;
      return result;
    },
    { step: 'initialize', name: 'benchCapacityMeter', override: true },
  );
  return {
    /** Units since the last call, then starts again from zero. */
    take(): { read: number; write: number } {
      const taken = { read, write };
      read = 0;
      write = 0;
      return taken;
    },
  };
}
