import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { _Record } from '@aws-sdk/client-dynamodb-streams';
import type { EventSource } from '../../functions/topology';
import { REPO_ROOT } from './handler-loader';
import type { S3Engine } from './s3-engine';
import { pollTableStream, type TableStreamPoller } from './table-stream';

/** One S3 notification record as s3rver emits it (the S3 event notification format). */
interface S3Record {
  eventName?: string;
  s3?: { bucket?: { name?: string }; object?: { key?: string; size?: number } };
}

type EventHandler = (event: unknown) => Promise<unknown>;

/** The EventBridge "Object Created" event AWS delivers for an S3 record: what the handler receives on AWS. */
export function objectCreatedEvent(bucket: string, key: string, size: number, region: string) {
  return {
    version: '0',
    id: crypto.randomUUID(),
    'detail-type': 'Object Created',
    source: 'aws.s3',
    account: 'local',
    time: new Date().toISOString(),
    region,
    resources: [`arn:aws:s3:::${bucket}`],
    detail: { version: '0', bucket: { name: bucket }, object: { key, size }, reason: 'PutObject' },
  };
}

/**
 * Plays EventBridge for the topology's S3 event sources: s3rver's object-created records become the events
 * AWS would deliver, and the same handler module Lambda runs is invoked with them. Invocations are chained so
 * a burst of uploads is handled in order; a failing handler is reported on stderr (AWS would retry it).
 * Plays Lambda's stream event source mapping for the table-stream sources (`pollTableStream`).
 */
export async function connectEventSources(options: {
  sources: readonly EventSource[];
  s3: S3Engine;
  buckets: { uploads: string };
  region: string;
  /** DynamoDB Local and its table's stream, for table-stream sources. */
  table: { endpoint: string; streamArn: string };
  onError?: (source: string, error: unknown) => void;
}): Promise<{ idle(): Promise<void>; stop(): Promise<void> }> {
  let chain: Promise<void> = Promise.resolve();
  const streams: TableStreamPoller[] = [];
  const report =
    options.onError ?? ((source, error) => console.error(`event source ${source} failed:`, error));
  for (const source of options.sources) {
    const mod = (await import(pathToFileURL(join(REPO_ROOT, source.handler)).href)) as {
      handler?: EventHandler;
    };
    const handler = mod.handler;
    if (typeof handler !== 'function')
      throw new Error(`${source.handler} does not export a handler function`);
    const trigger = source.trigger;
    if (trigger.kind === 'table-stream') {
      streams.push(
        pollTableStream({
          endpoint: options.table.endpoint,
          region: options.region,
          streamArn: options.table.streamArn,
          accept: (record) =>
            record.eventName === 'INSERT' &&
            record.dynamodb?.Keys?.sk?.S?.startsWith(trigger.insertedSortKeyPrefix) === true,
          deliver: async (records) => {
            await handler({ Records: records.map((record) => streamRecordEvent(record, options)) });
          },
          onError: (error) => report(source.name, error),
        }),
      );
      continue;
    }
    const bucket = options.buckets[trigger.bucket];
    options.s3.server.on('event', (event: { Records?: S3Record[] }) => {
      for (const record of event.Records ?? []) {
        const key = record.s3?.object?.key;
        if (!record.eventName?.startsWith('ObjectCreated') || record.s3?.bucket?.name !== bucket) continue;
        if (key === undefined || !decodeURIComponent(key).startsWith(trigger.keyPrefix)) continue;
        const invocation = objectCreatedEvent(bucket, key, record.s3?.object?.size ?? 0, options.region);
        chain = chain
          .then(() => handler(invocation).then(() => undefined))
          .catch((error) => report(source.name, error));
      }
    });
  }
  return {
    idle: async () => {
      await chain;
      await Promise.all(streams.map((stream) => stream.idle()));
    },
    stop: async () => {
      await Promise.all(streams.map((stream) => stream.stop()));
    },
  };
}

/** A stream record as Lambda delivers it: the stream's own record plus the event source ARN and region. */
function streamRecordEvent(record: _Record, options: { region: string; table: { streamArn: string } }) {
  return {
    eventID: record.eventID,
    eventName: record.eventName,
    eventVersion: record.eventVersion,
    eventSource: 'aws:dynamodb',
    awsRegion: options.region,
    eventSourceARN: options.table.streamArn,
    dynamodb: {
      Keys: record.dynamodb?.Keys,
      SequenceNumber: record.dynamodb?.SequenceNumber,
      SizeBytes: record.dynamodb?.SizeBytes,
      StreamViewType: record.dynamodb?.StreamViewType,
    },
  };
}
