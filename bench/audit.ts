import { readFile } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import { join } from 'node:path';
import { startLocalHost } from '../lib/local/local-host';

/**
 * 2,000 audited writes (action-item updates) by one firm at concurrency 32 on the local host: answers by status,
 * the request's p50/p99 and throughput, then how long the chain writer takes to catch up, how many events the
 * trail holds and whether the whole chain verifies. Targets (issue 21): 0 answers ≥ 500, exactly 2,000 events,
 * a verified chain, ≥ 200 writes/s, p99 ≤ 100 ms. A single writer's run first (BENCH_AUDIT_BASELINE_WRITES,
 * default 200) shows what concurrency adds to a write's latency.
 */
const WRITES = Number(process.env.BENCH_AUDIT_WRITES ?? 2000);
const CONCURRENCY = Number(process.env.BENCH_AUDIT_CONCURRENCY ?? 32);
const BASELINE_WRITES = Number(process.env.BENCH_AUDIT_BASELINE_WRITES ?? 200);
const GOLDEN = join(import.meta.dirname, '..', '..', 'shared', 'golden');

function percentile(sorted: readonly number[], p: number): number {
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)] ?? 0;
}

async function main() {
  process.env.LOG_LEVEL = 'warn';
  process.env.PASSWORD_SCRYPT_LOG_N = '14';
  // One user calls the standard routes far faster than a person does.
  process.env.RATE_LIMIT_STANDARD ??= '1000000/60';
  process.env.RATE_LIMIT_STANDARD_FIRM ??= '1000000/60';
  process.env.CORS_ALLOWED_ORIGINS ??= 'http://localhost';
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  delete process.env.ANTHROPIC_API_KEY;
  const host = await startLocalHost({
    memory: true,
    port: 0,
    print: () => undefined,
    dynamodbJvmOptions: [],
  });
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY + 4 });
  const call = (method: string, path: string, body?: unknown, token?: string) =>
    new Promise<{ status: number; body: Record<string, unknown> }>((resolve, reject) => {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const req = request(
        new URL(path, host.url),
        {
          agent,
          method,
          headers: {
            ...(payload ? { 'content-type': 'application/json' } : {}),
            ...(token ? { authorization: `Bearer ${token}` } : {}),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : {} });
          });
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
  const ok = async (promise: ReturnType<typeof call>, status: number, what: string) => {
    const res = await promise;
    if (res.status !== status) throw new Error(`${what}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  try {
    const stamp = Date.now();
    const admin = await ok(
      call('POST', '/api/v1/auth/register', {
        firm_name: 'Audit Bench Wealth',
        name: 'Bench Admin',
        email: `audit.bench.${stamp}@example.com`,
        password: 'bench password 123',
      }),
      201,
      'register',
    );
    const adminToken = String(admin.access_token);
    const invite = await ok(
      call(
        'POST',
        '/api/v1/users/invites',
        { email: `audit.advisor.${stamp}@example.com`, name: 'Bench Advisor', role: 'advisor' },
        adminToken,
      ),
      201,
      'invite',
    );
    const advisor = await ok(
      call('POST', '/api/v1/users/invites/accept', {
        invite_token: invite.invite_token,
        password: 'bench password 123',
      }),
      200,
      'accept',
    );
    const token = String(advisor.access_token);

    // Processed meetings give the action items to update; each worker owns one item, so no write conflicts.
    const items: { meetingId: string; itemId: string }[] = [];
    for (let round = 0; items.length < CONCURRENCY; round += 1) {
      for (const n of [1, 2, 3, 4, 5, 6]) {
        const file = await readFile(join(GOLDEN, `meeting-0${n}.vtt`));
        const ticket = await ok(
          call(
            'POST',
            '/api/v1/meetings/upload',
            {
              title: `Bench ${round}-${n}`,
              meeting_date: '2026-01-20',
              client_names: ['Doug Pruitt'],
              file_name: 'meeting.vtt',
              content_type: 'text/vtt',
              size_bytes: file.byteLength,
            },
            token,
          ),
          201,
          'upload',
        );
        const meetingId = String((ticket.meeting as { id: string }).id);
        const put = await fetch(String((ticket.upload as { url: string }).url), {
          method: 'PUT',
          headers: { 'content-type': 'text/vtt' },
          body: file,
        });
        if (put.status !== 200) throw new Error(`upload PUT ${put.status}`);
        for (let status = ''; status !== 'completed'; ) {
          const meeting = await ok(
            call('GET', `/api/v1/meetings/${meetingId}`, undefined, token),
            200,
            'meeting',
          );
          status = String(meeting.status);
          if (status === 'failed') throw new Error('a bench meeting failed');
          if (status === 'awaiting_consent') {
            await ok(
              call(
                'POST',
                `/api/v1/meetings/${meetingId}/consent`,
                { method: 'written', participant_states: ['OH'] },
                token,
              ),
              200,
              'consent',
            );
          }
          if (status === 'completed') {
            const extraction = meeting.extraction as { action_items: { id: string }[] };
            for (const item of extraction.action_items) items.push({ meetingId, itemId: item.id });
          } else {
            await new Promise((resolve) => setTimeout(resolve, 20));
          }
        }
      }
    }
    await host.eventsIdle();

    /** `count` updates at `concurrency`, each worker toggling its own item: latencies and answers by status. */
    const runWrites = async (count: number, concurrency: number) => {
      const latencies: number[] = [];
      const statuses = new Map<number, number>();
      let issued = 0;
      const started = performance.now();
      const worker = async (w: number) => {
        const item = items[w % items.length] as { meetingId: string; itemId: string };
        let done = false;
        while (issued < count) {
          issued += 1;
          done = !done;
          const t0 = performance.now();
          const res = await call(
            'PATCH',
            `/api/v1/meetings/${item.meetingId}/action-items/${item.itemId}`,
            { done },
            token,
          );
          latencies.push(performance.now() - t0);
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        }
      };
      await Promise.all(Array.from({ length: concurrency }, (_v, w) => worker(w)));
      const elapsedS = (performance.now() - started) / 1000;
      return { sorted: [...latencies].sort((a, b) => a - b), statuses, elapsedS };
    };

    // One writer first: the latency of an audited write with nothing else in the firm's way.
    const alone = await runWrites(BASELINE_WRITES, 1);
    const { sorted, statuses, elapsedS } = await runWrites(WRITES, CONCURRENCY);

    const caughtUpStarted = performance.now();
    let chain: { verified: boolean; checked: number; pending: number } | undefined;
    for (;;) {
      const page = await ok(call('GET', '/api/v1/audit?limit=1', undefined, adminToken), 200, 'audit');
      chain = page.chain as typeof chain;
      if (chain?.pending === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const catchUpMs = performance.now() - caughtUpStarted;
    let updates = 0;
    let cursor: string | undefined;
    do {
      const page = await ok(
        call(
          'GET',
          `/api/v1/audit?order=oldest&limit=100${cursor ? `&cursor=${cursor}` : ''}`,
          undefined,
          adminToken,
        ),
        200,
        'audit page',
      );
      updates += (page.items as { action: string }[]).filter(
        (e) => e.action === 'meeting.action_item_updated',
      ).length;
      cursor = page.cursor as string | undefined;
    } while (cursor);
    const full = await ok(
      call('GET', '/api/v1/audit?limit=1&verify=full', undefined, adminToken),
      200,
      'verify',
    );

    const count = (predicate: (status: number) => boolean) =>
      [...statuses].filter(([status]) => predicate(status)).reduce((sum, [, n]) => sum + n, 0);
    const ok2xx = count((s) => s >= 200 && s < 300);
    const alone2xx = [...alone.statuses].filter(([s]) => s >= 200 && s < 300).reduce((n, [, k]) => n + k, 0);
    const fmt = (ms: number) => `${ms.toFixed(1)} ms`;
    console.log(
      `audited writes: ${WRITES} action-item updates, one firm, concurrency ${CONCURRENCY}, ${items.length} items`,
    );
    console.log(
      `  answers: ${[...statuses].map(([s, n]) => `${s}×${n}`).join(', ')}  (≥ 500: ${count((s) => s >= 500)}; target 0)`,
    );
    console.log(`  throughput: ${(WRITES / elapsedS).toFixed(0)} writes/s (target ≥ 200)`);
    console.log(
      `  one writer alone (${BASELINE_WRITES} writes): p50 ${fmt(percentile(alone.sorted, 50))}, p99 ${fmt(percentile(alone.sorted, 99))}, ${(BASELINE_WRITES / alone.elapsedS).toFixed(0)} writes/s`,
    );
    console.log(
      `  request latency: p50 ${fmt(percentile(sorted, 50))}, p99 ${fmt(percentile(sorted, 99))} (target ≤ 100 ms), max ${fmt(sorted[sorted.length - 1] ?? 0)}`,
    );
    console.log(`  chain writer caught up ${fmt(catchUpMs)} after the last answer`);
    console.log(
      `  events in the trail: ${updates} action-item updates for ${ok2xx + alone2xx} successful writes (target: equal, ${WRITES + BASELINE_WRITES})`,
    );
    console.log(
      `  chain (full verification): verified ${(full.chain as { verified: boolean }).verified}, ${(full.chain as { checked: number }).checked} events`,
    );
  } finally {
    agent.destroy();
    await host.stop();
  }
}

await main();
