import { DynamoDBClient, GetItemCommand, TransactWriteItemsCommand } from '@aws-sdk/client-dynamodb';
import { ensureLocalTable } from '../lib/local/create-local-table';
import { LOCAL_ENGINE_CREDENTIALS, startDynamoEngine } from '../lib/local/dynamo-engine';

/**
 * The ceiling the engine puts on audited writes on this machine: DynamoDB Local alone, driven straight from the
 * SDK with an audited write's table work and nothing else — two GetItems (the meeting and the item's state) and
 * one two-item transaction (the change and its pending audit event), then the chain writer's share (a put and a
 * delete per event, in transactions of 40). No HTTP edge, no handler, no crypto: what is left when all of that
 * costs nothing. Prints writes/s and latency at concurrency 32.
 */
const WRITES = Number(process.env.BENCH_CEILING_WRITES ?? 2000);
const CONCURRENCY = Number(process.env.BENCH_CEILING_CONCURRENCY ?? 32);

const engine = await startDynamoEngine({ jvmOptions: [] });
const client = new DynamoDBClient({
  endpoint: engine.endpoint,
  region: 'us-east-1',
  credentials: LOCAL_ENGINE_CREDENTIALS,
});
const TableName = 'ceiling';
await ensureLocalTable(client, TableName);
const s = (v: string) => ({ S: v });
const pending: string[] = [];
const latencies: number[] = [];
let issued = 0;
const started = performance.now();

async function chainer(): Promise<void> {
  while (issued < WRITES || pending.length > 0) {
    const batch = pending.splice(0, 40);
    if (batch.length === 0) {
      await new Promise((r) => setTimeout(r, 5));
      continue;
    }
    await client.send(
      new TransactWriteItemsCommand({
        TransactItems: batch
          .flatMap((id, i) => [
            {
              Put: {
                TableName,
                Item: { pk: s('T#f#AUDIT'), sk: s(`EVENT#${id}#${i}`), hash: s('x'.repeat(64)) },
              },
            },
            { Delete: { TableName, Key: { pk: s('T#f#AUDIT'), sk: s(`PENDING#${id}`) } } },
          ])
          .slice(0, 100),
      }),
    );
  }
}

async function worker(w: number): Promise<void> {
  while (issued < WRITES) {
    issued += 1;
    const id = `${w}-${issued}`;
    const t0 = performance.now();
    await Promise.all([
      client.send(new GetItemCommand({ TableName, Key: { pk: s(`T#f#MEETING#${w}`), sk: s('MEETING') } })),
      client.send(new GetItemCommand({ TableName, Key: { pk: s(`T#f#MEETING#${w}`), sk: s('ACTION#1') } })),
    ]);
    await client.send(
      new TransactWriteItemsCommand({
        TransactItems: [
          {
            Put: {
              TableName,
              Item: { pk: s(`T#f#MEETING#${w}`), sk: s('ACTION#1'), done: { BOOL: issued % 2 === 0 } },
            },
          },
          {
            Put: {
              TableName,
              Item: { pk: s('T#f#AUDIT'), sk: s(`PENDING#${id}`), entry: s('y'.repeat(400)) },
            },
          },
        ],
      }),
    );
    latencies.push(performance.now() - t0);
    pending.push(id);
  }
}

await Promise.all([chainer(), ...Array.from({ length: CONCURRENCY }, (_v, w) => worker(w))]);
const seconds = (performance.now() - started) / 1000;
const sorted = latencies.sort((a, b) => a - b);
const at = (p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]?.toFixed(1);
console.log(
  `DynamoDB Local alone, an audited write's table work at concurrency ${CONCURRENCY}: ${(WRITES / seconds).toFixed(0)} writes/s, p50 ${at(50)} ms, p99 ${at(99)} ms`,
);
await engine.stop();
