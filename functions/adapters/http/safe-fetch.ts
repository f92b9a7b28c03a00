import type { ClientRequest, IncomingHttpHeaders, IncomingMessage, OutgoingHttpHeaders } from 'node:http';
import { request } from 'node:https';
import { isIPv6, type LookupFunction } from 'node:net';
import { Readable } from 'node:stream';
import { UrlRefusedError } from '../../platform/errors';
import { type ResolvedAddress, type Resolver, systemResolver } from './dns-resolver';
import { classifyAddress, describeRange } from './ip-ranges';
import { redactUrl } from './redact-url';
import { allowedPortSet, checkUrlShape, type FetchTarget } from './url-policy';

const REDIRECT_STATUSES: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);
const DEFAULT_MAX_REDIRECTS = 5;
const DEFAULT_HEADERS_TIMEOUT_MS = 10_000;
const DEFAULT_IDLE_TIMEOUT_MS = 30_000;
/** Credentials meant for one origin; a redirect to another origin must not carry them along. */
const ORIGIN_BOUND_HEADERS = ['authorization', 'cookie', 'proxy-authorization'];
const TLS_ERROR_CODE = /CERT|TLS|SSL/;

/**
 * Test-only escape hatches. Production code never sets these (a unit test checks that no file under
 * `functions/`, `lib/` or `bin/` mentions them): a test's TLS server listens on loopback, which the guard refuses
 * by design, and presents a certificate no public CA issued.
 */
export interface UnsafeTestOverrides {
  /** Called for an address the policy refused; `true` lets the guard connect to it anyway. */
  allowAddress?: (address: string) => boolean;
  /** Extra trust anchor for the TLS handshake. */
  ca?: string | Buffer;
}

/** What the address and URL policy need; enough to vet a URL at request time without fetching it. */
export interface VetOptions {
  /**
   * Ports besides 443 that may be fetched. Only for endpoints an operator configured (say, a firm's archive on
   * 8443), never from user input: open ports are how SSRF probes internal services on reachable hosts.
   */
  allowPorts?: readonly number[];
  /** Defaults to the system resolver (`dns.promises.lookup`, all answers, verbatim order). */
  resolver?: Resolver;
  signal?: AbortSignal;
  unsafeTestOverrides?: UnsafeTestOverrides;
}

export interface SafeFetchOptions extends VetOptions {
  /** Largest body accepted, in bytes: a larger Content-Length, or a longer stream, fails with `too_large`. */
  maxBytes: number;
  /** Total deadline in ms, covering DNS, every redirect hop and the whole body. */
  timeoutMs: number;
  /** Per hop: connect, TLS handshake and response headers. Default: 10 s, or `timeoutMs` if shorter. */
  headersTimeoutMs?: number;
  /** Longest silence on the socket, body included. Default 30 s. */
  idleTimeoutMs?: number;
  /** Sent with every request; `authorization` and `cookie` are dropped when a redirect changes origin. */
  headers?: Readonly<Record<string, string>>;
  /** Redirects followed before `too_many_redirects`. Default 5. */
  maxRedirects?: number;
}

/** A URL that passed every check, with the addresses a connection to it may use. */
export interface VettedTarget extends FetchTarget {
  addresses: readonly ResolvedAddress[];
}

export interface SafeFetchResponse {
  status: number;
  headers: IncomingHttpHeaders;
  /**
   * The body, at most `maxBytes`. Stream it to a sink (`pipeline(body, sink)`) or destroy it: the deadline and
   * the connection stay alive until it ends, and a broken limit arrives as an `UrlRefusedError` on the stream.
   */
  body: Readable;
  /** The URL the last redirect led to. It may carry tokens: log `redactUrl(finalUrl)`, never this. */
  finalUrl: string;
  redirects: number;
}

export interface SafeDownloadResult extends Omit<SafeFetchResponse, 'body'> {
  body: Buffer;
}

/**
 * Vets a URL without fetching it: shape (https, no userinfo, allowed port), then every address its host
 * resolves to. Handlers call it to answer 400 at once for a URL the download would refuse later.
 * @throws UrlRefusedError with the reason the meeting's owner should hear.
 */
