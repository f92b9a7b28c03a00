import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import {
  type Extraction,
  ExtractionSchema,
  ModelExtractionSchema,
  VerifiedExtractionSchema,
} from '../../../../functions/core/extraction/extraction-schema';
import { cite, sampleExtraction } from '../../../support/sample-extraction';

describe('ExtractionSchema', () => {
  it('round-trips an extraction through JSON unchanged', () => {
    const parsed = ExtractionSchema.parse(JSON.parse(JSON.stringify(sampleExtraction)));
    expect(parsed).toEqual(sampleExtraction);
  });

  it.each([
    [
      'a quote over 40 words',
      (e: Extraction) => ({
        ...e,
        action_items: [{ ...e.action_items[0], evidence: cite(1, 'word '.repeat(41)) }],
      }),
    ],
    [
      'an item without evidence',
      (e: Extraction) => ({ ...e, action_items: [{ ...e.action_items[0], evidence: [] }] }),
    ],
    [
      'a due date that is not YYYY-MM-DD',
      (e: Extraction) => ({ ...e, action_items: [{ ...e.action_items[0], due_date: 'next Friday' }] }),
    ],
    [
      'a role owner in capitals',
      (e: Extraction) => ({ ...e, action_items: [{ ...e.action_items[0], owner: 'Advisor' }] }),
    ],
    [
      'a fact value like "420k"',
      (e: Extraction) => ({ ...e, client_facts: [{ ...e.client_facts[0], value: '420k' }] }),
    ],
    [
      'an unknown fact category',
      (e: Extraction) => ({ ...e, client_facts: [{ ...e.client_facts[0], category: 'hobbies' }] }),
    ],
    [
      'an unknown rule',
      (e: Extraction) => ({ ...e, compliance_flags: [{ ...e.compliance_flags[0], rule: 'rudeness' }] }),
    ],
    [
      'a flag without its source',
      (e: Extraction) => ({ ...e, compliance_flags: [{ ...e.compliance_flags[0], source: undefined }] }),
    ],
    ['no extractor', (e: Extraction) => ({ ...e, extractor: undefined })],
  ])('rejects %s', (_, mutate) => {
    expect(ExtractionSchema.safeParse(mutate(sampleExtraction)).success).toBe(false);
  });

  it('accepts month- and year-precision dates and a negative citation index is refused', () => {
    expect(
      ExtractionSchema.safeParse({
        ...sampleExtraction,
        client_facts: [{ ...sampleExtraction.client_facts[0], value: '2019' }],
      }).success,
    ).toBe(true);
    expect(
      ExtractionSchema.safeParse({
        ...sampleExtraction,
        notes: { ...sampleExtraction.notes, summary: [{ text: 'x', evidence: cite(-1, 'a b c d') }] },
      }).success,
    ).toBe(false);
  });
});

describe('ModelExtractionSchema as the tool input schema', () => {
  const jsonSchema = z.toJSONSchema(ModelExtractionSchema, { io: 'input' }) as {
    required: string[];
    properties: Record<
      string,
      { description?: string; items?: { properties: Record<string, { description?: string }> } }
    >;
  };

  it('asks the model for content only: no extractor, model or flag source', () => {
    expect(jsonSchema.required.sort()).toEqual([
      'action_items',
      'client_facts',
      'compliance_flags',
      'follow_up_email',
      'notes',
    ]);
    expect(Object.keys(jsonSchema.properties.compliance_flags?.items?.properties ?? {})).not.toContain(
      'source',
    );
  });

  it('carries the instructions as field descriptions', () => {
    const action = jsonSchema.properties.action_items?.items?.properties ?? {};
    expect(action.due_date?.description).toContain('next Friday');
    expect(action.owner?.description).toContain("'staff'");
    expect(JSON.stringify(jsonSchema)).toContain('Copied character for character');
  });

  it('never asks the model for a disclaimer or for draft flags: code adds both', () => {
    const email = jsonSchema.properties.follow_up_email as unknown as {
      properties: object;
      required: string[];
    };
    expect(Object.keys(email.properties).sort()).toEqual(['body', 'subject']);
    expect(email.required.sort()).toEqual(['body', 'subject']);
    // A model that sends one anyway has it dropped.
    const parsed = ModelExtractionSchema.parse({
      ...sampleExtraction,
      follow_up_email: { subject: 'S', body: 'B', disclaimer: 'An altered disclaimer.' },
    });
    expect(parsed.follow_up_email).toEqual({ subject: 'S', body: 'B' });
  });

  it('is what ExtractionSchema holds once the pipeline adds provenance', () => {
    const { extractor: _extractor, ...content } = sampleExtraction;
    const modelOutput = {
      ...content,
      compliance_flags: content.compliance_flags.map(({ source: _source, ...flag }) => flag),
    };
    const model = ModelExtractionSchema.parse(modelOutput);
    const kept = ExtractionSchema.parse({
      ...model,
      follow_up_email: { ...model.follow_up_email, disclaimer: 'Set by code.' },
      compliance_flags: model.compliance_flags.map((flag) => ({ ...flag, source: 'model' })),
      extractor: 'claude',
      model: 'claude-sonnet-4-6',
    });
    expect(kept.extractor).toBe('claude');
  });
});

describe('VerifiedExtractionSchema', () => {
  it('requires an evidence status on every cited item', () => {
    expect(VerifiedExtractionSchema.safeParse(sampleExtraction).success).toBe(false);
    const status = <T extends object>(items: T[]) =>
      items.map((item) => ({ ...item, evidence_status: 'verified' }));
    const verified = {
      ...sampleExtraction,
      notes: Object.fromEntries(Object.entries(sampleExtraction.notes).map(([k, v]) => [k, status(v)])),
      action_items: status(sampleExtraction.action_items).map((item, i) => ({ id: `ai_${i + 1}`, ...item })),
      client_facts: status(sampleExtraction.client_facts),
      compliance_flags: status(sampleExtraction.compliance_flags).map((flag, i) => ({
        id: `cf_${i + 1}`,
        ...flag,
      })),
    };
    expect(VerifiedExtractionSchema.parse(verified)).toEqual(verified);
    const withoutIds = { ...verified, action_items: status(sampleExtraction.action_items) };
    expect(VerifiedExtractionSchema.safeParse(withoutIds).success).toBe(false);
  });
});
