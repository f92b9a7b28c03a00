#!/usr/bin/env tsx
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { evaluateExtractor } from '../bench/eval/evaluate-extractor';
import { formatEvaluationTable } from '../bench/eval/evaluation-table';
import { loadLabelledMeetings } from '../bench/eval/load-labelled-meetings';
import type { Extractor } from '../functions/core/extraction/extractor';
import { configuredExtractor } from '../functions/integrations/configured-extractor';

const USAGE = `Usage: npm run eval [-- DIR] [--details] [--json]

Scores the meeting extractor against labelled meetings (NAME.json labels beside NAME.vtt|.srt|.txt transcripts;
default ../shared/golden next to the repository): action items, client facts and compliance flags — precision,
recall and F1, partial (evidence-only) matches and hits on not_flags.
  --details   list every partial match's disagreeing fields and every unverified citation
  --json      print the whole report as JSON instead of the table`;

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** The extractor to score: Claude when ANTHROPIC_API_KEY is set (ANTHROPIC_MODEL, ANTHROPIC_BASE_URL), else offline. */
function chooseExtractor(): { name: string; extractor: Extractor } {
  const key = process.env.ANTHROPIC_API_KEY;
  const { kind, extractor } = configuredExtractor({
    anthropic: {
      apiKey: key === '' ? undefined : key,
      model: process.env.ANTHROPIC_MODEL || 'claude-sonnet-5-5',
      baseUrl: process.env.ANTHROPIC_BASE_URL || undefined,
      tokenBudget: Number(process.env.EXTRACTION_TOKEN_BUDGET) || 400_000,
    },
  });
  return { name: kind, extractor };
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      details: { type: 'boolean' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const dir = positionals[0] ? resolve(positionals[0]) : resolve(ROOT, '../shared/golden');
  const meetings = await loadLabelledMeetings(dir);
  const { name, extractor } = chooseExtractor();
  const report = await evaluateExtractor(meetings, extractor, {
    firmDisclaimer: 'Evaluation run; no disclaimer.',
  });
  if (values.json) {
    console.log(JSON.stringify(report, null, 2));
    return;
  }
  console.log(`${meetings.length} labelled meeting(s) in ${dir}; extractor: ${name}\n`);
  console.log(formatEvaluationTable(report, { details: values.details ?? false }));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
