import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { TLSSocket } from 'node:tls';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Resolver } from '../../../functions/adapters/http/dns-resolver';
import { type SafeFetchOptions, safeDownload, safeFetch } from '../../../functions/adapters/http/safe-fetch';
import { type UrlRefusalReason, UrlRefusedError } from '../../../functions/platform/errors';
import { selfSignedCert } from '../../support/self-signed-cert';

/**
 * The guard against a real TLS server on loopback. Loopback is refused by design, so these tests use the
 * documented test hook (`unsafeTestOverrides`: admit 127.0.0.1, trust the test certificate) and an injected
 * resolver that maps made-up names to it. The names do not exist in real DNS, so a connection that reaches
 * the server went through the pinned lookup.
 */

const TLS = selfSignedCert(['files.example.test', 'cdn.example.test'], ['127.0.0.1']);

interface Seen {
  path: string;
  host: string | undefined;
  servername: string | false | null;
  authorization: string | undefined;
}

type Route = (req: IncomingMessage, res: ServerResponse) => void;

let server: Server;
let port: number;
let seen: Seen[];
const routes = new Map<string, Route>();

/** Counts lookups. Every made-up name is the test server, except `internal.example.test`, a private host. */
function countingResolver(): Resolver & { calls: string[] } {
  const calls: string[] = [];
  const resolver = async (hostname: string) => {
    calls.push(hostname);
    return [{ address: hostname === 'internal.example.test' ? '10.0.0.7' : '127.0.0.1', family: 4 }];
  };
  return Object.assign(resolver, { calls });
}

/** Counts lookups; after its first answer it answers with a private address, as a rebinding attacker's DNS does. */
function rebindingResolver(): Resolver & { calls: string[] } {
  const calls: string[] = [];
  const resolver = async (hostname: string) => {
    calls.push(hostname);
    return [{ address: calls.length === 1 ? '127.0.0.1' : '10.0.0.7', family: 4 }];
  };
  return Object.assign(resolver, { calls });
}

function options(overrides: Partial<SafeFetchOptions> = {}): SafeFetchOptions {
  return {
    maxBytes: 1024,
    timeoutMs: 3000,
    allowPorts: [port],
    resolver: countingResolver(),
    unsafeTestOverrides: { allowAddress: (address) => address === '127.0.0.1', ca: TLS.cert },
    ...overrides,
  };
}

function url(path: string, host = 'files.example.test'): string {
  return `https://${host}:${port}${path}`;
}

async function refusalOf(promise: Promise<unknown>): Promise<UrlRefusedError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof UrlRefusedError))
    throw new Error(`expected a UrlRefusedError, got ${String(error)}`);
  return error;
}

