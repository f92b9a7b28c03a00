import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BatchWriteItemCommand,
  type BatchWriteItemCommandOutput,
  type WriteRequest,
} from '@aws-sdk/client-dynamodb';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { blobAad } from '../functions/adapters/blobs/blob-aad';
import { reencryptObjects } from '../functions/adapters/blobs/reencrypt-objects';
import { forEachBounded } from '../functions/adapters/keyring/bounded-concurrency';
import { OBJECT_CIPHERTEXTS } from '../functions/adapters/keyring/ciphertext-inventory';
import { type PassFindings, totalCounts } from '../functions/adapters/keyring/rotation-counts';
import { fieldAad } from '../functions/adapters/store/field-aad';
import { reencryptTable, tableCheckpoint } from '../functions/adapters/store/reencrypt-table';
import { createKeyring, generateKeyringKey } from '../functions/platform/crypto/keyring';
import { ensureLocalTable } from '../lib/local/create-local-table';
import { localDynamoClient, startDynamoEngine } from '../lib/local/dynamo-engine';
import { ensureBucket, localS3Client, startS3Engine } from '../lib/local/s3-engine';

/**
 * `npm run bench:rotation`: how fast `smartad rotate-keys` re-encrypts on the local engines (DynamoDB Local,
 * s3rver on disk): 10,000 follow-up drafts (three encrypted fields each) and 10,000 meeting transcripts of
 * 4 KB under the old key, re-encrypted under the new one with the command's defaults (page 100 items / 500
 * objects, 8 in flight); then the read-only check `retire-key` makes of the same data.
 */
const ITEMS = 10_000;
const OBJECTS = 10_000;
const TABLE = 'bench-rotation';
const BUCKET = 'bench-rotation';
const store = OBJECT_CIPHERTEXTS[0];

const k1 = generateKeyringKey('k1');
const oldKeyring = createKeyring({ keys: [k1] });
const newKeyring = createKeyring({ keys: [generateKeyringKey('k2'), k1] });

const s3Dir = await mkdtemp(join(tmpdir(), 'bench-rotation-s3-'));
const [dynamoEngine, s3Engine] = await Promise.all([
  startDynamoEngine({ jvmOptions: [] }),
  startS3Engine(s3Dir),
]);
const dynamo = localDynamoClient(dynamoEngine.endpoint);
const s3 = localS3Client(s3Engine.endpoint);

const seconds = (ms: number) => (ms / 1000).toFixed(1);
const rate = (n: number, ms: number) => Math.round(n / (ms / 1000)).toLocaleString('en-US');

async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const result = await work();
  return [result, performance.now() - started];
}

function check(findings: PassFindings, expected: Partial<ReturnType<typeof totalCounts>>, what: string) {
  const total = totalCounts(findings);
  for (const [name, value] of Object.entries(expected)) {
    if (total[name as keyof typeof total] !== value)
      throw new Error(`${what}: expected ${name} ${value}, got ${JSON.stringify(total)}`);
  }
}