export async function vetUrl(url: string | URL, options: VetOptions = {}): Promise<VettedTarget> {
  const target = checkUrlShape(url, allowedPortSet(options.allowPorts));
  const addresses =
    target.literalAddress === undefined
      ? await resolveEvery(target, options.resolver ?? systemResolver, options.signal)
      : [{ address: target.literalAddress, family: isIPv6(target.literalAddress) ? 6 : 4 }];
  for (const { address } of addresses) refuseBlocked(address, target, options.unsafeTestOverrides);
  return { ...target, addresses };
}

/**
 * Fetches a URL on a user's or webhook's behalf, guarded against SSRF: https only, every DNS answer checked,
 * the connection pinned to the vetted addresses (no DNS rebinding between check and connect), every redirect
 * vetted from scratch, and size and time limits on the download. GET only; the body streams.
 * @throws UrlRefusedError (`reason` says why) before any body is returned; later failures error the body.
 */
export async function safeFetch(url: string | URL, options: SafeFetchOptions): Promise<SafeFetchResponse> {
  const maxRedirects = options.maxRedirects ?? DEFAULT_MAX_REDIRECTS;
  let current = typeof url === 'string' ? url : url.href;
  const deadline = startDeadline(options.timeoutMs, options.signal, () => redactUrl(current));
  const vetOptions: VetOptions = { ...options, signal: deadline.signal };
  let headers = lowerCaseKeys(options.headers ?? {});
  try {
    for (let redirects = 0; ; redirects += 1) {
      const target = await vetUrl(current, vetOptions);
      const hop = await openHop(target, headers, options, deadline.signal);
      const { res } = hop;
      const status = res.statusCode ?? 0;
      if (REDIRECT_STATUSES.has(status)) {
        hop.release();
        const next = nextLocation(res.headers.location, target, redirects, maxRedirects);
        if (next.origin !== target.url.origin) headers = withoutOriginBoundHeaders(headers);
        current = next.href;
        continue;
      }
      refuseDeclaredSize(res, options.maxBytes, hop, target);
      const body = limitedBody(hop, options.maxBytes, target, deadline.clear);
      return { status, headers: res.headers, body, finalUrl: current, redirects };
    }
  } catch (error) {
    deadline.clear();
    throw error;
  }
}

/**
 * `safeFetch` with the body collected into memory, for small things (a transcript file, a webhook payload).
 * Stream anything large with `safeFetch` instead. Non-2xx statuses are returned, not thrown.
 */
export async function safeDownload(
  url: string | URL,
  options: SafeFetchOptions,
): Promise<SafeDownloadResult> {
  const { body, ...rest } = await safeFetch(url, options);
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(chunk as Buffer);
  return { ...rest, body: Buffer.concat(chunks) };
}

async function resolveEvery(
  target: FetchTarget,
  resolver: Resolver,
  signal: AbortSignal | undefined,
): Promise<readonly ResolvedAddress[]> {
  const url = redactUrl(target.url);
  let answers: readonly ResolvedAddress[];
  try {
    answers = await abortable(resolver(target.hostname), signal);
  } catch (cause) {
    if (cause instanceof UrlRefusedError || (signal?.aborted && cause === signal.reason)) throw cause;
    throw new UrlRefusedError('dns_failure', `The host name ${target.hostname} could not be resolved.`, {
      url,
      cause,
    });
  }
  if (answers.length === 0) {
    throw new UrlRefusedError('dns_failure', `The host name ${target.hostname} has no addresses.`, { url });
  }
  for (const { address } of answers) {
    if (classifyAddress(address).family === undefined) {
      throw new UrlRefusedError(
        'dns_failure',
        `The host name ${target.hostname} resolved to a non-address.`,
        {
          url,
          address,
        },
      );
    }
  }
  // The family comes from the address itself, not from what the resolver claimed.
  return answers.map(({ address }) => ({ address, family: isIPv6(address) ? 6 : 4 }));
}

