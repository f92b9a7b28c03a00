import type { FakeReply } from './anthropic-server';

/** A transcript line as the extraction prompt numbers it: `#12 [03:41] Doug Pruitt: text`. */
interface PromptLine {
  index: number;
  speaker: string;
  text: string;
}

/** The user turn's text, whether one string or labelled text blocks. */
export function userText(body: Record<string, unknown>): string {
  const content = (body.messages as { content: unknown }[] | undefined)?.[0]?.content;
  if (typeof content === 'string') return content;
  return (content as { text?: string }[] | undefined)?.map((b) => b.text ?? '').join('\n') ?? '';
}

export function promptLines(body: Record<string, unknown>): PromptLine[] {
  return userText(body)
    .split('\n')
    .flatMap((line) => {
      const match = /^#(\d+) (?:\[[^\]]*\] )?([^:]+): (.*)$/.exec(line);
      return match ? [{ index: Number(match[1]), speaker: match[2] ?? '', text: match[3] ?? '' }] : [];
    });
}

/** Whether the request asks for a follow-up draft (its schema has `subject`) rather than an extraction. */
export function asksForDraft(body: Record<string, unknown>): boolean {
  const schema = (body.output_config as { format?: { schema?: { properties?: object } } } | undefined)?.format
    ?.schema;
  return Boolean(schema?.properties && 'subject' in schema.properties);
}

/** Whether the extraction schema asked for includes the follow-up email (a whole meeting, not a part). */
export function asksForEmail(body: Record<string, unknown>): boolean {
  const schema = (body.output_config as { format?: { schema?: { properties?: object } } } | undefined)?.format
    ?.schema;
  return Boolean(schema?.properties && 'follow_up_email' in schema.properties);
}

const quoteOf = (line: PromptLine) => ({
  utterance_index: line.index,
  quote: line.text.split(' ').slice(0, 8).join(' '),
});

/**
 * Answers an extraction request like a careful model would on the lines it was sent: a summary note per ten
 * lines, an action item for each line with a commitment ("I'll", "we'll", "let me"), a client fact for each line
 * with a dollar figure, a flag for each "guarantee". Every item quotes the line it cites, so a part's overlap
 * with the previous part yields the same items twice — what the merge must remove.
 */
export function extractionAnswer(body: Record<string, unknown>): unknown {
  const lines = promptLines(body);
  const note = (line: PromptLine) => ({ text: `Discussed at #${line.index}.`, evidence: [quoteOf(line)] });
  const answer: Record<string, unknown> = {
    notes: {
      summary: lines.filter((_l, i) => i % 10 === 0).map(note),
      financial_situation: lines.filter((l) => /\$/.test(l.text)).map(note),
      goals_and_concerns: [],
      recommendations: lines.filter((l) => /\brecommend|suggest\b/i.test(l.text)).map(note),
      next_steps: [],
    },
    action_items: lines
      .filter((l) => /\b(I'll|we'll|let me)\b/i.test(l.text))
      .map((l) => ({
        description: `Follow up on what was said at #${l.index}.`,
        owner: /Advisor|Okafor|Whitcomb|Raman|Bell|Ostrowski/.test(l.speaker) ? 'advisor' : 'client',
        due_date: null,
        priority: 'medium',
        evidence: [quoteOf(l)],
      })),
    client_facts: lines
      .filter((l) => /\$\d/.test(l.text))
      .map((l) => ({
        category: 'assets',
        fact: `A balance of ${/\$[\d,.]+[km]?/i.exec(l.text)?.[0] ?? '$0'} was mentioned.`,
        value: null,
        evidence: [quoteOf(l)],
      })),
    compliance_flags: lines
      .filter((l) => /guarantee/i.test(l.text))
      .map((l) => ({
        rule: 'guarantee_or_promissory',
        severity: 'high',
        speaker: l.speaker.replace(/ \(Advisor\)$/, ''),
        explanation: 'A promise of results.',
        evidence: [quoteOf(l)],
      })),
  };
  if (asksForEmail(body)) {
    // The schema has no disclaimer field; a model may still write one into the body, which code removes.
    answer.follow_up_email = {
      subject: 'Our meeting',
      body: 'Thank you for meeting.\n\nDisclaimer: a disclaimer the model wrote.',
    };
  }
  return answer;
}

/** A draft as the writer's schema asks for it: subject and body, no disclaimer. */
export const DRAFT_ANSWER = {
  subject: 'Recap of our review',
  body: 'Thank you both for your time today.',
};

/** A fake reply for any request: the draft for a draft, the extraction otherwise. */
export function claudeLikeReply(body: Record<string, unknown>): FakeReply {
  return { kind: 'json', output: asksForDraft(body) ? DRAFT_ANSWER : extractionAnswer(body) };
}
