import { allHandlerModules } from '../functions/topology';
import { measureBundles } from './bundle-sizes';
import { FUNCTION_ENV } from './function-env';

/**
 * Every function of the topology bundled as deployed: minified size and cold import (median of fresh Node
 * processes). `npm run bench:bundles [-- --samples N]`; the full `npm run bench` adds the local host's figures.
 */
const TARGETS = { bundleBytes: 1024 * 1024, coldImportMs: 150 };

const samplesArg = process.argv.indexOf('--samples');
const samples = samplesArg > 0 ? Number(process.argv[samplesArg + 1]) : 5;
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;

const bundles = await measureBundles(allHandlerModules(), FUNCTION_ENV, samples);
console.log(
  `# Lambda bundles (esbuild, minified, as deployed) and cold import (median of ${samples} fresh processes)`,
);
for (const b of bundles) {
  const ok = b.bundleBytes <= TARGETS.bundleBytes && b.coldImportMedianMs <= TARGETS.coldImportMs;
  console.log(
    `${b.handler.padEnd(44)} ${kb(b.bundleBytes).padStart(11)}  cold import ${b.coldImportMedianMs.toFixed(1).padStart(6)} ms  ${ok ? 'ok' : 'OVER TARGET'}`,
  );
}
