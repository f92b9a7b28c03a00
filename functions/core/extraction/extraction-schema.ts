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

/** Deadlines at most this many days after the meeting make an action item high priority. */
export const HIGH_PRIORITY_WITHIN_DAYS = 7;

/** The one statement of the priority rule: the extraction prompt and the schema's description both quote it. */
export const PRIORITY_RULE =
  `'high' for money movements, deadlines within ${HIGH_PRIORITY_WITHIN_DAYS} days of the meeting, and compliance ` +
  "or client-protection steps; 'low' for optional or open-ended ideas; otherwise 'medium'.";

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
  priority: PrioritySchema.meta({ description: PRIORITY_RULE }),
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

/** What a writer (the model, or the offline composer) produces: never the disclaimer, which code adds. */
export const FollowUpEmailTextSchema = z
  .object({
    subject: z.string().min(1).max(200),
    body: z
      .string()
      .min(1)
      .max(10_000)
      .meta({
        description:
          'Plain text from the adviser to the clients: thanks, a recap of what was discussed and decided, who does ' +
          'what by when. No promises of results, no figures that were not said in the meeting, and no disclaimer ' +
          "or disclosure: the firm's own is added after the draft is written.",
      }),
  })
  .meta({ description: 'A draft for the adviser to review; it is never sent automatically.' });
export type FollowUpEmailText = z.infer<typeof FollowUpEmailTextSchema>;

export const COMPLIANCE_RULES = [
  'guarantee_or_promissory',
  'performance_projection',
  'cherry_picked_or_hypothetical_performance',
  'testimonial_or_endorsement',
  'unsuitable_recommendation',
  'rollover_conflict',
  'undisclosed_conflict',
  'unauthorized_trading',
  'borrowing_or_lending',
  'selling_away',
  'outside_business_activity',
  'gifts_or_entertainment',
  'money_movement_red_flag',
  'consent_or_recording',
  'pii_overshare',
  'elder_or_vulnerable_client',
  'complaint',
] as const;
export type ComplianceRule = (typeof COMPLIANCE_RULES)[number];

/**
 * What each rule means, as a compliance officer would write it. The one source of the definitions: the
 * extraction prompt lists them and the rule enum's schema description (the model's output schema) carries them.
 */
export const COMPLIANCE_RULE_DEFINITIONS = {
  guarantee_or_promissory:
    'promising investment results, or saying an investment cannot lose, also without the word "guarantee" ' +
    '("it just doesn\'t go down").',
  performance_projection:
    'a future return or balance stated as expected fact, not labelled hypothetical and without its assumptions.',
  cherry_picked_or_hypothetical_performance:
    'past or model performance presented unfairly: only the best accounts, funds, trades or periods picked out, ' +
    'returns gross of fees without net, or hypothetical, back-tested or model-portfolio results presented as if ' +
    'achieved, without their assumptions and risks (the standards of SEC Marketing Rule 206(4)-1(a)(6) and (d); ' +
    "misleading in any client communication under the Advisers Act's anti-fraud rules).",
  testimonial_or_endorsement:
    'using what other clients or third parties say about the adviser to win or keep business: citing other ' +
    "clients' praise or results as a reason to invest, or offering a fee discount, cash or a gift for a review, " +
    'referral or recommendation (Marketing Rule 206(4)-1(b): disclosure of compensation and conflicts, oversight, ' +
    'and a written agreement with paid promoters above de minimis).',
  unsuitable_recommendation:
    "advice that does not fit the client's needs, time frame or risk tolerance (for example a volatile or " +
    'leveraged product for money needed soon).',
  rollover_conflict:
    'recommending that a client move a 401(k), 403(b) or other employer-plan account (or an IRA held elsewhere) ' +
    'into an account the firm will be paid to manage, while dismissing the option to leave it where it is or ' +
    "without comparing the plan's costs, investment options and services with the firm's fees.",
  undisclosed_conflict:
    'hiding or dodging how the adviser or firm is paid, for example on a proprietary product, revenue sharing or ' +
    'commissions.',
  unauthorized_trading:
    "trades placed, or to be placed, without the client's prior authorisation where the adviser has no written " +
    'discretionary authority: "I went ahead and sold…" before asking, acting on a third party\'s say-so, or ' +
    'asking the client to sign blank or pre-signed forms.',
  borrowing_or_lending:
    'the adviser (or their family or business) borrowing money from, or lending money to, a client, or ' +
    "guaranteeing or co-signing a client's debt (a loan from a client that lends for a living, or within the " +
    "adviser's immediate family, is usually permitted but still disclosed to compliance).",
  selling_away:
    'the adviser offering, recommending or arranging an investment that is not offered or recorded through the ' +
    "firm (a private placement, promissory note, a friend's deal, an account at another firm), including asking " +
    "the client to pay the adviser or a third party directly. When the investment is the adviser's own business " +
    'or venture, use outside_business_activity instead.',
  outside_business_activity:
    "the adviser's personal business or deals outside the firm that involve a client (their own venture, " +
    'partnership, property or company).',
  gifts_or_entertainment:
    'gifts, entertainment or bequests between the adviser and a client beyond the modest and ordinary: event ' +
    'tickets, trips, cash or gift cards, valuable items, or a client naming the adviser in a will or trust, as a ' +
    'beneficiary, or as executor or trustee.',
  money_movement_red_flag:
    'signs that a requested payment may be fraud (wire fraud, account takeover, a scam against the client): ' +
    'new or changed wiring or bank instructions (above all when received by email or text), a payment to a ' +
    'third party the client does not clearly know, urgency or secrecy ("it has to go out today", "don\'t tell ' +
    'anyone"), or a client who cannot explain what the payment is for.',
  consent_or_recording: 'recording without consent, or disclosing the recording only late in the meeting.',
  pii_overshare: 'a Social Security number, account number, credentials or similar said aloud.',
  elder_or_vulnerable_client: "signs of diminished capacity, or a third party pushing for a client's money.",
  complaint: 'any grievance about the firm or its service, justified or not.',
} as const satisfies Record<ComplianceRule, string>;

