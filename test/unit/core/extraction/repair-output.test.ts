import { describe, expect, it } from 'vitest';
import {
  FollowUpEmailTextSchema,
  ModelExtractionSchema,
} from '../../../../functions/core/extraction/extraction-schema';
import { repairOutput } from '../../../../functions/core/extraction/repair-output';
import { sampleExtraction } from '../../../support/sample-extraction';

const { extractor: _e, ...model } = sampleExtraction;
const valid = () => ({
  ...structuredClone(model),
  // What the model fills: the draft's subject and body (the firm's disclaimer and draft flags are code's).
  follow_up_email: { subject: model.follow_up_email.subject, body: model.follow_up_email.body },
  compliance_flags: model.compliance_flags.map(({ source: _s, ...flag }) => flag),
});

describe('repairOutput', () => {
  it('passes a valid output through unchanged, with no repairs', () => {
    const result = repairOutput(ModelExtractionSchema, valid());
    expect(result).toMatchObject({ ok: true, repairs: [] });
  });

  it('cuts a list over its limit (a 21st note) and says where', () => {
    const output = valid();
    output.notes.summary = Array.from({ length: 21 }, (_v, i) => ({
      text: `Point ${i}.`,
      evidence: output.notes.summary[0]?.evidence ?? [],
    }));
    const result = repairOutput(ModelExtractionSchema, output);
    if (!result.ok) throw new Error('not repaired');
    expect(result.value.notes.summary).toHaveLength(20);
    expect(result.value.notes.summary[19]?.text).toBe('Point 19.');
    expect(result.repairs).toEqual([{ path: 'notes.summary', fix: 'trimmed_list' }]);
  });

  it('keeps the first 40 words of a long quote as written, so it is still found in the transcript', () => {
    const output = valid();
    const spoken = Array.from({ length: 50 }, (_v, i) => `w${i}`)
      .join(' ')
      .replace('w3 w4', 'w3  w4');
    const item = output.action_items[0];
    if (!item) throw new Error('no item');
    item.evidence = [{ utterance_index: 31, quote: spoken }];
    const result = repairOutput(ModelExtractionSchema, output);
    if (!result.ok) throw new Error('not repaired');
    const quote = result.value.action_items[0]?.evidence[0]?.quote ?? '';
    expect(spoken.startsWith(quote)).toBe(true);
    expect(quote.split(/\s+/)).toHaveLength(40);
    expect(result.repairs).toContainEqual({ path: 'action_items.0.evidence.0.quote', fix: 'clipped_quote' });
  });

  it('lower-cases a role or an enum value in capitals', () => {
    const output = valid() as unknown as { action_items: { owner: string; priority: string }[] };
    const [item] = output.action_items;
    if (!item) throw new Error('no item');
    item.owner = 'Advisor';
    item.priority = 'High';
    const result = repairOutput(ModelExtractionSchema, output);
    if (!result.ok) throw new Error('not repaired');
    expect(result.value.action_items[0]).toMatchObject({ owner: 'advisor', priority: 'high' });
  });

  it('repairs the extended flag categories: a new category in capitals is lower-cased, an unknown one dropped', () => {
    const output = valid() as unknown as { compliance_flags: { rule: string; severity: string }[] };
    const [flag] = output.compliance_flags;
    if (!flag) throw new Error('no flag');
    output.compliance_flags = [
      { ...flag, rule: 'Money_Movement_Red_Flag', severity: 'High' },
      { ...flag, rule: 'testimonial_or_endorsement' },
      { ...flag, rule: 'wire_fraud' },
    ];
    const result = repairOutput(ModelExtractionSchema, output);
    if (!result.ok) throw new Error('not repaired');
    expect(result.value.compliance_flags.map((f) => [f.rule, f.severity])).toEqual([
      ['money_movement_red_flag', 'high'],
      ['testimonial_or_endorsement', flag.severity],
    ]);
    expect(result.repairs).toContainEqual({ path: 'compliance_flags.0.rule', fix: 'lower_cased' });
    expect(result.repairs).toContainEqual({ path: 'compliance_flags.2', fix: 'dropped_item' });
  });

  it('drops an item that is still invalid (no evidence) and keeps the rest', () => {
    const output = valid();
    const [first, second] = output.action_items;
    if (!first || !second) throw new Error('two items');
    first.evidence = [];
    const result = repairOutput(ModelExtractionSchema, output);
    if (!result.ok) throw new Error('not repaired');
    expect(result.value.action_items.map((a) => a.description)).toEqual([second.description]);
    expect(result.repairs).toContainEqual({ path: 'action_items.0', fix: 'dropped_item' });
  });

  it('clips an over-long text field', () => {
    const result = repairOutput(FollowUpEmailTextSchema, { subject: 's'.repeat(300), body: 'b' });
    if (!result.ok) throw new Error('not repaired');
    expect(result.value.subject.length).toBeLessThanOrEqual(200);
  });

  it('refuses what is not a small slip: a missing section, a wrong type at the top', () => {
    const { notes: _n, ...noNotes } = valid();
    expect(repairOutput(ModelExtractionSchema, noNotes)).toMatchObject({ ok: false });
    expect(repairOutput(FollowUpEmailTextSchema, { subject: 'x', body: 42 })).toMatchObject({
      ok: false,
    });
  });

  it('does not modify its input', () => {
    const output = valid();
    output.notes.summary = Array.from({ length: 25 }, () =>
      structuredClone(output.notes.summary[0] as never),
    );
    repairOutput(ModelExtractionSchema, output);
    expect(output.notes.summary).toHaveLength(25);
  });
});
