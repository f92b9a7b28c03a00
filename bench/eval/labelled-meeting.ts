import * as z from 'zod';
import {
  ComplianceRuleSchema,
  FactCategorySchema,
  FactValueSchema,
  SeveritySchema,
} from '../../functions/core/extraction/extraction-schema';

/** A labelled passage: an exact, case-sensitive substring of exactly one utterance of the meeting. */
const LabelEvidenceSchema = z.string().min(1);

/**
 * One hand-labelled meeting in the format of `../shared/golden/*.json`: what a good extractor finds (action
 * items, client facts, compliance flags) and passages that look like flags but are not (`not_flags`).
 */
export const LabelledMeetingSchema = z.object({
  id: z.string().min(1),
  meeting_date: z.iso.date(),
  advisor: z.string().min(1),
  clients: z.array(z.string().min(1)),
  topics: z.array(z.string()).default([]),
  action_items: z.array(
    z.object({
      owner: z.string().min(1),
      description: z.string(),
      due_date: z.iso.date().nullable(),
      evidence: LabelEvidenceSchema,
    }),
  ),
  client_facts: z.array(
    z.object({
      category: FactCategorySchema,
      fact: z.string(),
      value: FactValueSchema,
      evidence: LabelEvidenceSchema,
    }),
  ),
  compliance_flags: z.array(
    z.object({
      rule: ComplianceRuleSchema,
      severity: SeveritySchema,
      speaker: z.string().min(1),
      evidence: LabelEvidenceSchema,
      explanation: z.string(),
    }),
  ),
  not_flags: z.array(z.object({ evidence: LabelEvidenceSchema, why_not: z.string() })).default([]),
});
export type LabelledMeeting = z.infer<typeof LabelledMeetingSchema>;
