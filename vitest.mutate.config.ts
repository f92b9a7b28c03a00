import { defineConfig } from 'vitest/config';

/**
 * The tests Stryker runs against each mutant (`npm run mutate`): the unit project alone, without vitest
 * projects (the Stryker runner cannot pick one project and runs them all). Left out: the architecture test (it
 * reads files, not behaviour) and the three tests that read `../shared/golden` by a path relative to the
 * repository, which Stryker's sandbox copy does not have beside it; none of them covers a mutated module.
 */
export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts'],
    exclude: [
      'test/unit/architecture.test.ts',
      'test/unit/adapters/claude-extractor.test.ts',
      'test/unit/core/extraction/offline-extractor.test.ts',
      'test/unit/core/transcript/golden-webvtt.test.ts',
    ],
    environment: 'node',
  },
});