/** What looks like a flag and is not one; the prompt and the schema both say it. */
export const NOT_FLAGS =
  'declining to promise or guarantee anything ("I can\'t promise…"); warning about other people\'s promises; a ' +
  'client joking "I guarantee…"; accurate descriptions of FDIC/NCUA or SIPC coverage, an annuity\'s or insurance ' +
  "contract's guarantee or a pension's guarantee; past performance of the client's own account; projections " +
  'labelled hypothetical with their assumptions; consent to recording asked for at the start; a rollover the ' +
  'client asked for after an even-handed comparison; trades the client approved; a coffee, a meal of ordinary ' +
  "value or a holiday card; describing the firm's own call-back checks on payment instructions.";

/** How serious each kind of flag is, said once for the prompt and the schema. */
export const SEVERITY_RULE =
  "'high' for promises, conflicts (rollover included), unsuitable advice, outside deals, selling away, borrowing " +
  "or lending, trading without authority, money-movement red flags and pressure on a client; else 'medium' or " +
  "'low'.";

export const ComplianceRuleSchema = z.enum(COMPLIANCE_RULES).meta({
  description: `${COMPLIANCE_RULES.map((rule) => `${rule}: ${COMPLIANCE_RULE_DEFINITIONS[rule]}`).join(' ')} NOT flags: ${NOT_FLAGS}`,
});

export const SeveritySchema = z.enum(['low', 'medium', 'high']);

/**
 * A compliance lexicon hit in a follow-up draft (initial or regenerated, the model's or the offline composer's):
 * shown beside the draft so the adviser fixes it before sending. `quote` is an exact substring of the draft's
 * subject or body.
 */
export const DraftFlagSchema = z
  .object({
    rule: z.enum(COMPLIANCE_RULES),
    severity: SeveritySchema,
    explanation: z.string().min(1).max(1000),
    quote: z.string().min(1).max(QUOTE_MAX_CHARS),
  })
  .meta({ id: 'DraftFlag' });
export type DraftFlag = z.infer<typeof DraftFlagSchema>;

/**
 * A follow-up draft as the system keeps it: the writer's subject and body, the firm's disclaimer set verbatim by
 * code (`firmFollowUpEmail`), and the lexicon's flags on the draft.
 */
export const FollowUpEmailSchema = FollowUpEmailTextSchema.extend({
  disclaimer: z.string().max(4000).meta({ description: "The firm's disclaimer, verbatim, set by code." }),
  flags: z.array(DraftFlagSchema).max(50).default([]),
});
export type FollowUpEmail = z.infer<typeof FollowUpEmailSchema>;

/** Who raised a flag: the model, the deterministic lexicon, or both on the same passage. */
export const FlagSourceSchema = z.enum(['lexicon', 'model', 'both']);
export type FlagSource = z.infer<typeof FlagSourceSchema>;

const flagFields = {
  rule: ComplianceRuleSchema,
  severity: SeveritySchema.meta({ description: SEVERITY_RULE }),
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

function extractionContent<Flag extends z.ZodType, Email extends z.ZodType>(flag: Flag, email: Email) {
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
    follow_up_email: email,
    compliance_flags: z.array(flag).max(EXTRACTION_LIMITS.complianceFlags).meta({
      description:
        'Statements a compliance officer should review. Prefer missing a weak flag to inventing one.',
    }),
  };
}

/**
 * What the model's one structured-output call returns: everything but provenance and the disclaimer. Its JSON
 * Schema is the call's `output_config.format`, so the `.meta` descriptions above are the model's instructions.
 */
export const ModelExtractionSchema = z.object(
  extractionContent(ModelComplianceFlagSchema, FollowUpEmailTextSchema),
);
export type ModelExtraction = z.infer<typeof ModelExtractionSchema>;

export const ExtractorKindSchema = z.enum(['offline', 'claude']);
export type ExtractorKind = z.infer<typeof ExtractorKindSchema>;

/**
 * One meeting's extraction as the system keeps it, whichever extractor produced it: the model's output plus the
 * flags' sources and which extractor (and model) made it. The offline extractor fills exactly this.
 */
export const ExtractionSchema = z.object({
  ...extractionContent(ComplianceFlagSchema, FollowUpEmailSchema),
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
