import type { EvaluationReport } from './evaluate-extractor';
import { type KindScore, SCORED_KINDS, type ScoredKind } from './score-extraction';

const KIND_LABEL: Record<ScoredKind, string> = {
  action_items: 'actions',
  client_facts: 'facts',
  compliance_flags: 'flags',
};

const HEADER = [
  'meeting',
  'kind',
  'pred',
  'label',
  'match',
  'partial',
  'P',
  'R',
  'F1',
  'ev.P',
  'ev.R',
  'not_flags',
];

const percent = (value: number | null) => (value === null ? '—' : value.toFixed(2));

function row(meeting: string, kind: ScoredKind, score: KindScore): string[] {
  return [
    meeting,
    KIND_LABEL[kind],
    String(score.predicted),
    String(score.labelled),
    String(score.matched),
    String(score.evidenceOnly),
    percent(score.precision),
    percent(score.recall),
    percent(score.f1),
    percent(score.evidencePrecision),
    percent(score.evidenceRecall),
    kind === 'compliance_flags' ? String(score.notFlagHits) : '',
  ];
}

function align(rows: string[][]): string {
  const widths = HEADER.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  return rows
    .map((r) =>
      r.map((cell, c) => (c < 2 ? cell.padEnd(widths[c] ?? 0) : cell.padStart(widths[c] ?? 0))).join('  '),
    )
    .join('\n')
    .replace(/ +$/gm, '');
}

/**
 * The evaluation as a plain-text table: one row per meeting and kind, then totals. `match` needs evidence and
 * the compared fields to agree (P, R, F1 count only these); `partial` agrees on evidence alone (ev.P, ev.R).
 * With `details`, every partial match's disagreeing fields and every unresolved label are listed after it.
 */
export function formatEvaluationTable(report: EvaluationReport, options: { details?: boolean } = {}): string {
  const rows = [HEADER];
  for (const meeting of report.meetings) {
    for (const kind of SCORED_KINDS) rows.push(row(meeting.id, kind, meeting.kinds[kind]));
  }
  for (const kind of SCORED_KINDS) rows.push(row('TOTAL', kind, report.totals[kind]));

  const lines = [align(rows)];
  const unverified = report.meetings.reduce((sum, m) => sum + m.evidence.unverified, 0);
  const items = report.meetings.reduce((sum, m) => sum + m.evidence.items, 0);
  const relocated = report.meetings.reduce((sum, m) => sum + m.evidence.relocated, 0);
  const extractors = [...new Set(report.meetings.map((m) => m.extractor))].join(', ');
  lines.push(
    '',
    `extractor: ${extractors || '—'}; evidence: ${items - unverified}/${items} items verified, ${relocated} citation(s) relocated`,
  );

  if (options.details) {
    for (const meeting of report.meetings) {
      for (const kind of SCORED_KINDS) {
        for (const mismatch of meeting.kinds[kind].mismatches) {
          lines.push(`  ${meeting.id} ${mismatch.label}: ${mismatch.differences.join('; ')}`);
        }
      }
      for (const label of meeting.unresolvedLabels) lines.push(`  ${meeting.id} unresolved label ${label}`);
      for (const issue of meeting.evidence.issues) {
        lines.push(
          `  ${meeting.id} ${issue.item}: ${issue.problem} at #${issue.utterance_index}: ${issue.quote}`,
        );
      }
    }
  }
  return lines.join('\n');
}
