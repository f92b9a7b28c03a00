import { scanCompliance } from '../../core/extraction/compliance-lexicon';
import {
  type Extraction,
  type ExtractionContext,
  ExtractionSchema,
} from '../../core/extraction/extraction-schema';
import type { Extractor } from '../../core/extraction/extractor';
import { firmFollowUpEmail } from '../../core/extraction/firm-follow-up-email';
import type { Transcript } from '../../core/transcript/transcript';
import { draftFollowUpEmail } from '../../integrations/offline/follow-up-email-draft';
import { extractActionItems } from '../../integrations/offline/offline-action-items';
import { extractClientFacts } from '../../integrations/offline/offline-client-facts';
import { draftNotes } from '../../integrations/offline/offline-notes';

/**
 * The extraction without a model: deterministic keyword and pattern rules fill the same schema the Claude tool
 * fills — action items from commitment patterns, client facts from normalised amounts, extractive notes, a
 * follow-up email draft labelled as drafted offline, and the compliance lexicon's flags. Every result says
 * `extractor: 'offline'`. Pure: the same transcript and context always give the same extraction.
 */
export function extractOffline(
  transcript: Pick<Transcript, 'utterances'>,
  context: ExtractionContext,
): Extraction {
  const participants = { advisorName: context.advisorName, clients: context.clients };
  const scope = { ...participants, meetingDate: context.meetingDate };
  const actionItems = extractActionItems(transcript.utterances, scope);
  const facts = extractClientFacts(transcript.utterances, scope);
  const flags = scanCompliance(transcript, participants);
  const notes = draftNotes(transcript.utterances, scope, { actionItems, facts, flags });
  return ExtractionSchema.parse({
    notes,
    action_items: actionItems,
    client_facts: facts,
    follow_up_email: firmFollowUpEmail(draftFollowUpEmail(scope, notes, actionItems), {
      ...participants,
      firmDisclaimer: context.firmDisclaimer,
    }),
    compliance_flags: flags,
    extractor: 'offline',
  } satisfies Extraction);
}

/** `extractOffline` behind the `Extractor` port. */
export const offlineExtractor: Extractor = async (transcript, context) => extractOffline(transcript, context);
