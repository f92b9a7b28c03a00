import { type SafeFetchOptions, safeDownload } from '../http/safe-fetch';

/** One call to a meeting platform's API, at a base URL the operator configured. */
export interface PlatformRequest {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  url: string;
  headers?: Readonly<Record<string, string>>;
  body?: string;
  /** Largest body accepted; a longer one fails (a Drive export is capped at 10 MB by Google itself). */
  maxBytes: number;
  timeoutMs: number;
  /**
   * Content endpoints (a Graph recording, a Drive download) may redirect to a storage host. With this set, the
   * redirect target is fetched through the SSRF guard, without our Authorization header; otherwise a redirect
   * is an error.
   */
  followRedirectsSafely?: boolean;
}

export interface PlatformResponse {
  status: number;
  contentType: string | undefined;
  body: Buffer;
}

/** The transport the Graph and Google clients use; tests and the local host give them fakes' base URLs. */
export type PlatformHttp = (request: PlatformRequest) => Promise<PlatformResponse>;

/** The guard options for redirect targets; tests may pass the guard's own test hooks here. */
export type RedirectGuardOptions = Omit<SafeFetchOptions, 'maxBytes' | 'timeoutMs' | 'headers'>;

/**
 * The production transport. The first hop goes to the operator-configured API host (graph.microsoft.com,
 * oauth2.googleapis.com, … or a fake's loopback URL locally) with redirects held back; the URLs are built from
 * ids that passed strict schemas, so the host is never taken from a payload. Any URL that does come from an
 * answer (a redirect `Location`) goes through `safe-fetch` like a user's link: https only, public addresses
 * only, every hop vetted.
 */
export function createPlatformHttp(
  options: { fetch?: typeof fetch; redirectGuard?: RedirectGuardOptions } = {},
): PlatformHttp {
  const doFetch = options.fetch ?? fetch;
  return async (request) => {
    const signal = AbortSignal.timeout(request.timeoutMs);
    const response = await doFetch(request.url, {
      method: request.method,
      headers: request.headers,
      body: request.body,
      redirect: 'manual',
      signal,
    });
    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location !== null) {
      await response.body?.cancel();
      if (!request.followRedirectsSafely || request.method !== 'GET') {
        return { status: response.status, contentType: undefined, body: Buffer.alloc(0) };
      }
      const target = new URL(location, request.url);
      const followed = await safeDownload(target, {
        ...options.redirectGuard,
        maxBytes: request.maxBytes,
        timeoutMs: request.timeoutMs,
      });
      const contentType = followed.headers['content-type'];
      return { status: followed.status, contentType, body: followed.body };
    }
    const body = await readCapped(response, request.maxBytes);
    return { status: response.status, contentType: response.headers.get('content-type') ?? undefined, body };
  };
}

async function readCapped(response: Response, maxBytes: number): Promise<Buffer> {
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel();
    throw new RangeError(`The response is ${declared} bytes; the limit is ${maxBytes}.`);
  }
  if (response.body === null) return Buffer.alloc(0);
  const reader = response.body.getReader();
  const chunks: Buffer[] = [];
  let received = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return Buffer.concat(chunks);
    received += value.byteLength;
    if (received > maxBytes) {
      await reader.cancel();
      throw new RangeError(`The response is larger than the limit of ${maxBytes} bytes.`);
    }
    chunks.push(Buffer.from(value));
  }
}
