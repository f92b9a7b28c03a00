import {
  type _Record,
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  ExpiredIteratorException,
  GetRecordsCommand,
  type GetRecordsCommandOutput,
  GetShardIteratorCommand,
} from '@aws-sdk/client-dynamodb-streams';
import { LOCAL_ENGINE_CREDENTIALS } from './dynamo-engine';

const POLL_MS = 50;
/** How often the stream's shard list is read again (new shards appear rarely: on rollover or split). */
const DISCOVER_MS = 1_000;

/** One shard being read: where to continue, and whether it has ended (a closed shard's last page was read). */
interface ShardCursor {
  iterator: string | undefined;
  lastSequence: string | undefined;
  ended: boolean;
}

export interface TableStreamPoller {
  /** Resolves once every record written so far has been delivered and handled. */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Plays Lambda's DynamoDB event source mapping against DynamoDB Local: reads every shard of the table's stream
 * from its start, keeps the records that pass `accept` (the filter the CDK app gives the mapping), and hands each
 * non-empty batch to `deliver` in the stream's order, one batch at a time, as AWS does for a shard with
 * parallelization 1. A failed batch is delivered again on the next poll, like AWS's retries.
 */
export function pollTableStream(options: {
  endpoint: string;
  region: string;
  streamArn: string;
  accept: (record: _Record) => boolean;
  deliver: (records: _Record[]) => Promise<void>;
  onError: (error: unknown) => void;
}): TableStreamPoller {
  const client = new DynamoDBStreamsClient({
    endpoint: options.endpoint,
    region: options.region,
    credentials: LOCAL_ENGINE_CREDENTIALS,
    maxAttempts: 1,
  });
  const shards = new Map<string, ShardCursor>();
  let stopped = false;
  let cycle = 0;
  /** Each waiter is resolved by the first quiet poll that began after it asked. */
  let waiters: { after: number; resolve: () => void }[] = [];

  let discoveredAt = Number.NEGATIVE_INFINITY;
  const discover = async () => {
    const open = [...shards.values()].some((cursor) => !cursor.ended);
    if (open && Date.now() - discoveredAt < DISCOVER_MS) return;
    discoveredAt = Date.now();
    const { StreamDescription } = await client.send(
      new DescribeStreamCommand({ StreamArn: options.streamArn }),
    );
    for (const shard of StreamDescription?.Shards ?? []) {
      if (!shard.ShardId || shards.has(shard.ShardId)) continue;
      shards.set(shard.ShardId, { iterator: undefined, lastSequence: undefined, ended: false });
    }
  };

  const iteratorOf = async (shardId: string, cursor: ShardCursor) => {
    const { ShardIterator } = await client.send(
      new GetShardIteratorCommand({
        StreamArn: options.streamArn,
        ShardId: shardId,
        ...(cursor.lastSequence
          ? { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: cursor.lastSequence }
          : { ShardIteratorType: 'TRIM_HORIZON' }),
      }),
    );
    return ShardIterator;
  };

  /** Reads every open shard once; true when some shard returned records. */
  const pollOnce = async (): Promise<boolean> => {
    await discover();
    let busy = false;
    for (const [shardId, cursor] of shards) {
      if (cursor.ended) continue;
      cursor.iterator ??= await iteratorOf(shardId, cursor);
      if (!cursor.iterator) {
        cursor.ended = true;
        continue;
      }
      let page: GetRecordsCommandOutput;
      try {
        page = await client.send(new GetRecordsCommand({ ShardIterator: cursor.iterator, Limit: 1000 }));
      } catch (error) {
        if (!(error instanceof ExpiredIteratorException)) throw error;
        cursor.iterator = undefined;
        continue;
      }
      const records = page.Records ?? [];
      const batch = records.filter(options.accept);
      // Delivered before the cursor moves: a failing handler sees the same records again.
      if (batch.length > 0) await options.deliver(batch);
      const last = records[records.length - 1]?.dynamodb?.SequenceNumber;
      if (last) cursor.lastSequence = last;
      cursor.iterator = page.NextShardIterator;
      if (!page.NextShardIterator) cursor.ended = true;
      if (records.length > 0) busy = true;
    }
    return busy;
  };

  const loop = (async () => {
    while (!stopped) {
      cycle += 1;
      const started = cycle;
      let busy = false;
      try {
        busy = await pollOnce();
      } catch (error) {
        if (stopped) break;
        options.onError(error);
        // The failed batch's shard is read again from its last handled record.
        for (const cursor of shards.values()) cursor.iterator = undefined;
      }
      if (!busy) {
        const ready = waiters.filter((w) => w.after < started);
        waiters = waiters.filter((w) => w.after >= started);
        for (const waiter of ready) waiter.resolve();
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      }
    }
  })();

  return {
    idle: () =>
      new Promise<void>((resolve) => {
        waiters.push({ after: cycle, resolve });
      }),
    async stop() {
      stopped = true;
      await loop;
      for (const waiter of waiters) waiter.resolve();
      client.destroy();
    },
  };
}
