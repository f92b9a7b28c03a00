import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../lib/bundling';
import { allHandlerModules } from '../lib/topology';
import { measureBundles } from './bundle-sizes';
import { loadTest } from './http-load';

const TARGETS = { bundleBytes: 1024 * 1024, coldImportMs: 150, p99Ms: 30 };

/** A complete function environment; endpoints point nowhere because init must not call them. */
const FUNCTION_ENV = {
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'bench',
  AWS_SECRET_ACCESS_KEY: 'bench',
  TABLE_NAME: 'smartad',
  UPLOADS_BUCKET: 'smartad-uploads',
  ARCHIVE_BUCKET: 'smartad-archive',
  DYNAMODB_ENDPOINT: 'http://127.0.0.1:9',
  S3_ENDPOINT: 'http://127.0.0.1:9',
  KEYRING_FILE: '/nonexistent/keyring.json',
  SIGNING_KEY_FILE: '/nonexistent/signing-key.json',
  LOG_LEVEL: 'warn',
  // As deployed (project-function.ts): source maps on, which Node parses at load.
  NODE_OPTIONS: '--enable-source-maps',
};

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
      env: { ...process.env, PORT: String(port), LOG_LEVEL: 'warn' },
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
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
