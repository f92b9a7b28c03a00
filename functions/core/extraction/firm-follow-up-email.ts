import { scanDraft } from './draft-flags';
import type { FollowUpEmail, FollowUpEmailText } from './extraction-schema';
import type { Participants } from './participants';

// A paragraph a writer labelled as a disclaimer or disclosure of its own: the firm's text replaces it.
// A heading ("Disclaimer:", "IMPORTANT DISCLOSURES", "**Disclosure:**"), not a sentence that mentions one.
const WRITER_DISCLAIMER =
  /^[\s*_#[(]*(?:disclaimers?|disclosures?|important (?:disclosures?|notice)|legal notice|regulatory (?:disclosures?|notice))[\s*_\])]*(?::|[-—–]|\n|$)/i;

/** Stands in for a body that was nothing but a disclaimer: the adviser sees there is no draft to send. */
export const EMPTY_DRAFT_BODY =
  '[The writer returned no email text besides a disclaimer. Write the email before sending.]';

/** The body without paragraphs that are a disclaimer of the writer's own, or a copy of the firm's. */
function withoutWriterDisclaimer(body: string, firmDisclaimer: string): string {
  const firm = firmDisclaimer.trim();
  const paragraphs = body.split(/\n[ \t]*\n/);
  const kept = paragraphs.filter((p) => !WRITER_DISCLAIMER.test(p) && (firm === '' || !p.includes(firm)));
  const trimmed = kept.join('\n\n').trim();
  return trimmed === '' ? EMPTY_DRAFT_BODY : trimmed;
}

/**
 * A follow-up draft as the firm keeps it, whoever wrote it: the writer's subject and body (any disclaimer the
 * writer added of its own removed), the firm's disclaimer verbatim — always set here by code, never taken from
 * a writer — and the compliance lexicon's flags on the draft.
 */
export function firmFollowUpEmail(
  text: FollowUpEmailText,
  context: Participants & { firmDisclaimer: string },
): FollowUpEmail {
  const draft = { subject: text.subject, body: withoutWriterDisclaimer(text.body, context.firmDisclaimer) };
  return { ...draft, disclaimer: context.firmDisclaimer, flags: scanDraft(draft, context) };
}
