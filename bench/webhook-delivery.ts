import { randomBytes, randomUUID } from 'node:crypto';
import { Agent, request } from 'node:http';

/** Latency figures of a run of deliveries, in milliseconds. */
export interface Latency {
  deliveries: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

/** One webhook delivery: its body and the headers to send it with (computed at send time, e.g. a fresh signature). */
export interface Delivery {
  body: string;
  headers: () => Record<string, string>;
}

export function percentile(sorted: number[], p: number): number {
  return sorted[Math.max(0, Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1))] ?? 0;
}

export function latency(samples: number[]): Latency {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    deliveries: sorted.length,
    p50Ms: percentile(sorted, 50),
    p99Ms: percentile(sorted, 99),
    maxMs: sorted.at(-1) ?? 0,
  };
}

export function latencyText(l: Latency): string {
  return `p50 ${l.p50Ms.toFixed(1)} ms  p99 ${l.p99Ms.toFixed(1)} ms  max ${l.maxMs.toFixed(1)} ms`;
}

/** One POST over a keep-alive agent; resolves with latency and status. */
function post(agent: Agent, url: URL, body: string, headers: Record<string, string>) {
  return new Promise<{ ms: number; status: number }>((resolve, reject) => {
    const started = performance.now();
    const req = request(
      url,
      { agent, method: 'POST', headers: { 'content-type': 'application/json', ...headers } },
      (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => {
          text += chunk.toString();
        });
        res.on('end', () => {
          if (res.statusCode !== 200)
            console.error(`webhook answered ${res.statusCode}: ${text.slice(0, 300)}`);
          resolve({ ms: performance.now() - started, status: res.statusCode ?? 0 });
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * Posts `deliveries` to `url` at `concurrency`; latencies in ms. `settle`, when given, runs after each delivery
 * and is not timed. Anything but 200 fails the run.
 */
export async function deliverAll(
  url: URL,
  deliveries: readonly Delivery[],
  concurrency: number,
  settle?: () => Promise<void>,
): Promise<number[]> {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const latencies: number[] = [];
  let next = 0;
  let non2xx = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < deliveries.length) {
        const delivery = deliveries[next++] as Delivery;
        const { ms, status } = await post(agent, url, delivery.body, delivery.headers());
        latencies.push(ms);
        if (status !== 200) non2xx += 1;
        await settle?.();
      }
    }),
  );
  agent.destroy();
  if (non2xx > 0) throw new Error(`${non2xx} deliveries were not acknowledged with 200`);
  return latencies;
}

/** A JSON API call that must succeed. */
export async function apiJson<T>(
  base: string,
  method: string,
  path: string,
  body?: unknown,
  token?: string,
): Promise<T> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as T;
}

/** A new firm whose admin (who may own meetings) is the bench's advisor. */
export async function benchFirm(base: string): Promise<{ token: string; userId: string; email: string }> {
  const email = `bench-${randomUUID()}@example.com`;
  const { access_token: token } = await apiJson<{ access_token: string }>(
    base,
    'POST',
    '/api/v1/auth/register',
    {
      firm_name: 'Bench Firm',
      name: 'Bench Admin',
      email,
      password: randomBytes(24).toString('base64url'),
    },
  );
  const me = await apiJson<{ user: { id: string } }>(base, 'GET', '/api/v1/auth/me', undefined, token);
  return { token, userId: me.user.id, email };
}

/**
 * Waits until every intake execution started so far has finished and no meeting of the firm is still waiting
 * for its file (the upload trigger the intake's S3 put fires has run).
 */
export async function intakesSettled(
  base: string,
  token: string,
  intakes: { started: () => number; done: () => number },
): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (intakes.done() >= intakes.started()) {
      const page = await apiJson<{ items: unknown[] }>(
        base,
        'GET',
        '/api/v1/meetings?status=pending_upload&limit=1',
        undefined,
        token,
      );
      if (page.items.length === 0) break;
    }
    if (Date.now() > deadline) throw new Error('platform intakes did not settle within 60 s');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  // The upload trigger's last writes (audit) follow the status change by a few milliseconds.
  await new Promise((resolve) => setTimeout(resolve, 25));
}

export async function countMeetings(base: string, token: string): Promise<number> {
  let count = 0;
  let cursor: string | undefined;
  do {
    const page = await apiJson<{ items: unknown[]; cursor?: string }>(
      base,
      'GET',
      `/api/v1/meetings?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      undefined,
      token,
    );
    count += page.items.length;
    cursor = page.cursor;
  } while (cursor);
  return count;
}
