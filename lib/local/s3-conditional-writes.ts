import S3Error from 's3rver/lib/models/error.js';

/** The part of s3rver's Koa context this middleware reads. */
interface S3rverContext {
  method: string;
  path: string;
  querystring: string;
  headers: Record<string, string | string[] | undefined>;
  store: { getMetadata(bucket: string, key: string): Promise<{ etag: string }> };
}

type Next = () => Promise<void>;

/**
 * S3's conditional PutObject (`If-Match: <etag>`, `If-None-Match: *`), which s3rver 3.7.1 ignores: without it
 * a local run could never show that key rotation leaves a concurrent newer write alone, nor that the archive
 * is written once. A Koa middleware run before s3rver's router: PUTs of one object are serialised, so the
 * check and the write are atomic as on S3; a failed condition answers 412 PreconditionFailed (404 NoSuchKey
 * for `If-Match` on a missing object), as S3 does.
 */
export function s3ConditionalWrites(): (ctx: S3rverContext, next: Next) => Promise<void> {
  const locks = new Map<string, Promise<void>>();
  return async (ctx, next) => {
    const target = objectPut(ctx);
    if (target === undefined) return next();
    const id = `${target.bucket}/${target.key}`;
    const previous = locks.get(id) ?? Promise.resolve();
    let release = () => {};
    const mine = new Promise<void>((resolve) => {
      release = resolve;
    });
    const chained = previous.then(() => mine);
    locks.set(id, chained);
    await previous;
    try {
      await checkPreconditions(ctx, target.bucket, target.key);
      await next();
    } finally {
      release();
      if (locks.get(id) === chained) locks.delete(id);
    }
  };
}

/** Bucket and key of a plain PutObject (path-style); undefined for any other request. */
function objectPut(ctx: S3rverContext): { bucket: string; key: string } | undefined {
  // The SDK tags every operation with `x-id`; any other query (`?tagging`, `?uploadId`) is not a plain PUT.
  const query = ctx.querystring.split('&').filter((part) => part !== '' && !part.startsWith('x-id='));
  if (ctx.method !== 'PUT' || query.length > 0 || ctx.headers['x-amz-copy-source'] !== undefined)
    return undefined;
  const match = /^\/([^/]+)\/(.+)$/.exec(ctx.path);
  if (!match?.[1] || !match[2]) return undefined;
  return { bucket: decodeURIComponent(match[1]), key: decodeURIComponent(match[2]) };
}

async function checkPreconditions(ctx: S3rverContext, bucket: string, key: string): Promise<void> {
  const ifMatch = header(ctx, 'if-match');
  const ifNoneMatch = header(ctx, 'if-none-match');
  if (ifMatch === undefined && ifNoneMatch === undefined) return;
  const etag = await ctx.store.getMetadata(bucket, key).then(
    (metadata) => metadata.etag,
    () => undefined,
  );
  if (ifNoneMatch !== undefined && etag !== undefined) {
    throw new S3Error('PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', {
      Condition: 'If-None-Match',
    });
  }
  if (ifMatch === undefined) return;
  if (etag === undefined) throw new S3Error('NoSuchKey', 'The specified key does not exist.', { Key: key });
  if (unquote(ifMatch) !== unquote(etag)) {
    throw new S3Error('PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', {
      Condition: 'If-Match',
    });
  }
}

function header(ctx: S3rverContext, name: string): string | undefined {
  const value = ctx.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

const unquote = (etag: string) => etag.trim().replace(/^"|"$/g, '');