function refuseBlocked(
  address: string,
  target: FetchTarget,
  overrides: UnsafeTestOverrides | undefined,
): void {
  const verdict = classifyAddress(address);
  if (verdict.allowed || overrides?.allowAddress?.(address) === true) return;
  const subject = target.literalAddress === undefined ? `${target.hostname} resolves to` : 'The URL names';
  // The address itself stays in the log: telling a caller what an internal name resolves to maps the network.
  throw new UrlRefusedError(
    'private_address',
    `${subject} ${describeRange(verdict.range)}, which is never fetched.`,
    {
      url: redactUrl(target.url),
      address,
    },
  );
}

interface Hop {
  req: ClientRequest;
  res: IncomingMessage;
  /** Where a failure goes: the request before the body is handed out, the body after. */
  fail: (error: Error) => void;
  /** Stops the hop's timers and listeners and closes its connection. Idempotent. */
  release: () => void;
}

function openHop(
  target: VettedTarget,
  headers: OutgoingHttpHeaders,
  options: SafeFetchOptions,
  signal: AbortSignal,
): Promise<Hop> {
  const url = redactUrl(target.url);
  const headersTimeoutMs =
    options.headersTimeoutMs ?? Math.min(DEFAULT_HEADERS_TIMEOUT_MS, options.timeoutMs);
  const idleTimeoutMs = options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
  const ca = options.unsafeTestOverrides?.ca;
  return new Promise((resolve, reject) => {
    const req = request({
      host: target.literalAddress ?? target.hostname,
      port: target.port,
      path: `${target.url.pathname}${target.url.search}`,
      method: 'GET',
      headers: {
        'user-agent': 'SmartAdvisorOS/1',
        'accept-encoding': 'identity',
        ...headers,
        host: target.url.host,
      },
      // A fresh connection per hop: a pooled socket could belong to an address vetted for another URL.
      agent: false,
      lookup: pinnedLookup(target),
      // TLS verifies the name the user gave, not the address we pinned (SNI may not carry an IP literal).
      ...(target.literalAddress === undefined ? { servername: target.hostname } : {}),
      ...(ca === undefined ? {} : { ca }),
    });
    let response: IncomingMessage | undefined;
    const hop: Hop = {
      req,
      get res(): IncomingMessage {
        if (response === undefined) throw new Error('No response yet.');
        return response;
      },
      fail: (error) => req.destroy(error),
      release: () => {
        clearTimeout(headersTimer);
        signal.removeEventListener('abort', onAbort);
        req.setTimeout(0);
        req.destroy();
      },
    };
    const onAbort = () => hop.fail(signal.reason as Error);
    const headersTimer = setTimeout(() => {
      hop.fail(
        new UrlRefusedError('timeout', `The server did not answer within ${headersTimeoutMs} ms.`, { url }),
      );
    }, headersTimeoutMs);
    signal.addEventListener('abort', onAbort, { once: true });
    // An already-aborted signal never fires 'abort' again: a literal-IP URL reaches here without awaiting.
    if (signal.aborted) onAbort();
    req.setTimeout(idleTimeoutMs, () => {
      hop.fail(new UrlRefusedError('timeout', `The server went silent for ${idleTimeoutMs} ms.`, { url }));
    });
    req.on('error', (error) => {
      const refusal = toRefusal(error, url, signal);
      if (response !== undefined) {
        hop.fail(refusal);
        return;
      }
      hop.release();
      reject(refusal);
    });
    req.once('response', (res) => {
      clearTimeout(headersTimer);
      response = res;
      resolve(hop);
    });
    req.end();
  });
}

/**
 * The `lookup` handed to the connection: it answers only with addresses already vetted for this host, so a
 * second DNS answer (a rebinding attack) never reaches the socket.
 */
function pinnedLookup(target: VettedTarget): LookupFunction {
  return (hostname, options, callback) => {
    const first = target.addresses[0];
    if (hostname !== target.hostname || first === undefined) {
      callback(Object.assign(new Error(`No vetted address for ${hostname}.`), { code: 'ENOTFOUND' }), '');
      return;
    }
    // Node asks for every address when it races families (autoSelectFamily); all of them passed the check.
    if (options.all === true) callback(null, [...target.addresses]);
    else callback(null, first.address, first.family);
  };
}

