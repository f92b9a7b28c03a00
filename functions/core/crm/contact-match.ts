import type { CrmContact } from './crm-provider';
import type { CrmCandidate, CrmContactResolution } from './crm-sync-status';
import { personNameKey } from './person-name-key';

/** How many candidates a "not matched" result keeps for the adviser to choose from. */
export const MAX_CANDIDATES = 10;

const candidate = (c: CrmContact): CrmCandidate => ({ id: c.id, name: c.name.slice(0, 300) });

function uniqueById(contacts: readonly CrmContact[]): CrmContact[] {
  return [...new Map(contacts.map((c) => [c.id, c] as const)).values()];
}

/** Every way the CRM spells the contact's name: its display name, and first + last when it has them. */
function spellings(contact: CrmContact): string[] {
  const split = [contact.firstName, contact.lastName].filter((p): p is string => !!p?.trim()).join(' ');
  return [contact.name, ...(split ? [split] : [])];
}

const squash = (s: string) => s.trim().replace(/\s+/g, ' ');

/**
 * Picks the CRM contact a meeting's client name refers to, or says it cannot: exact name first, then the
 * normalised name (`personNameKey`: case, punctuation, diacritics, suffixes, nicknames), then the email when one
 * is known. A tier that finds one contact decides; a tier that finds several is narrowed by the email if it can
 * be, and otherwise is `ambiguous` — never a guess, since a wrong link files a client's notes under someone else.
 * `not_found` when nothing fits. Candidates (ids and names only) go with every non-match.
 */
export function matchContact(input: {
  clientName: string;
  email?: string;
  candidates: readonly CrmContact[];
}): CrmContactResolution {
  const candidates = uniqueById(input.candidates);
  const wanted = squash(input.clientName);
  const wantedKey = personNameKey(input.clientName);
  const email = input.email?.trim().toLowerCase();
  const byEmail = (among: readonly CrmContact[]) =>
    email ? among.filter((c) => c.emails.some((e) => e.trim().toLowerCase() === email)) : [];

  const tiers: { by: 'exact' | 'normalised'; found: CrmContact[] }[] = [
    { by: 'exact', found: candidates.filter((c) => spellings(c).some((s) => squash(s) === wanted)) },
    {
      by: 'normalised',
      found: wantedKey
        ? candidates.filter((c) => spellings(c).some((s) => personNameKey(s) === wantedKey))
        : [],
    },
  ];
  for (const { by, found } of tiers) {
    if (found.length === 0) continue;
    if (found.length === 1) return matched(found[0] as CrmContact, by);
    const narrowed = byEmail(found);
    if (narrowed.length === 1) return matched(narrowed[0] as CrmContact, 'email');
    return {
      status: 'not_matched',
      reason: 'ambiguous',
      candidates: found.slice(0, MAX_CANDIDATES).map(candidate),
    };
  }
  const emailOnly = byEmail(candidates);
  if (emailOnly.length === 1) return matched(emailOnly[0] as CrmContact, 'email');
  return {
    status: 'not_matched',
    reason: emailOnly.length > 1 ? 'ambiguous' : 'not_found',
    candidates: (emailOnly.length > 1 ? emailOnly : candidates).slice(0, MAX_CANDIDATES).map(candidate),
  };
}

function matched(contact: CrmContact, by: 'exact' | 'normalised' | 'email'): CrmContactResolution {
  return { status: 'matched', contactId: contact.id, name: contact.name.slice(0, 300), by };
}
