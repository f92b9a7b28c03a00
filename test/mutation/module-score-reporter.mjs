// @ts-check
import { isAbsolute, relative } from 'node:path';
import { declareValuePlugin, PluginKind } from '@stryker-mutator/api/plugin';
import { MUTATION_MODULES } from './mutation-modules.mjs';

/** `dir/*.ts` → a regex for one path segment per `*`: the only glob form the module list uses. */
const globRegex = (glob) =>
  new RegExp(`^${glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*')}$`);

const MODULE_PATTERNS = Object.entries(MUTATION_MODULES).map(([name, globs]) => ({
  name,
  patterns: globs.map(globRegex),
}));

/** Killed and timed-out mutants over all that ran or had no test (ignored and compile errors left out). */
function score(counts) {
  const detected = counts.Killed + counts.Timeout;
  const valid = detected + counts.Survived + counts.NoCoverage;
  return valid === 0 ? undefined : (100 * detected) / valid;
}

/**
 * Prints the mutation score per security-core module (the file-by-file table groups nothing), for the modules
 * this run mutated. A score below 85 % fails the target in docs/mutation-testing.md.
 * @param {import('mutation-testing-report-schema/api').MutationTestResult} report
 */
function printModuleScores(report) {
  const rows = new Map();
  for (const [file, result] of Object.entries(report.files)) {
    const path = isAbsolute(file) ? relative(process.cwd(), file) : file;
    const module = MODULE_PATTERNS.find((m) => m.patterns.some((p) => p.test(path)))?.name ?? '(other)';
    const counts = rows.get(module) ?? { Killed: 0, Timeout: 0, Survived: 0, NoCoverage: 0, other: 0 };
    for (const mutant of result.mutants) {
      if (mutant.status in counts) counts[mutant.status] += 1;
      else counts.other += 1;
    }
    rows.set(module, counts);
  }
  const lines = ['', 'Mutation score per module (target >= 85 %):'];
  for (const { name } of [...MODULE_PATTERNS, { name: '(other)' }]) {
    const counts = rows.get(name);
    if (!counts) continue;
    const value = score(counts);
    lines.push(
      `  ${value === undefined ? '   n/a' : `${value.toFixed(1).padStart(5)} %`}  ${name}: ` +
        `${counts.Killed} killed, ${counts.Timeout} timed out, ${counts.Survived} survived, ` +
        `${counts.NoCoverage} without coverage`,
    );
  }
  console.log(lines.join('\n'));
}

export const strykerPlugins = [
  declareValuePlugin(PluginKind.Reporter, 'module-scores', {
    onMutationTestReportReady: printModuleScores,
  }),
];
