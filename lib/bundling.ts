import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BundlingOptions } from 'aws-cdk-lib/aws-lambda-nodejs';
import { OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { BuildOptions } from 'esbuild';

/** Repository root: handler paths in the topology are relative to it, and esbuild runs in it. */
export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export const LOCK_FILE = join(PROJECT_ROOT, 'package-lock.json');

/** esbuild target; matches the Lambda runtime chosen in `project-function.ts`. */
export const NODE_TARGET = 'node24';

// CJS dependencies bundled into ESM still call `require`; the alias avoids clashing with a bundled `createRequire`.
const ESM_REQUIRE_BANNER =
  "import { createRequire as __smartadCreateRequire } from 'node:module';const require = __smartadCreateRequire(import.meta.url);";

/**
 * The esbuild settings of every function, in NodejsFunction's vocabulary. `bundleOptionsFor` derives the
 * equivalent esbuild options from the same values so the benchmark measures what is deployed.
 */
export const FUNCTION_BUNDLING = {
  target: NODE_TARGET,
  format: OutputFormat.ESM,
  minify: true,
  // Error names are part of the contract with the state machine (Retry/Catch match them): never mangle them.
  keepNames: true,
  sourceMap: true,
  // Stack traces need only the mappings; embedded sources would make every cold start parse a larger map.
  sourcesContent: false,
  // Prefer packages' ESM builds: they tree-shake, and the AWS SDK v3 ships one.
  mainFields: ['module', 'main'],
  banner: ESM_REQUIRE_BANNER,
  // The SDK version we test against ships in the bundle, instead of whatever the runtime image carries.
  bundleAwsSDK: true,
  forceDockerBundling: false,
} as const satisfies BundlingOptions;

/**
 * esbuild options equivalent to what NodejsFunction runs for `entryAbsPath` (same flags, same working
 * directory, output named `index.mjs`). `outdir` defaults to a per-entry folder under `cdk.out/bundles`;
 * callers that only measure add `write: false` and `metafile: true`.
 */
export function bundleOptionsFor(entryAbsPath: string, outdir = defaultOutdir(entryAbsPath)): BuildOptions {
  return {
    absWorkingDir: PROJECT_ROOT,
    entryPoints: [entryAbsPath],
    outfile: join(outdir, 'index.mjs'),
    bundle: true,
    platform: 'node',
    target: FUNCTION_BUNDLING.target,
    format: 'esm',
    minify: FUNCTION_BUNDLING.minify,
    keepNames: FUNCTION_BUNDLING.keepNames,
    sourcemap: FUNCTION_BUNDLING.sourceMap,
    sourcesContent: FUNCTION_BUNDLING.sourcesContent,
    mainFields: [...FUNCTION_BUNDLING.mainFields],
    banner: { js: FUNCTION_BUNDLING.banner },
    external: [],
  };
}

function defaultOutdir(entryAbsPath: string): string {
  return join(
    PROJECT_ROOT,
    'cdk.out',
    'bundles',
    relative(PROJECT_ROOT, entryAbsPath).replace(/\.[cm]?[jt]s$/, ''),
  );
}
