import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { EventSource } from '../topology';
import { REPO_ROOT } from './handler-loader';
import type { S3Engine } from './s3-engine';

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
 */
export async function connectEventSources(options: {
  sources: readonly EventSource[];
  s3: S3Engine;
  buckets: { uploads: string };
  region: string;
  onError?: (source: string, error: unknown) => void;
}): Promise<{ idle(): Promise<void> }> {
  let chain: Promise<void> = Promise.resolve();
  const report =
    options.onError ?? ((source, error) => console.error(`event source ${source} failed:`, error));
  for (const source of options.sources) {
    const mod = (await import(pathToFileURL(join(REPO_ROOT, source.handler)).href)) as {
      handler?: EventHandler;
    };
    const handler = mod.handler;
    if (typeof handler !== 'function')
      throw new Error(`${source.handler} does not export a handler function`);
    const bucket = options.buckets[source.trigger.bucket];
    options.s3.server.on('event', (event: { Records?: S3Record[] }) => {
      for (const record of event.Records ?? []) {
        const key = record.s3?.object?.key;
        if (!record.eventName?.startsWith('ObjectCreated') || record.s3?.bucket?.name !== bucket) continue;
        if (key === undefined || !decodeURIComponent(key).startsWith(source.trigger.keyPrefix)) continue;
        const invocation = objectCreatedEvent(bucket, key, record.s3?.object?.size ?? 0, options.region);
        chain = chain
          .then(() => handler(invocation).then(() => undefined))
          .catch((error) => report(source.name, error));
      }
    });
  }
  return { idle: () => chain };
}
