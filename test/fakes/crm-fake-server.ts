import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as a fake CRM received it. */
export interface FakeCrmRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  /** `METHOD /path` with numeric and record-id segments as `:id`: what per-path counts are keyed by. */
  route: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: string;
}

export interface FakeCrmAnswer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** What every fake CRM server lets a test do, whatever the vendor. */
export interface FakeCrmControl {
  baseUrl: string;
  /** Every request, in order. */
  readonly requests: readonly FakeCrmRequest[];
  /** Requests per `METHOD /path` route (ids collapsed), e.g. `{ 'POST /v1/tasks': 3 }`. */
  counts(): Record<string, number>;
  totalRequests(): number;
  /** Forgets the requests seen so far (and so the counts); seeded and created records stay. */
  resetRequests(): void;
  /** Drops every pending 429, 500 and mangled answer, and the latency. */
  clearFaults(): void;
  /** The next `times` requests (whose path contains `pathIncludes`, if given) are answered 429 with `Retry-After`. */
  rateLimit(times: number, retryAfter?: string, pathIncludes?: string): void;
  /** The next `times` requests (whose path contains `pathIncludes`, if given) are answered with a 500. */
  failWith500(times: number, pathIncludes?: string): void;
  /** The next `times` requests (whose path contains `pathIncludes`, if given) get `answer` instead. */
  respondWith(times: number, answer: FakeCrmAnswer, pathIncludes?: string): void;
  /** Every answer waits this long first (the benchmark's "vendor answering in 20 ms"). */
  setLatency(ms: number): void;
  /** The next successful answer (to a path containing `pathIncludes`, if given) goes through `mangle` first. */
  mangleNext(mangle: (body: unknown) => unknown, pathIncludes?: string): void;
  /** Refuses (or accepts again) every credential, as the vendor does for a revoked key. */
  refuseCredentials(refuse?: boolean): void;
  close(): Promise<void>;
}

interface Fault {
  remaining: number;
  pathIncludes: string | undefined;
}

export interface FakeCrmVendor {
  /** The vendor's 500 body. */
  serverErrorBody: unknown;
  /** The vendor's 429 body. */
  rateLimitBody: unknown;
  /** Answers one request; `refused` says whether credentials are being refused wholesale. */
  handle(request: FakeCrmRequest, refused: boolean): FakeCrmAnswer | Promise<FakeCrmAnswer>;
}

const ID_SEGMENT = /^(?:\d+|[a-zA-Z0-9]{18})$/;

/** `POST /contacts/42/notes` → `POST /contacts/:id/notes`. */
export function routeOf(method: string, path: string): string {
  const segments = path
    .split('/')
    .map((segment) => (ID_SEGMENT.test(segment) && /\d/.test(segment) ? ':id' : segment));
  return `${method} ${segments.join('/')}`;
}

/**
 * The HTTP plumbing the three fake CRMs share: a real server on 127.0.0.1 and a random port, request log and
 * per-route counts, and the faults tests inject (429 with `Retry-After`, 500, latency, a mangled answer,
 * refused credentials). The vendor module supplies the wire format.
 */
export async function startFakeCrmServer(vendor: FakeCrmVendor): Promise<FakeCrmControl> {
  const requests: FakeCrmRequest[] = [];
  const rateLimits: (Fault & { retryAfter: string })[] = [];
  const failures: Fault[] = [];
  const mangles: (Fault & { mangle: (body: unknown) => unknown })[] = [];
  const scripted: (Fault & { answer: FakeCrmAnswer })[] = [];
  let latencyMs = 0;
  let refused = false;

  const take = <F extends Fault>(faults: F[], path: string): F | undefined => {
    const fault = faults.find(
      (f) => f.remaining > 0 && (f.pathIncludes === undefined || path.includes(f.pathIncludes)),
    );
    if (fault) fault.remaining--;
    return fault;
  };

  const send = (res: ServerResponse, answer: FakeCrmAnswer) => {
    const headers: Record<string, string> = { ...answer.headers };
    if (answer.body !== undefined) headers['content-type'] ??= 'application/json;charset=UTF-8';
    res.writeHead(answer.status, headers);
    res.end(answer.body === undefined ? undefined : JSON.stringify(answer.body));
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? '/', 'http://fake');
    const method = req.method ?? 'GET';
    const request: FakeCrmRequest = {
      method,
      path: url.pathname,
      route: routeOf(method, url.pathname),
      query: url.searchParams,
      headers: req.headers,
      body: Buffer.concat(chunks).toString('utf8'),
    };
    requests.push(request);
    if (latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, latencyMs));

    const limited = take(rateLimits, request.path);
    if (limited)
      return send(res, {
        status: 429,
        body: vendor.rateLimitBody,
        headers: { 'retry-after': limited.retryAfter },
      });
    if (take(failures, request.path)) return send(res, { status: 500, body: vendor.serverErrorBody });
    const answerInstead = take(scripted, request.path);
    if (answerInstead) return send(res, answerInstead.answer);

    const answer = await vendor.handle(request, refused);
    if (answer.status >= 200 && answer.status < 300) {
      const mangle = take(mangles, request.path);
      if (mangle) return send(res, { ...answer, body: mangle.mangle(structuredClone(answer.body)) });
    }
    return send(res, answer);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) =>
      send(res, { status: 500, body: { fakeError: String(error) } }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    baseUrl: `http://127.0.0.1:${port}`,
    requests,
    counts: () => {
      const counts: Record<string, number> = {};
      for (const { route } of requests) counts[route] = (counts[route] ?? 0) + 1;
      return counts;
    },
    totalRequests: () => requests.length,
    resetRequests: () => {
      requests.length = 0;
    },
    clearFaults: () => {
      rateLimits.length = 0;
      failures.length = 0;
      mangles.length = 0;
      scripted.length = 0;
      latencyMs = 0;
    },
    rateLimit: (times, retryAfter = '1', pathIncludes) => {
      rateLimits.push({ remaining: times, retryAfter, pathIncludes });
    },
    failWith500: (times, pathIncludes) => {
      failures.push({ remaining: times, pathIncludes });
    },
    respondWith: (times, answer, pathIncludes) => {
      scripted.push({ remaining: times, pathIncludes, answer });
    },
    setLatency: (ms) => {
      latencyMs = ms;
    },
    mangleNext: (mangle, pathIncludes) => {
      mangles.push({ remaining: 1, pathIncludes, mangle });
    },
    refuseCredentials: (refuse = true) => {
      refused = refuse;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/** The request body as JSON, or `undefined` when it is not JSON. */
export function jsonBody(request: FakeCrmRequest): unknown {
  try {
    return JSON.parse(request.body);
  } catch {
    return undefined;
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