beforeAll(async () => {
  server = createServer({ key: TLS.key, cert: TLS.cert }, (req, res) => {
    const path = new URL(req.url ?? '/', 'https://x').pathname;
    seen.push({
      path,
      host: req.headers.host,
      servername: (req.socket as TLSSocket).servername,
      authorization: req.headers.authorization,
    });
    const route =
      routes.get(path) ??
      [...routes].find(([prefix]) => prefix.endsWith('*') && path.startsWith(prefix.slice(0, -1)))?.[1];
    if (route === undefined) {
      res.writeHead(404).end('no such route');
      return;
    }
    route(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  seen = [];
  routes.clear();
  routes.set('/hello', (_req, res) => res.end('hello'));
});

describe('safeFetch over TLS', () => {
  it('connects to the vetted address under the original name: Host, SNI and certificate all say the name', async () => {
    const result = await safeDownload(url('/hello?access_token=t'), options());
    expect(result).toMatchObject({ status: 200, finalUrl: url('/hello?access_token=t'), redirects: 0 });
    expect(result.body.toString()).toBe('hello');
    expect(seen).toEqual([
      {
        path: '/hello',
        host: `files.example.test:${port}`,
        servername: 'files.example.test',
        authorization: undefined,
      },
    ]);
  });

  it('pins the connection: one lookup per hop, so a rebinding second answer is never used', async () => {
    const resolver = rebindingResolver();
    await safeDownload(url('/hello'), options({ resolver }));
    expect(resolver.calls).toEqual(['files.example.test']);
    // A second fetch resolves afresh and now sees the private answer: the check runs on every fetch.
    expect((await refusalOf(safeDownload(url('/hello'), options({ resolver })))).reason).toBe(
      'private_address',
    );
    expect(seen).toHaveLength(1);
  });

  it('fails TLS for a name the certificate does not carry, although the address is the vetted one', async () => {
    const refusal = await refusalOf(safeDownload(url('/hello', 'other.example.test'), options()));
    expect(refusal.reason).toBe('tls_failure');
    expect(seen).toEqual([]);
  });

  it('trusts only the system CAs without the test hook', async () => {
    const refusal = await refusalOf(
      safeDownload(url('/hello'), options({ unsafeTestOverrides: { allowAddress: () => true } })),
    );
    expect(refusal.reason).toBe('tls_failure');
  });

  it('is refused for loopback without the test hook, before connecting', async () => {
    const refusal = await refusalOf(
      safeDownload(url('/hello'), options({ unsafeTestOverrides: { ca: TLS.cert } })),
    );
    expect(refusal.reason).toBe('private_address');
    expect(seen).toEqual([]);
  });

  it('returns a non-2xx status rather than throwing', async () => {
    const result = await safeDownload(url('/missing'), options());
    expect(result.status).toBe(404);
  });

  it('reports a refused connection as connection_failed', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const refusal = await refusalOf(
      safeDownload(`https://files.example.test:${closedPort}/`, options({ allowPorts: [closedPort] })),
    );
    expect(refusal.reason).toBe('connection_failed');
  });
});

describe('cancellation', () => {
  it('does not connect when the caller has already aborted, even for an IP literal that needs no lookup', async () => {
    const reason = new Error('cancelled');
    const signal = AbortSignal.abort(reason);
    await expect(safeFetch(`https://127.0.0.1:${port}/hello`, options({ signal }))).rejects.toBe(reason);
    expect(seen).toEqual([]);
  });
});

describe('redirects', () => {
  it.each([301, 302, 303, 307, 308])('follows a %i, vetting the new host from scratch', async (status) => {
    routes.set('/start', (_req, res) =>
      res.writeHead(status, { location: url('/next', 'cdn.example.test') }).end(),
    );
    routes.set('/next', (_req, res) => res.writeHead(302, { location: '/hello' }).end());
    const resolver = countingResolver();
    const result = await safeDownload(url('/start'), options({ resolver }));
    expect(result).toMatchObject({ status: 200, finalUrl: url('/hello', 'cdn.example.test'), redirects: 2 });
    expect(resolver.calls).toEqual(['files.example.test', 'cdn.example.test', 'cdn.example.test']);
    expect(seen.map((request) => [request.servername, request.path])).toEqual([
      ['files.example.test', '/start'],
      ['cdn.example.test', '/next'],
      ['cdn.example.test', '/hello'],
    ]);
  });

  it('keeps credentials on the same origin and drops them when the origin changes', async () => {
    routes.set('/start', (_req, res) => res.writeHead(302, { location: '/same' }).end());
    routes.set('/same', (_req, res) =>
      res.writeHead(302, { location: url('/hello', 'cdn.example.test') }).end(),
    );
    await safeDownload(url('/start'), options({ headers: { Authorization: 'Bearer zoom-token' } }));
    expect(seen.map((request) => request.authorization)).toEqual([
      'Bearer zoom-token',
      'Bearer zoom-token',
      undefined,
    ]);
  });

  it.each<[string, string, UrlRefusalReason]>([
    ['a host that resolves to a private address', 'https://internal.example.test/x', 'private_address'],
    ['the metadata service', 'https://169.254.169.254/latest/meta-data/', 'private_address'],
    ['another loopback address', 'https://127.0.0.2/', 'private_address'],
    ['plain http', 'http://files.example.test/hello', 'scheme'],
    ['a file URL', 'file:///etc/passwd', 'scheme'],
    ['a port nobody configured', 'https://files.example.test:6379/', 'port'],
    ['a URL with credentials', 'https://admin:admin@files.example.test/', 'userinfo'],
  ])('refuses a redirect to %s', async (_name, location, reason) => {
    routes.set('/start', (_req, res) => res.writeHead(302, { location }).end());
    const refusal = await refusalOf(safeDownload(url('/start'), options()));
    expect(refusal.reason).toBe(reason);
    expect(seen.map((request) => request.path)).toEqual(['/start']);
  });

  it('stops after the hop limit', async () => {
    routes.set('/loop/*', (req, res) => {
      const n = Number(req.url?.split('/')[2]);
      res.writeHead(302, { location: `/loop/${n + 1}` }).end();
    });
    const refusal = await refusalOf(safeDownload(url('/loop/0'), options()));
    expect(refusal.reason).toBe('too_many_redirects');
    expect(seen).toHaveLength(6);
    seen = [];
    expect((await refusalOf(safeDownload(url('/loop/0'), options({ maxRedirects: 0 })))).reason).toBe(
      'too_many_redirects',
    );
    expect(seen).toHaveLength(1);
  });

  it('follows exactly the hop limit', async () => {
    routes.set('/loop/*', (req, res) => {
      const n = Number(req.url?.split('/')[2]);
      if (n === 5) res.end('arrived');
      else res.writeHead(302, { location: `/loop/${n + 1}` }).end();
    });
    const result = await safeDownload(url('/loop/0'), options());
    expect(result).toMatchObject({ status: 200, redirects: 5 });
  });

  it('refuses a redirect without a Location', async () => {
    routes.set('/start', (_req, res) => res.writeHead(302).end());
    expect((await refusalOf(safeDownload(url('/start'), options()))).reason).toBe('invalid_redirect');
  });
});

describe('size limits', () => {
  it('refuses a Content-Length over the limit before reading the body', async () => {
    routes.set('/big', (_req, res) => res.writeHead(200, { 'content-length': 2048 }).end(Buffer.alloc(2048)));
    const refusal = await refusalOf(safeFetch(url('/big'), options()));
    expect(refusal.reason).toBe('too_large');
    expect(refusal.message).toBe('The download is larger than the limit of 1024 bytes.');
  });

  it('accepts a body of exactly the limit', async () => {
    routes.set('/exact', (_req, res) => res.end(Buffer.alloc(1024, 1)));
    expect((await safeDownload(url('/exact'), options())).body).toHaveLength(1024);
  });

  it('errors the stream once a body without Content-Length passes the limit', async () => {
    routes.set('/stream', (_req, res) => {
      const timer = setInterval(() => res.write(Buffer.alloc(100, 2)), 2);
      res.on('close', () => clearInterval(timer));
    });
    const response = await safeFetch(url('/stream'), options());
    expect(response.headers['content-length']).toBeUndefined();
    let received = 0;
    const sink = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        received += chunk.length;
        callback();
      },
    });
    const refusal = await refusalOf(pipeline(response.body, sink));
    expect(refusal.reason).toBe('too_large');
    expect(received).toBeLessThanOrEqual(1024);
  });

  it('streams a large body to a slow sink within the limit', async () => {
    const size = 4 * 1024 * 1024;
    routes.set('/recording.m4a', (_req, res) => res.end(Buffer.alloc(size, 7)));
    const response = await safeFetch(url('/recording.m4a'), options({ maxBytes: size }));
    let received = 0;
    const sink = new Writable({
      highWaterMark: 1024,
      write(chunk: Buffer, _encoding, callback) {
        received += chunk.length;
        setImmediate(callback);
      },
    });
    await pipeline(response.body, sink);
    expect(received).toBe(size);
  });
});

