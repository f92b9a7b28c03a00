import * as z from 'zod';

/** A quote shorter than this says too little to be checked; longer ones are summaries, not quotes. */
export const QUOTE_MIN_WORDS = 4;
export const QUOTE_MAX_WORDS = 40;
/** Forty words of ordinary speech fit easily; this only stops a run-on "word" from becoming a whole transcript. */
export const QUOTE_MAX_CHARS = 600;

/** Words as a reader counts them: runs of non-space characters. */
export function countWords(text: string): number {
  const trimmed = text.trim();
  return trimmed === '' ? 0 : trimmed.split(/\s+/).length;
}

/** The schema's list limits: the merge of a long meeting's chunks trims to them, the local repair too. */
export const EXTRACTION_LIMITS = {
  evidence: 8,
  notesPerCategory: 20,
  actionItems: 100,
  clientFacts: 200,
  complianceFlags: 50,
} as const;

export const CitationSchema = z
  .object({
    utterance_index: z.number().int().nonnegative().meta({
      description: 'The 0-based index of the transcript utterance the quote comes from (the #N prefix).',
    }),
    quote: z
      .string()
      .min(1)
      .max(QUOTE_MAX_CHARS)
      .refine((quote) => countWords(quote) <= QUOTE_MAX_WORDS, `must be at most ${QUOTE_MAX_WORDS} words`)
      .meta({
        description:
          'Copied character for character from that one utterance: same spelling, punctuation, dashes, apostrophes, ' +
          `numbers and fillers. ${QUOTE_MIN_WORDS}–${QUOTE_MAX_WORDS} words; quote the whole utterance only when it ` +
          'is shorter than that. Never paraphrase, join two utterances or fix the grammar.',
      }),
  })
  .meta({ description: 'Where in the transcript an item comes from.' });
export type Citation = z.infer<typeof CitationSchema>;

const EvidenceSchema = z
  .array(CitationSchema)
  .min(1)
  .max(EXTRACTION_LIMITS.evidence)
  .meta({
    description:
      'The passages that support this item, most direct first. At least one; an item you cannot cite does not ' +
      'belong in the output.',
  });

export const NoteSchema = z.object({
  text: z
    .string()
    .min(1)
    .max(1000)
    .meta({ description: 'One point, in plain third-person prose an adviser can paste into the CRM.' }),
  evidence: EvidenceSchema,
});
export type Note = z.infer<typeof NoteSchema>;

const notesIn = (what: string) =>
  z
    .array(NoteSchema)
    .max(EXTRACTION_LIMITS.notesPerCategory)
    .meta({ description: `${what} Empty when the meeting said nothing of the kind.` });

export const NOTE_CATEGORIES = [
  'summary',
  'financial_situation',
  'goals_and_concerns',
  'recommendations',
  'next_steps',
] as const;
export type NoteCategory = (typeof NOTE_CATEGORIES)[number];

export const NotesSchema = z.object({
  summary: notesIn('Two to five points: who met, why, and what was decided.'),
  financial_situation: notesIn(
    'Accounts, balances, income, debts, taxes and insurance as stated in the meeting.',
  ),
  goals_and_concerns: notesIn("The clients' goals, plans, worries and preferences, in their own terms."),
  recommendations: notesIn('What the adviser recommended or proposed, and how the clients responded.'),
  next_steps: notesIn('What happens next and who does it; mirrors the action items in prose.'),
});
export type Notes = z.infer<typeof NotesSchema>;

/** Who owns an action item, as the golden labels name owners. */
export const OWNER_ROLES = ['advisor', 'staff', 'client'] as const;

export const OwnerSchema = z
  .union([
    z.enum(OWNER_ROLES),
    z
      .string()
      .trim()
      .min(1)
      .max(200)
      .refine(
        (owner) => !(OWNER_ROLES as readonly string[]).includes(owner.toLowerCase()),
        'use the role in lower case',
      ),
  ])
  .meta({
    description:
      "'advisor' for the adviser; 'staff' for anyone else at the adviser's firm (an assistant, operations, " +
      "'our office'); 'client' for the client, or both clients together when a couple attends. A person's full " +
      'name (as in the speaker labels, without "(Advisor)") when one particular spouse owns it, or when the owner ' +
      'is not a client (an attorney, a relative).',
  });
export type Owner = z.infer<typeof OwnerSchema>;

const IsoDateSchema = z.iso.date();

export const PrioritySchema = z.enum(['high', 'medium', 'low']);

export const ActionItemSchema = z.object({
  description: z.string().min(1).max(500).meta({
    description:
      'An imperative sentence: what is to be done, with the specifics said (amounts, forms, names).',
  }),
  owner: OwnerSchema,
  due_date: IsoDateSchema.nullable().meta({
    description:
      'YYYY-MM-DD, worked out from the meeting date: "today"/"tonight" = the meeting date; "tomorrow" = the next ' +
      'day; "this week" = that week\'s Friday; "this weekend" = the coming Sunday; "by Friday"/"on Monday" = the ' +
      'next such weekday after the meeting; "next Friday" = Friday of the following week; "end of the month" = ' +
      'its last day; "end of August" = August 31; "two weeks from today" = 14 days later; "before we talk again" = ' +
      'the follow-up meeting date; a date without a year = its next occurrence. null when no time frame was said.',
  }),
  priority: PrioritySchema.meta({
    description:
      "'high' for deadlines within a week, money movement, compliance or client-protection steps; 'low' for " +
      "optional or open-ended ideas; otherwise 'medium'.",
  }),
  evidence: EvidenceSchema,
});
export type ActionItem = z.infer<typeof ActionItemSchema>;

