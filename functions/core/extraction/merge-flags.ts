import type { ComplianceFlag, ModelExtraction } from './extraction-schema';

type ModelFlag = ModelExtraction['compliance_flags'][number];

/**
 * The model's flags and the deterministic lexicon's, as one list that says where each came from: a flag of the
 * same rule citing the same utterance from both is one flag with `source: 'both'` (the model's wording kept),
 * every other flag keeps its own source.
 */
export function mergeFlags(
  model: readonly ModelFlag[],
  lexicon: readonly ComplianceFlag[],
): ComplianceFlag[] {
  const cited = (flag: { evidence: readonly { utterance_index: number }[] }) =>
    new Set(flag.evidence.map((e) => e.utterance_index));
  const matched = new Set<ComplianceFlag>();
  const merged: ComplianceFlag[] = model.map((flag) => {
    const indexes = cited(flag);
    const twin = lexicon.find(
      (l) => !matched.has(l) && l.rule === flag.rule && [...cited(l)].some((i) => indexes.has(i)),
    );
    if (twin) matched.add(twin);
    return { ...flag, source: twin ? 'both' : 'model' };
  });
  return [
    ...merged,
    ...lexicon.filter((l) => !matched.has(l)).map((l) => ({ ...l, source: 'lexicon' as const })),
  ];
}

const SEVERITY_ORDER = { high: 0, medium: 1, low: 2 } as const;

/**
 * At most `limit` flags, in their order; when there are more, the most severe are kept (a high flag is never cut
 * for a low one).
 */
export function capFlags(flags: readonly ComplianceFlag[], limit: number): ComplianceFlag[] {
  if (flags.length <= limit) return [...flags];
  const kept = new Set(
    [...flags].sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]).slice(0, limit),
  );
  return flags.filter((flag) => kept.has(flag));
}