describe('time limits', () => {
  it('times out a server that never sends headers', async () => {
    routes.set('/silent', () => {});
    // The message names the timer that fired: the 100 ms headers limit, not the 3 s total deadline.
    const refusal = await refusalOf(safeFetch(url('/silent'), options({ headersTimeoutMs: 100 })));
    expect(refusal).toMatchObject({ reason: 'timeout', message: 'The server did not answer within 100 ms.' });
  });

  it('ends a body that drips past the total deadline', async () => {
    routes.set('/drip', (_req, res) => {
      res.writeHead(200);
      const timer = setInterval(() => res.write('x'), 20);
      res.on('close', () => clearInterval(timer));
    });
    const refusal = await refusalOf(safeDownload(url('/drip'), options({ timeoutMs: 300 })));
    expect(refusal).toMatchObject({
      reason: 'timeout',
      message: 'The download did not finish within 300 ms.',
    });
  });

  it('ends a body that stalls for longer than the idle limit', async () => {
    routes.set('/stall', (_req, res) => res.writeHead(200).write('first bytes'));
    const refusal = await refusalOf(safeDownload(url('/stall'), options({ idleTimeoutMs: 100 })));
    expect(refusal).toMatchObject({ reason: 'timeout', message: 'The server went silent for 100 ms.' });
  });

  it('reports a body cut short by the server', async () => {
    routes.set('/cut', (req, res) => {
      res.writeHead(200, { 'content-length': 100 }).write('only ten b');
      setTimeout(() => req.socket.destroy(), 20);
    });
    expect((await refusalOf(safeDownload(url('/cut'), options()))).reason).toBe('connection_failed');
  });

  it("stops the download with the caller's abort reason", async () => {
    routes.set('/drip', (_req, res) => {
      res.writeHead(200);
      const timer = setInterval(() => res.write('x'), 20);
      res.on('close', () => clearInterval(timer));
    });
    const controller = new AbortController();
    const reason = new Error('the Lambda is out of time');
    const response = await safeFetch(url('/drip'), options({ signal: controller.signal }));
    setTimeout(() => controller.abort(reason), 50);
    await expect(pipeline(response.body, new Writable({ write: (_c, _e, cb) => cb() }))).rejects.toBe(reason);
  });
});