export const FACT_CATEGORIES = [
  'assets',
  'liabilities',
  'income',
  'employment',
  'tax',
  'insurance',
  'estate',
  'goals',
  'risk_tolerance',
  'health',
  'family',
  'life_event',
  'preferences',
] as const;
export const FactCategorySchema = z.enum(FACT_CATEGORIES);
export type FactCategory = z.infer<typeof FactCategorySchema>;

/** `YYYY-MM-DD`, `YYYY-MM` or `YYYY`: dates are as precise as what was said. */
export const PartialIsoDateSchema = z.string().regex(/^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$/);

export const FactValueSchema = z.union([z.number(), PartialIsoDateSchema, z.null()]).meta({
  description:
    'The one number or date the fact turns on, normalised: plain numbers (420000, not "420k"; "four sixty-five" ' +
    'for a balance is 465000); monthly amounts as the monthly figure; percentages as decimals (6% = 0.06); dates ' +
    'as YYYY-MM-DD, or YYYY-MM / YYYY when only the month or year is known. null when there is no single number ' +
    'or date.',
});
export type FactValue = z.infer<typeof FactValueSchema>;

export const ClientFactSchema = z.object({
  category: FactCategorySchema,
  fact: z
    .string()
    .min(1)
    .max(500)
    .meta({
      description:
        'One fact about the client in a short sentence; say "per month" for monthly amounts. When someone corrects ' +
        'another, keep the corrected figure, cite the correction and say so.',
    }),
  value: FactValueSchema,
  evidence: EvidenceSchema,
});
export type ClientFact = z.infer<typeof ClientFactSchema>;

export const FollowUpEmailSchema = z
  .object({
    subject: z.string().min(1).max(200),
    body: z
      .string()
      .min(1)
      .max(10_000)
      .meta({
        description:
          'Plain text from the adviser to the clients: thanks, a recap of what was discussed and decided, who does ' +
          'what by when. No promises of results, no figures that were not said in the meeting.',
      }),
    disclaimer: z
      .string()
      .max(4000)
      .meta({ description: "The firm's disclaimer exactly as given in the instructions, unchanged." }),
  })
  .meta({ description: 'A draft for the adviser to review; it is never sent automatically.' });
export type FollowUpEmail = z.infer<typeof FollowUpEmailSchema>;

export const COMPLIANCE_RULES = [
  'guarantee_or_promissory',
  'performance_projection',
  'unsuitable_recommendation',
  'undisclosed_conflict',
  'consent_or_recording',
  'pii_overshare',
  'elder_or_vulnerable_client',
  'outside_business_activity',
  'complaint',
] as const;
export const ComplianceRuleSchema = z.enum(COMPLIANCE_RULES).meta({
  description:
    'guarantee_or_promissory: promising results or that an investment cannot lose (also without the word ' +
    '"guarantee"). performance_projection: a future return or balance stated as expected fact, not called ' +
    "hypothetical. unsuitable_recommendation: advice that does not fit the client's needs, time frame or risk " +
    'tolerance. undisclosed_conflict: hiding or dodging how the adviser or firm is paid, e.g. on a proprietary ' +
    'product. consent_or_recording: recording without consent, or disclosing it only late. pii_overshare: a ' +
    'Social Security number, credentials or similar said aloud. elder_or_vulnerable_client: signs of diminished ' +
    "capacity, or a third party pushing for the client's money. outside_business_activity: the adviser's personal " +
    'deals with a client outside the firm. complaint: any grievance about the firm, justified or not. NOT flags: ' +
    'declining to promise ("I can\'t promise…"), warning about others\' promises, a client joking "I guarantee…", ' +
    'accurate descriptions of FDIC/NCUA insurance or insurance-contract and pension guarantees, past performance ' +
    "of the client's own account, projections labelled hypothetical, consent asked for at the start.",
});
export type ComplianceRule = z.infer<typeof ComplianceRuleSchema>;

export const SeveritySchema = z.enum(['low', 'medium', 'high']);

/** Who raised a flag: the model, the deterministic lexicon, or both on the same passage. */
export const FlagSourceSchema = z.enum(['lexicon', 'model', 'both']);
export type FlagSource = z.infer<typeof FlagSourceSchema>;

const flagFields = {
  rule: ComplianceRuleSchema,
  severity: SeveritySchema.meta({
    description:
      "'high' for promises, conflicts, unsuitable advice, outside deals and pressure on a client; else 'medium' or 'low'.",
  }),
  speaker: z
    .string()
    .min(1)
    .max(200)
    .meta({ description: 'The bare name of who said it, as in the speaker labels without "(Advisor)".' }),
  explanation: z.string().min(1).max(1000).meta({
    description: 'One or two sentences a compliance officer can act on: what was said and why it matters.',
  }),
  evidence: EvidenceSchema,
};

