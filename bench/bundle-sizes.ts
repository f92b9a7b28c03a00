import { spawnSync } from 'node:child_process';
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { bundleOptionsFor, PROJECT_ROOT } from '../lib/bundling';

export interface BundleFigures {
  handler: string;
  bundleBytes: number;
  sourceMapBytes: number;
  coldImportMedianMs: number;
  coldImportSamplesMs: number[];
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
};

/** Time to evaluate the bundle in a fresh Node process: module graph, SDK clients, config — a cold start's init. */
function coldImportMs(file: string, env: Record<string, string>): number {
  const script = [
    'const t0 = performance.now();',
    'await import(process.argv[1]);',
    "process.stderr.write('\\n@cold-import-ms=' + (performance.now() - t0) + '\\n');",
  ].join(' ');
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', script, file], {
    env: { PATH: process.env.PATH ?? '', ...env },
    encoding: 'utf8',
  });
  if (result.status !== 0) {
    const tail = result.stderr
      .split('\n')
      .filter((l) => l.length < 400)
      .slice(-15)
      .join('\n');
    throw new Error(`importing ${file} failed:\n${tail}`);
  }
  // Bundles may log at init (to stdout); the figure goes to stderr behind a marker.
  const figure = /@cold-import-ms=([\d.]+)/.exec(result.stderr)?.[1];
  if (figure === undefined) throw new Error(`no timing from ${file}: ${result.stderr.slice(-500)}`);
  return Number(figure);
}

/**
 * Bundles every function exactly as the CDK app does (`bundleOptionsFor`) and measures the minified bundle and
 * its cold import time (median of `samples` fresh processes).
 */
export async function measureBundles(
  handlers: readonly string[],
  env: Record<string, string>,
  samples = 10,
): Promise<BundleFigures[]> {
  const out: BundleFigures[] = [];
  const root = mkdtempSync(join(tmpdir(), 'smartad-bench-'));
  for (const handler of handlers) {
    const outdir = join(root, handler.replace(/[/.]/g, '_'));
    await build({ ...bundleOptionsFor(join(PROJECT_ROOT, handler), outdir), logLevel: 'error' });
    const file = join(outdir, 'index.mjs');
    const coldImportSamplesMs = Array.from({ length: samples }, () => coldImportMs(file, env));
    out.push({
      handler,
      bundleBytes: statSync(file).size,
      sourceMapBytes: statSync(`${file}.map`).size,
      coldImportMedianMs: median(coldImportSamplesMs),
      coldImportSamplesMs,
    });
  }
  return out;
}

export { median };
