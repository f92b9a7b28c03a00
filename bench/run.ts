import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { allHandlerModules } from '../functions/topology';
import { PROJECT_ROOT } from '../lib/bundling';
import { measureAccessCheck, measureLogin } from './access-check';
import { measureBundles } from './bundle-sizes';
import { FUNCTION_ENV } from './function-env';
import { loadTest } from './http-load';
import { measureWebhooks, webhookLines } from './webhooks';

const TARGETS = { bundleBytes: 1024 * 1024, coldImportMs: 150, p99Ms: 30, accessCheckP99Ms: 2 };

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });

async function startHost(): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(PROJECT_ROOT, 'bin/smartad.ts'), 'start', '--memory'],
    {
      cwd: PROJECT_ROOT,
      env: {
        ...process.env,
        PORT: String(port),
        LOG_LEVEL: 'warn',
        // The login figure signs in 25 times from one IP; production's 5 per minute would stop it.
        RATE_LIMIT_AUTH: '100000/60',
        // One user calls the standard routes far faster than a person does.
        RATE_LIMIT_STANDARD: '1000000/60',
        RATE_LIMIT_STANDARD_FIRM: '1000000/60',
        PASSWORD_SCRYPT_LOG_N: '17',
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('local host not ready within 60 s')), 60_000);
    let buffered = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const ready = /^ready (\S+)/m.exec(buffered);
      if (ready?.[1]) {
        clearTimeout(timer);
        resolve(ready[1]);
      }
    });
    child.once('exit', (code) => reject(new Error(`local host exited with ${code}`)));
  });
  return { url, child };
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
const mark = (ok: boolean) => (ok ? 'ok' : 'OVER TARGET');

async function main() {
  console.log(
    '# Lambda bundles (esbuild, minified, as deployed) and cold import (median of 10 fresh processes)',
  );
  const bundles = await measureBundles(allHandlerModules(), FUNCTION_ENV);
  for (const b of bundles) {
    console.log(
      `${b.handler.padEnd(32)} bundle ${kb(b.bundleBytes).padStart(11)} (map ${kb(b.sourceMapBytes)})  ` +
        `cold import ${b.coldImportMedianMs.toFixed(1).padStart(6)} ms  ` +
        `${mark(b.bundleBytes <= TARGETS.bundleBytes && b.coldImportMedianMs <= TARGETS.coldImportMs)}`,
    );
  }

  const { url, child } = await startHost();
  try {
    for (const [path, what] of [
      ['/api/v1/health', 'public JSON route through the whole edge; the target applies here'],
      [
        '/api/v1/health/ready',
        'plus one GetItem on DynamoDB Local (Java, serialises requests); informational',
      ],
    ] as const) {
      console.log(`\n# Local host: GET ${path} (${what}), concurrency 16`);
      await loadTest(`${url}${path}`, 200, 16); // warm-up: JIT, connection pools, DynamoDB Local
      const load = await loadTest(`${url}${path}`, 2000, 16);
      const onTarget =
        path === '/api/v1/health' ? ` ${mark(load.p99Ms <= TARGETS.p99Ms && load.non2xx === 0)}` : '';
      console.log(
        `requests ${load.requests}  p50 ${load.p50Ms.toFixed(2)} ms  p99 ${load.p99Ms.toFixed(2)} ms  ` +
          `max ${load.maxMs.toFixed(2)} ms  throughput ${load.throughputRps.toFixed(0)} req/s  non-2xx ${load.non2xx}${onTarget}`,
      );
    }
    console.log('\n# Sign-in: POST /api/v1/auth/login, sequential, scrypt N=2^17 r=8 p=1 (production cost)');
    const login = await measureLogin(url);
    console.log(`p50 ${login.p50Ms.toFixed(1)} ms  max ${login.maxMs.toFixed(1)} ms`);
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
  }

  console.log(
    '\n# Access check: one trivial route served public and behind the authenticator, concurrency 16',
  );
  const access = await measureAccessCheck();
  console.log(
    `token verification (HS256 + claims) mean ${access.verifyMeanMicros.toFixed(1)} µs  p99 ${access.verifyP99Micros.toFixed(1)} µs`,
  );
  for (const [name, load] of [
    ['public', access.publicRoute],
    ['authenticated', access.userRoute],
  ] as const) {
    console.log(
      `${name.padEnd(14)} p50 ${load.p50Ms.toFixed(2)} ms  p99 ${load.p99Ms.toFixed(2)} ms  ${load.throughputRps.toFixed(0)} req/s  non-2xx ${load.non2xx}`,
    );
  }
  const added = access.userRoute.p99Ms - access.publicRoute.p99Ms;
  console.log(`access check adds ${added.toFixed(2)} ms at p99  ${mark(added <= TARGETS.accessCheckP99Ms)}`);

  console.log('\n# Zoom webhooks: acknowledgement latency (target p99 ≤ 50 ms) and duplicate deliveries');
  for (const line of webhookLines(await measureWebhooks())) console.log(line);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