/** A flag as the model reports it; the pipeline adds `source`. */
export const ModelComplianceFlagSchema = z.object(flagFields);

export const ComplianceFlagSchema = z.object({ ...flagFields, source: FlagSourceSchema });
export type ComplianceFlag = z.infer<typeof ComplianceFlagSchema>;

function extractionContent<Flag extends z.ZodType>(flag: Flag) {
  return {
    notes: NotesSchema,
    action_items: z
      .array(ActionItemSchema)
      .max(EXTRACTION_LIMITS.actionItems)
      .meta({
        description:
          'Every commitment to do something, by anyone in the meeting, including requests someone accepted ' +
          '("Can you send me…?" "Sure."). Not small talk, not things already done.',
      }),
    client_facts: z.array(ClientFactSchema).max(EXTRACTION_LIMITS.clientFacts).meta({
      description: 'Facts about the clients worth keeping in the CRM: money, dates, family, health, plans.',
    }),
    follow_up_email: FollowUpEmailSchema,
    compliance_flags: z.array(flag).max(EXTRACTION_LIMITS.complianceFlags).meta({
      description:
        'Statements a compliance officer should review. Prefer missing a weak flag to inventing one.',
    }),
  };
}

/**
 * What the model's one tool call returns: everything but provenance. Its JSON Schema (`z.toJSONSchema`) is the
 * tool's `input_schema`, so the `.meta` descriptions above are the model's instructions.
 */
export const ModelExtractionSchema = z.object(extractionContent(ModelComplianceFlagSchema));
export type ModelExtraction = z.infer<typeof ModelExtractionSchema>;

export const ExtractorKindSchema = z.enum(['offline', 'claude']);
export type ExtractorKind = z.infer<typeof ExtractorKindSchema>;

/**
 * One meeting's extraction as the system keeps it, whichever extractor produced it: the model's output plus the
 * flags' sources and which extractor (and model) made it. The offline extractor fills exactly this.
 */
export const ExtractionSchema = z.object({
  ...extractionContent(ComplianceFlagSchema),
  extractor: ExtractorKindSchema,
  model: z.string().min(1).max(200).optional(),
});
export type Extraction = z.infer<typeof ExtractionSchema>;

/** What an extractor is told about the meeting besides the transcript. */
export const ExtractionContextSchema = z.object({
  /** The meeting date; relative due dates resolve against it. */
  meetingDate: IsoDateSchema,
  advisorName: z.string().min(1),
  /** The firm's clients (or prospects) in the meeting; other attendees are not listed. */
  clients: z.array(z.string().min(1)),
  firmDisclaimer: z.string(),
});
export type ExtractionContext = z.infer<typeof ExtractionContextSchema>;

/**
 * Whether every quote of an item was found in the transcript (`verify-evidence.ts`). An unverified item is kept
 * and shown as such, never silently dropped or trusted.
 */
export const EvidenceStatusSchema = z.enum(['verified', 'unverified']);
export type EvidenceStatus = z.infer<typeof EvidenceStatusSchema>;

const checked = { evidence_status: EvidenceStatusSchema };

/**
 * Stable ids of a meeting's action items and compliance flags (`ai_1`, `cf_3`): their 1-based position in the
 * verified extraction, which is written once per meeting. Edits and reviews refer to items by these ids.
 */
export const ActionItemIdSchema = z
  .string()
  .regex(/^ai_[1-9]\d{0,2}$/, 'must be an action item id such as ai_1');
export const FlagIdSchema = z
  .string()
  .regex(/^cf_[1-9]\d{0,2}$/, 'must be a compliance flag id such as cf_1');

/** The id of the item at `index` (0-based) of its list. */
export function actionItemId(index: number): string {
  return `ai_${index + 1}`;
}
export function flagId(index: number): string {
  return `cf_${index + 1}`;
}

export const VerifiedNoteSchema = NoteSchema.extend(checked);
export type VerifiedNote = z.infer<typeof VerifiedNoteSchema>;

/** An extraction after evidence verification: every cited item carries its `evidence_status`. */
export const VerifiedExtractionSchema = ExtractionSchema.extend({
  notes: z.object({
    summary: z.array(VerifiedNoteSchema),
    financial_situation: z.array(VerifiedNoteSchema),
    goals_and_concerns: z.array(VerifiedNoteSchema),
    recommendations: z.array(VerifiedNoteSchema),
    next_steps: z.array(VerifiedNoteSchema),
  }),
  action_items: z.array(ActionItemSchema.extend({ id: ActionItemIdSchema, ...checked })),
  client_facts: z.array(ClientFactSchema.extend(checked)),
  compliance_flags: z.array(ComplianceFlagSchema.extend({ id: FlagIdSchema, ...checked })),
});
export type VerifiedExtraction = z.infer<typeof VerifiedExtractionSchema>;
