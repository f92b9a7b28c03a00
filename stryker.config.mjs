// @ts-check
import { MUTATION_MODULES } from './test/mutation/mutation-modules.mjs';

/**
 * Mutation testing of the security core (`npm run mutate`, not part of `npm test`): a mutant that survives in
 * these modules is a security or data-loss bug the tests would let through. Run one module at a time with
 * `npm run mutate -- --mutate <file>`; incremental mode reuses every result whose code and tests did not change.
 * @type {import('@stryker-mutator/api/core').PartialStrykerOptions}
 */
export default {
  testRunner: 'vitest',
  // Unit tests only: the integration project needs the local host, which a mutant run cannot start per worker.
  vitest: { configFile: 'vitest.mutate.config.ts' },
  plugins: ['@stryker-mutator/vitest-runner', './test/mutation/module-score-reporter.mjs'],
  mutate: Object.values(MUTATION_MODULES).flat(),
  coverageAnalysis: 'perTest',
  // Module-level mutants (schema and constant definitions) re-run every related test each: on the crypto module
  // alone 138 of them took 86 % of the time. They are left out and counted as ignored; docs/mutation-testing.md.
  ignoreStatic: true,
  // Two cores shared with other work: never more than two vitest workers.
  concurrency: 2,
  incremental: true,
  incrementalFile: 'reports/stryker-incremental.json',
  reporters: ['progress', 'clear-text', 'json', 'module-scores'],
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  clearTextReporter: { reportTests: false, reportMutants: true, reportScoreTable: false },
  thresholds: { high: 85, low: 70, break: null },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};
