import { MAX_CANDIDATES, matchContact } from './contact-match';
import type { CrmProvider } from './crm-provider';
import type { CrmCandidate, CrmContactResolution } from './crm-sync-status';

/**
 * The CRM contact of a meeting's clients: each client name is searched in turn (one CRM call each) until one
 * matches uniquely, so a one-client meeting costs one search. No match: `not_matched` with every candidate seen
 * (ids and names only), `ambiguous` if any name had several.
 */
export async function contactForMeeting(
  crm: Pick<CrmProvider, 'findContacts'>,
  clientNames: readonly string[],
): Promise<CrmContactResolution> {
  const seen = new Map<string, CrmCandidate>();
  let ambiguous = false;
  for (const name of clientNames) {
    const result = matchContact({ clientName: name, candidates: await crm.findContacts({ name }) });
    if (result.status === 'matched') return result;
    ambiguous ||= result.reason === 'ambiguous';
    for (const c of result.candidates) seen.set(c.id, c);
  }
  return {
    status: 'not_matched',
    reason: ambiguous ? 'ambiguous' : 'not_found',
    candidates: [...seen.values()].slice(0, MAX_CANDIDATES),
  };
}