function nextLocation(
  location: string | undefined,
  target: VettedTarget,
  redirects: number,
  maxRedirects: number,
): URL {
  const url = redactUrl(target.url);
  if (redirects >= maxRedirects) {
    throw new UrlRefusedError('too_many_redirects', `The URL redirected more than ${maxRedirects} times.`, {
      url,
    });
  }
  if (location === undefined || location === '') {
    throw new UrlRefusedError('invalid_redirect', 'The server redirected without saying where to.', { url });
  }
  try {
    return new URL(location, target.url);
  } catch (cause) {
    throw new UrlRefusedError('invalid_redirect', 'The server redirected to an invalid URL.', { url, cause });
  }
}

function refuseDeclaredSize(res: IncomingMessage, maxBytes: number, hop: Hop, target: VettedTarget): void {
  const declared = Number(res.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) {
    hop.release();
    throw tooLarge(maxBytes, target);
  }
}

/** The response body behind a byte counter: the stream errors with `too_large` the moment it passes the limit. */
function limitedBody(hop: Hop, maxBytes: number, target: VettedTarget, onSettled: () => void): Readable {
  const { res } = hop;
  let received = 0;
  const body = new Readable({
    read() {
      res.resume();
    },
    destroy(error, callback) {
      hop.release();
      onSettled();
      callback(error);
    },
  });
  hop.fail = (error) => body.destroy(error);
  res.on('data', (chunk: Buffer) => {
    received += chunk.length;
    if (received > maxBytes) body.destroy(tooLarge(maxBytes, target));
    else if (!body.push(chunk)) res.pause();
  });
  res.on('end', () => body.push(null));
  res.on('error', (error) => body.destroy(toRefusal(error, redactUrl(target.url), undefined)));
  res.on('close', () => {
    if (!res.complete) {
      body.destroy(
        new UrlRefusedError(
          'connection_failed',
          'The server closed the connection before the download ended.',
          {
            url: redactUrl(target.url),
          },
        ),
      );
    }
  });
  return body;
}

function tooLarge(maxBytes: number, target: VettedTarget): UrlRefusedError {
  return new UrlRefusedError('too_large', `The download is larger than the limit of ${maxBytes} bytes.`, {
    url: redactUrl(target.url),
  });
}

/** Network errors become refusals the owner can read; ours, and the caller's own abort reason, pass through. */
function toRefusal(error: unknown, url: string, signal: AbortSignal | undefined): Error {
  if (error instanceof UrlRefusedError || (signal?.aborted && error === signal.reason)) return error as Error;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && TLS_ERROR_CODE.test(code)) {
    return new UrlRefusedError('tls_failure', "The server's TLS certificate could not be verified.", {
      url,
      cause: error,
    });
  }
  return new UrlRefusedError('connection_failed', 'Could not connect to the server.', { url, cause: error });
}

interface Deadline {
  signal: AbortSignal;
  clear: () => void;
}

/** One signal for the whole fetch: the total deadline, or the caller's own abort, whichever comes first. */
function startDeadline(
  timeoutMs: number,
  outer: AbortSignal | undefined,
  currentUrl: () => string,
): Deadline {
  const controller = new AbortController();
  const timer = setTimeout(() => {
    controller.abort(
      new UrlRefusedError('timeout', `The download did not finish within ${timeoutMs} ms.`, {
        url: currentUrl(),
      }),
    );
  }, timeoutMs);
  const onOuterAbort = () => controller.abort(outer?.reason);
  if (outer?.aborted) onOuterAbort();
  else outer?.addEventListener('abort', onOuterAbort, { once: true });
  return {
    signal: controller.signal,
    clear: () => {
      clearTimeout(timer);
      outer?.removeEventListener('abort', onOuterAbort);
    },
  };
}

function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return promise;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

function lowerCaseKeys(headers: Readonly<Record<string, string>>): OutgoingHttpHeaders {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
}

function withoutOriginBoundHeaders(headers: OutgoingHttpHeaders): OutgoingHttpHeaders {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !ORIGIN_BOUND_HEADERS.includes(name)));
}
