import type { Utterance } from '../transcript/transcript';

/** Who was in the meeting, as the meeting record names them. */
export interface Participants {
  advisorName: string;
  /** The firm's clients (or prospects); attorneys, relatives and other attendees are not listed. */
  clients: readonly string[];
}

const ADVISOR_MARK = /\s*\((?:advisor|adviser)\)\s*$/i;

/** The speaker's name as labels use it: `Renata Okafor (Advisor)` → `Renata Okafor`. */
export function bareSpeakerName(speaker: string): string {
  return speaker.replace(ADVISOR_MARK, '').trim();
}

const sameName = (a: string, b: string) =>
  bareSpeakerName(a).toLowerCase() === bareSpeakerName(b).toLowerCase();

/** The adviser speaks when the transcript marks the role, the label carries `(Advisor)`, or the name matches. */
export function isAdvisorSpeaking(
  utterance: Pick<Utterance, 'speaker' | 'role'>,
  advisorName: string,
): boolean {
  return (
    utterance.role === 'advisor' ||
    ADVISOR_MARK.test(utterance.speaker) ||
    sameName(utterance.speaker, advisorName)
  );
}

/** The listed client this speaker is, if any. */
export function clientNamed(speaker: string, clients: readonly string[]): string | undefined {
  return clients.find((client) => sameName(client, speaker));
}

/**
 * The listed client a first name or full name refers to ("Melanie" → "Melanie Pruitt"), when exactly one
 * client answers to it.
 */
export function clientCalled(name: string, clients: readonly string[]): string | undefined {
  const wanted = name.trim().toLowerCase();
  const matches = clients.filter((client) => {
    const full = client.toLowerCase();
    return full === wanted || full.split(/\s+/)[0] === wanted;
  });
  return matches.length === 1 ? matches[0] : undefined;
}