try {
  await ensureLocalTable(dynamo, TABLE);
  await ensureBucket(s3, BUCKET);

  process.stdout.write(`Seeding ${ITEMS} items and ${OBJECTS} objects under k1 … `);
  const [, seedMs] = await timed(async () => {
    const batches: WriteRequest[][] = [];
    for (let i = 0; i < ITEMS; i += 25) {
      batches.push(
        Array.from({ length: Math.min(25, ITEMS - i) }, (_v, j) => {
          const pk = `T#bench#MEETING#m${i + j}`;
          const sk = 'FOLLOWUP#v1';
          const field = (name: string, text: string) => ({
            B: oldKeyring.encrypt(text, fieldAad(pk, sk, name)),
          });
          return {
            PutRequest: {
              Item: {
                pk: { S: pk },
                sk: { S: sk },
                entity: { S: 'follow_up_draft' },
                subject: field('subject', `"Following up on our review ${i + j}"`),
                body: field('body', JSON.stringify('Dear client, '.repeat(40))),
                instructions: field('instructions', '"Keep it short"'),
                version: { N: '1' },
              },
            },
          };
        }),
      );
    }
    await forEachBounded(batches, 8, async (requests) => {
      let pending: WriteRequest[] | undefined = requests;
      while (pending && pending.length > 0) {
        const result: BatchWriteItemCommandOutput = await dynamo.send(
          new BatchWriteItemCommand({ RequestItems: { [TABLE]: pending } }),
        );
        pending = result.UnprocessedItems?.[TABLE];
      }
    });
    const transcript = Buffer.from(JSON.stringify({ segments: 'a transcript line. '.repeat(210) }));
    await forEachBounded(
      Array.from({ length: OBJECTS }, (_v, i) => `${store.prefix}bench/meetings/m${i}/transcript.json`),
      16,
      async (key) => {
        await s3.send(
          new PutObjectCommand({
            Bucket: BUCKET,
            Key: key,
            Body: oldKeyring.encrypt(transcript, blobAad(BUCKET, key)),
          }),
        );
      },
    );
  });
  console.log(`${seconds(seedMs)} s`);

  const [table, tableMs] = await timed(() =>
    reencryptTable({
      client: dynamo,
      tableName: TABLE,
      keyring: newKeyring,
      checkpoint: tableCheckpoint(dynamo, TABLE, 'k2'),
    }),
  );
  check(table, { scanned: ITEMS, reencrypted: ITEMS, stale: 0 }, 'table');
  const [objects, objectsMs] = await timed(() =>
    reencryptObjects({
      client: s3,
      store,
      bucketName: BUCKET,
      keyring: newKeyring,
      checkpoint: tableCheckpoint(dynamo, TABLE, 'k2', store.name),
    }),
  );
  check(objects, { scanned: OBJECTS, reencrypted: OBJECTS, stale: 0 }, 'objects');

  const [tableCheck, tableCheckMs] = await timed(() =>
    reencryptTable({
      client: dynamo,
      tableName: TABLE,
      keyring: newKeyring,
      checkpoint: tableCheckpoint(dynamo, TABLE, 'k2'),
      inspectOnly: true,
    }),
  );
  check(tableCheck, { scanned: ITEMS, alreadyCurrent: ITEMS }, 'table check');
  const [objectsCheck, objectsCheckMs] = await timed(() =>
    reencryptObjects({
      client: s3,
      store,
      bucketName: BUCKET,
      keyring: newKeyring,
      checkpoint: tableCheckpoint(dynamo, TABLE, 'k2', store.name),
      inspectOnly: true,
    }),
  );
  check(objectsCheck, { scanned: OBJECTS, alreadyCurrent: OBJECTS }, 'objects check');

  console.log('\nKey rotation on the local engines (DynamoDB Local in memory, s3rver on disk), 8 in flight');
  console.log(
    `  re-encrypt ${ITEMS} table items (3 fields each):   ${seconds(tableMs)} s   ${rate(ITEMS, tableMs)} items/s`,
  );
  console.log(
    `  re-encrypt ${OBJECTS} S3 objects (4 KB, If-Match): ${seconds(objectsMs)} s   ${rate(OBJECTS, objectsMs)} objects/s`,
  );
  console.log(
    `  rotation total (20,000):                      ${seconds(tableMs + objectsMs)} s   ${rate(ITEMS + OBJECTS, tableMs + objectsMs)} per s`,
  );
  console.log(
    `  retire-key check of the items:                ${seconds(tableCheckMs)} s   ${rate(ITEMS, tableCheckMs)} items/s`,
  );
  console.log(
    `  retire-key check of the objects (header only):${seconds(objectsCheckMs).padStart(5)} s   ${rate(OBJECTS, objectsCheckMs)} objects/s`,
  );
} finally {
  dynamo.destroy();
  s3.destroy();
  await Promise.all([dynamoEngine.stop(), s3Engine.stop()]);
  await rm(s3Dir, { recursive: true, force: true });
}
process.exit();
