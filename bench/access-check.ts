import * as z from 'zod';
import { edgeDeps } from '../functions/composition/edge-runtime';
import { identityRuntime } from '../functions/composition/identity-runtime';
import { register } from '../functions/core/identity/register';
import { createAccessTokens } from '../functions/platform/crypto/access-token';
import { createHttpHandler } from '../functions/platform/http/http-handler';
import { defineRoute } from '../functions/platform/http/route';
import type { Topology } from '../functions/topology';
import { startLocalHost } from '../lib/local/local-host';
import { median } from './bundle-sizes';
import { type LoadFigures, loadTest } from './http-load';

const Pong = z.object({ ok: z.literal(true) });
const route = (id: string, path: `/${string}`, auth: 'public' | 'user') =>
  defineRoute({
    id,
    method: 'GET',
    path,
    summary: id,
    tags: ['bench'],
    auth,
    rateLimit: 'standard',
    request: {},
    status: 200,
    response: Pong,
  });
const benchRoutes = [
  route('pingPublic', '/api/v1/bench/public', 'public'),
  route('pingUser', '/api/v1/bench/user', 'user'),
] as const;

const benchTopology: Topology = {
  routeGroups: [
    {
      name: 'bench',
      handler: 'functions/http/bench.ts',
      description: 'two identical routes, one public and one authenticated',
      routes: benchRoutes,
      memoryMb: 256,
      timeoutSeconds: 10,
      grants: { table: 'read', keyring: false, signingKey: true },
    },
  ],
  fallback: {
    name: 'fallback',
    handler: 'functions/http/fallback.ts',
    description: '',
    memoryMb: 256,
    timeoutSeconds: 10,
  },
  pipelineTasks: [],
  eventSources: [],
  schedules: [],
};

export interface AccessCheckFigures {
  verifyMeanMicros: number;
  verifyP99Micros: number;
  publicRoute: LoadFigures;
  userRoute: LoadFigures;
}

/** Verifying an access token (signature, claims, schema), in-process, per call. */
async function tokenVerificationMicros(iterations = 20_000): Promise<{ mean: number; p99: number }> {
  const tokens = createAccessTokens({
    key: { kid: 's1', secret: 'b'.repeat(64) },
    issuer: 'smart-advisor-os',
    audience: 'smart-advisor-os-api',
    ttlSeconds: 900,
    now: Date.now,
  });
  const token = await tokens.sign({ userId: 'u', tenantId: 't', role: 'advisor' }, 'j');
  for (let i = 0; i < 2_000; i += 1) await tokens.verify(token);
  const samples: number[] = [];
  for (let i = 0; i < iterations; i += 1) {
    const started = process.hrtime.bigint();
    await tokens.verify(token);
    samples.push(Number(process.hrtime.bigint() - started) / 1000);
  }
  samples.sort((a, b) => a - b);
  return {
    mean: samples.reduce((s, v) => s + v, 0) / samples.length,
    p99: samples[Math.floor(samples.length * 0.99)] ?? 0,
  };
}

/**
 * The cost of the access check on the local host: the same trivial route served twice by the real edge, once
 * public and once behind the real authenticator (JWT verification plus the user's standing from DynamoDB
 * Local, cached as configured), both loaded the same way; the difference is what authentication adds.
 */
export async function measureAccessCheck(total = 2000, concurrency = 16): Promise<AccessCheckFigures> {
  const verify = await tokenVerificationMicros();
  // Access lines for 20,000 requests would drown the figures; the host does not override what is set.
  process.env.LOG_LEVEL ??= 'warn';
  // One user calls the standard routes far faster than a person does.
  process.env.RATE_LIMIT_STANDARD ??= '1000000/60';
  process.env.RATE_LIMIT_STANDARD_FIRM ??= '1000000/60';
  let benchHandler: ReturnType<typeof createHttpHandler> | undefined;
  const host = await startLocalHost({
    memory: true,
    port: 0,
    topology: benchTopology,
    print: () => undefined,
    loadHandler: async (modulePath) => {
      if (modulePath === 'functions/http/fallback.ts')
        return (await import('../functions/http/fallback')).handler;
      // Built once, after the host has set the environment, like a warm Lambda.
      benchHandler ??= createHttpHandler(
        'bench',
        benchRoutes,
        { pingPublic: async () => ({ body: { ok: true } }), pingUser: async () => ({ body: { ok: true } }) },
        edgeDeps(),
      );
      return benchHandler;
    },
  });
  try {
    const pair = await register(
      {
        firmName: 'Bench',
        name: 'Bench Admin',
        email: 'bench@example.com',
        password: 'bench password 123',
        ip: '127.0.0.1',
      },
      identityRuntime(),
    );
    const headers = { authorization: `Bearer ${pair.access_token}` };
    const run = {
      public: () => loadTest(`${host.url}/api/v1/bench/public`, total, concurrency),
      user: () => loadTest(`${host.url}/api/v1/bench/user`, total, concurrency, headers),
    };
    await run.public();
    await run.user();
    // Alternate rounds so drift (JIT, GC, the other core) falls on both; keep each route's median round by p99.
    const rounds: { public: LoadFigures[]; user: LoadFigures[] } = { public: [], user: [] };
    for (let i = 0; i < 5; i += 1) {
      rounds.public.push(await run.public());
      rounds.user.push(await run.user());
    }
    const middle = (xs: LoadFigures[]) =>
      [...xs].sort((a, b) => a.p99Ms - b.p99Ms)[Math.floor(xs.length / 2)] as LoadFigures;
    return {
      verifyMeanMicros: verify.mean,
      verifyP99Micros: verify.p99,
      publicRoute: middle(rounds.public),
      userRoute: middle(rounds.user),
    };
  } finally {
    await host.stop();
  }
}

/** Sequential sign-ins against a running host: scrypt at the configured cost dominates. */
export async function measureLogin(baseUrl: string, samples = 25): Promise<{ p50Ms: number; maxMs: number }> {
  const email = `bench.login.${Date.now()}@example.com`;
  const password = 'bench password 123';
  const post = (path: string, body: unknown) =>
    fetch(`${baseUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const registered = await post('/api/v1/auth/register', {
    firm_name: 'Bench',
    name: 'Bench',
    email,
    password,
  });
  if (registered.status !== 201)
    throw new Error(`register failed: ${registered.status} ${await registered.text()}`);
  const times: number[] = [];
  for (let i = 0; i < samples; i += 1) {
    const started = performance.now();
    const res = await post('/api/v1/auth/login', { email, password });
    await res.text();
    if (res.status !== 200) throw new Error(`login failed: ${res.status}`);
    times.push(performance.now() - started);
  }
  return { p50Ms: median(times), maxMs: Math.max(...times) };
}
