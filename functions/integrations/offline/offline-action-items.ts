import { clipText } from '../../core/extraction/clip-text';
import {
  type ActionItem,
  type Citation,
  HIGH_PRIORITY_WITHIN_DAYS,
} from '../../core/extraction/extraction-schema';
import {
  bareSpeakerName,
  clientCalled,
  clientNamed,
  isAdvisorSpeaking,
  type Participants,
} from '../../core/extraction/participants';
import { quoteAround, type Span, sentenceSpans } from '../../core/extraction/quote-span';
import type { Utterance } from '../../core/transcript/transcript';
import { resolveDueDate } from '../../integrations/offline/due-dates';
import { findFollowUpDate } from '../../integrations/offline/follow-up-meeting';

type Kind = 'self' | 'delegated' | 'staff' | 'request' | 'imperative';

/** A commitment found in one sentence: who says it, how, and where the action's words begin. */
interface Commitment {
  kind: Kind;
  utterance: Utterance;
  sentence: Span;
  /** Where the action phrase ("send you the form by Friday") begins in the utterance text. */
  actionStart: number;
  /** "we'll …" rather than "I'll …": a couple speaking for both. */
  plural: boolean;
  /** "I want…", "I'd like to…", "I can…" commit only when a time frame is said. */
  needsTimeFrame: boolean;
  /** "I want that thirty in cash by …": the action is to have it so. */
  wants?: boolean;
}

const SELF =
  /\b(i'll|i will|i'm going to|i am going to|i'm gonna|we'll|we will|we're going to|we are going to|let's|let me|i need to|i should|i have to|i can|i want to|i want(?= (?:that|the|this|those|it)\b)|i'd (?:really )?like to|i would like to)\s+/gi;
const REQUEST =
  /\b(?:can you|could you|would you|will you|if you can|if you could|i need you to|i'd (?:really )?like you to|i would like you to|i want you to|please)\s+(?:(?:both|all|just|please|maybe|also|go ahead and|ideally)\s+)*/gi;
const STAFF_SUBJECT =
  /\b(?:[Mm]y assistant(?: [A-Z][a-z]+)?|[Oo]ur (?:office|team|operations team|ops team|ops folks|operations|staff|back office|service team|assistant)|[A-Z][a-z]+ (?:on|from) (?:my|our) team|[A-Z][a-z]+ in our office)\s+(?:will|'ll|’ll|is going to|can)\s+/g;
const DELEGATE =
  /^have (?:(?:our|my) (?:office|team|assistant|operations team|ops team|staff)|someone (?:from|on) (?:our|my) team|[A-Z][a-z]+)\s+/;
const IMPERATIVE_VERB =
  "call|check|send|email|text|loop|ask|bring|sign|upload|forward|find|gather|grab|review|read|fill out|complete|talk to|reach out|remember to|make sure|let me know|don't forget to|get";
const IMPERATIVE = new RegExp(
  `^(?:(?:and|so|also|just|maybe|okay|ok|oh|then|but|please|now|alright|great|perfect|(?:if|when|once|before) [^,]{1,80}),?\\s+)*(?=(?:${IMPERATIVE_VERB})\\b)`,
  'i',
);

// The first words of a phrase that is talk about the meeting itself, a feeling or a wish, not a commitment.
const NOT_AN_ACTION =
  /^(?:be|need|want|try|keep|say|see|think|guess|bet|tell you|admit|mention|stop|share|do(?! (?:that|this|it) (?:with|for|by)\b)|don't|do not|hear|sit|talk about|talk through|talk income|walk through|go(?! to\b| pick\b| get\b| ahead\b)|discuss|cover|start with|dive|pinch|have to|get started|ask you|ask a bunch|ask some|ask questions|leave|love|like|know|understand|hope|imagine|figure|just say|not|never|also need|put real numbers|re-run|make sure i)\b/i;
const LET_ME_ACTIONS =
  /^(?:send|get back|look into|follow up|find out|check on|check with|run|pull together|put together|draft|prepare|email|call|reach out|set up|talk to|write)\b/i;
const LETS_ACTIONS = /^(?:get|set up|schedule|put|plan|book|meet)\b/i;
// Pronoun-only objects of these verbs say nothing checkable ("I'll look at it", "we'll fix it").
const VAGUE = /^(?:look at|think about|consider|do|fix|try|check|handle) (?:it|that|this|them)(?: too)?$/i;

const ACCEPTANCE =
  /^(?:\W*(?:oh|um|uh|well|yes|yeah|yep|sure|okay|ok)\W+)*(?:absolutely|sure|of course|will do|yes|yeah|yep|definitely|no problem|happy to|i'll|i will|i can|okay|ok|done)\b/i;
const REFUSAL = /^\W*(?:no\b|nope|i can't|i cannot|i don't think|not really)/i;

const CLAUSE_END =
  /,\s+(?:so|because|since|which|just to|and then|and (?:we|i|you))\b|\s[—–]\s?(?:so|and|because|that's|that is|which|it's)\b|;|\s-\s/i;
const MAX_DESCRIPTION_WORDS = 30;
const DESCRIPTION_MAX_CHARS = 500;
const STOPWORDS = new Set(
  'a an the to of and or for on in at by with from it that this those these them him her his their our your my me you we i us up out about into before after then so too also just some any all both each one'.split(
    ' ',
  ),
);
const DATE_WORDS =
  /\b(?:today|tonight|tomorrow|week|weekend|month|end|year|monday|tuesday|wednesday|thursday|friday|saturday|sunday|january|february|march|april|may|june|july|august|september|october|november|december|next|first|twelfth)\b/gi;

/** The words that say what an item is about: no stopwords, dates or people's names (rewriting adds those). */
function contentWords(text: string, names: ReadonlySet<string> = new Set()): Set<string> {
  return new Set(
    text
      .toLowerCase()
      .replace(DATE_WORDS, ' ')
      .split(/[^a-z0-9$]+/)
      .filter((w) => w.length > 2 && !STOPWORDS.has(w) && !names.has(w)),
  );
}

const normalise = (text: string) => text.replace(/[’‘]/g, "'");

/** The commitments said in one sentence, in order; the first valid one of each speaker wins later. */
function commitmentsIn(utterance: Utterance, sentence: Span, advisorSpeaks: boolean): Commitment[] {
  const text = normalise(utterance.text);
  const slice = text.slice(sentence.start, sentence.end);
  const found: Commitment[] = [];
  const add = (kind: Kind, at: number, extra: Partial<Commitment> = {}) =>
    found.push({
      kind,
      utterance,
      sentence,
      actionStart: sentence.start + at,
      plural: false,
      needsTimeFrame: false,
      ...extra,
    });

  for (const m of slice.matchAll(SELF)) {
    const lead = (m[1] ?? '').toLowerCase();
    const at = m.index + m[0].length;
    const phrase = slice.slice(at);
    if (NOT_AN_ACTION.test(phrase)) continue;
    if (lead === 'let me' && !LET_ME_ACTIONS.test(phrase)) continue;
    if (lead === "let's" && !LETS_ACTIONS.test(phrase)) continue;
    if (/^i (?:need to|should|have to)$/.test(lead) && advisorSpeaks) continue;
    if (/ask (?:you|a|some|questions)\b/i.test(phrase.slice(0, 20))) continue;
    const delegated = DELEGATE.exec(phrase);
    add(delegated ? 'delegated' : 'self', delegated ? at + delegated[0].length : at, {
      plural: /^(?:we|let's)/.test(lead),
      needsTimeFrame: /^i (?:can|want|'d|would)/.test(lead) || lead.startsWith("i'd"),
      wants: lead === 'i want',
    });
  }
  if (advisorSpeaks) {
    for (const m of slice.matchAll(STAFF_SUBJECT)) {
      if (!NOT_AN_ACTION.test(slice.slice(m.index + m[0].length))) add('staff', m.index + m[0].length);
    }
  }
  for (const m of slice.matchAll(REQUEST)) {
    const at = m.index + m[0].length;
    if (!NOT_AN_ACTION.test(slice.slice(at))) add('request', at);
  }
  if (advisorSpeaks && !slice.trim().endsWith('?')) {
    const m = IMPERATIVE.exec(slice);
    if (m && !/^think\b/i.test(slice.slice(m[0].length))) add('imperative', m[0].length);
  }
  return found.sort((a, b) => a.actionStart - b.actionStart);
}

/** The action's words as an imperative sentence: cut at the next clause, first letter up, a full stop. */
function describe(commitment: Commitment, rewrite: (phrase: string) => string): string {
  const text = commitment.utterance.text;
  let phrase = text.slice(commitment.actionStart, commitment.sentence.end);
  const cut = CLAUSE_END.exec(phrase);
  if (cut && cut.index > 8) phrase = phrase.slice(0, cut.index);
  phrase = phrase
    .split(/\s+/)
    .slice(0, MAX_DESCRIPTION_WORDS)
    .join(' ')
    .replace(/[\s,.;:!?—–-]+$/, '');
  phrase = rewrite(phrase);
  if (commitment.wants) phrase = `have ${phrase}`;
  return clipText(`${phrase.charAt(0).toUpperCase()}${phrase.slice(1)}.`, DESCRIPTION_MAX_CHARS);
}

interface Draft {
  item: ActionItem;
  utteranceIndex: number;
}

/** A short sentence right after a commitment that only says when ("…a DocuSign. Probably tomorrow."). */
function timeFrameAfter(utterance: Utterance, sentence: Span): string {
  const next = sentenceSpans(utterance.text).find((s) => s.start >= sentence.end);
  if (!next) return '';
  const text = utterance.text.slice(next.start, next.end);
  return text.split(/\s+/).length <= 4 ? text : '';
}

function citationFor(utterance: Utterance, span: Span): Citation {
  return { utterance_index: utterance.index, quote: quoteAround(utterance.text, span) };
}

function wholeUtteranceSpan(utterance: Utterance): Span {
  return { start: 0, end: utterance.text.length };
}

const MONEY_MOVEMENT =
  /\b(?:transfer|withdraw\w*|distribution|deposit|rollover|roll it|wire|fee|reverse|credit it back|retitl\w*)\b/i;

/** `PRIORITY_RULE`, as far as words can tell: money movements and near deadlines high, open-ended ideas low. */
function priorityOf(
  item: Pick<ActionItem, 'description' | 'due_date'>,
  meetingDate: string,
): ActionItem['priority'] {
  if (MONEY_MOVEMENT.test(item.description)) return 'high';
  if (item.due_date !== null) {
    const days = (Date.parse(item.due_date) - Date.parse(meetingDate)) / 86_400_000;
    return days <= HIGH_PRIORITY_WITHIN_DAYS ? 'high' : 'medium';
  }
  return /\b(?:maybe|look into|think about|consider)\b/i.test(item.description) ? 'low' : 'medium';
}

/**
 * Action items from commitment patterns, deterministically: "I'll / I will / I'm going to / we'll / let me /
 * let's …" (owner: the speaker), "I'll have Jordan … / our office will …" (staff, when the adviser says it),
 * "can you / could you / if you can …" and the adviser's imperatives ("call me before you sign") (owner: the one
 * addressed — a client named in the sentence, else whoever answers). A request to the adviser counts only if
 * accepted; an answer ("I'll email both") joins its request rather than becoming a second item, and its time
 * frame counts. Due dates resolve against the meeting date and the follow-up meeting. Owners follow the golden
 * rules: `advisor`, `staff`, `client` (one client, or a couple together), else the person's full name.
 */
export function extractActionItems(
  utterances: readonly Utterance[],
  context: Participants & { meetingDate: string },
): ActionItem[] {
  const { advisorName, clients, meetingDate } = context;
  const followUpDate = findFollowUpDate(utterances, meetingDate);
  const isAdvisor = (u: Utterance) => isAdvisorSpeaking(u, advisorName);
  const firstName = (name: string) => name.split(/\s+/)[0] ?? name;
  const clientFirstNames = clients.map(firstName);
  const addressedClients = clientFirstNames.join(' and ') || 'the client';
  const names = new Set(
    [advisorName, ...clients, ...utterances.map((u) => bareSpeakerName(u.speaker))].flatMap((n) =>
      n.toLowerCase().split(/\s+/),
    ),
  );

  // The owner label for a person who is not the adviser, per the golden owner rules.
  const ownerFor = (speaker: string, plural: boolean): string => {
    const client = clientNamed(speaker, clients);
    if (client) return clients.length > 1 && !plural ? client : 'client';
    return bareSpeakerName(speaker);
  };
  const rewriteFor = (speakerIsAdvisor: boolean, addressedIsOwner: boolean) => (phrase: string) => {
    let out = phrase;
    if (speakerIsAdvisor && !addressedIsOwner) {
      out = out.replace(
        /\b(send|get|give|email|text|mail|show|introduce|call|remind|to|for|with|help)\s+you\b/gi,
        `$1 ${addressedClients}`,
      );
      out = out.replace(/\byour\b/gi, clients.length > 1 ? "the clients'" : `${addressedClients}'s`);
    }
    if (speakerIsAdvisor && addressedIsOwner) out = out.replace(/\bme\b/g, firstName(advisorName));
    if (!speakerIsAdvisor)
      out = out.replace(/\b(send|get|give|email|to|for|with)\s+you\b/gi, `$1 ${firstName(advisorName)}`);
    return out;
  };
  const contextBefore = (index: number) =>
    utterances
      .slice(Math.max(0, index - 8), index + 1)
      .map((u) => u.text)
      .join(' ');
  const dueFrom = (text: string, index: number) =>
    resolveDueDate(text, meetingDate, { followUpDate, context: contextBefore(index) });

  // Who a request or imperative of the adviser is addressed to: a client named in it, else who answers.
  const addresseeOf = (
    u: Utterance,
    sentenceText: string,
  ): { owner: string; reply?: Utterance } | undefined => {
    const next = utterances.slice(u.index + 1, u.index + 3).find((n) => !isAdvisor(n));
    const previous = utterances
      .slice(Math.max(0, u.index - 2), u.index)
      .reverse()
      .find((p) => !isAdvisor(p));
    if (/\b(?:both|you two|you guys|y'all|all of you)\b/i.test(sentenceText))
      return { owner: 'client', ...(next ? { reply: next } : {}) };
    const vocative = new RegExp(
      `(?:^|[,.?!]\\s*|\\band\\s+)(${clientFirstNames.join('|') || '(?!)'})\\s*,`,
      'i',
    ).exec(normalise(u.text));
    const named = vocative?.[1] ? clientCalled(vocative[1], clients) : undefined;
    if (named) {
      const reply = next && clientNamed(next.speaker, clients) === named ? next : undefined;
      return { owner: clients.length > 1 ? named : 'client', ...(reply ? { reply } : {}) };
    }
    const who = next ?? previous;
    if (!who) return clients.length > 0 ? { owner: 'client' } : undefined;
    return { owner: ownerFor(who.speaker, false), ...(who === next ? { reply: next } : {}) };
  };

  const drafts: Draft[] = [];
  const answered = new Set<number>(); // utterances whose own commitments were folded into a request

  for (const u of utterances) {
    const advisorSpeaks = isAdvisor(u);
    const perOwner = new Map<string, Draft>();
    for (const sentence of sentenceSpans(u.text)) {
      const sentenceText = u.text.slice(sentence.start, sentence.end);
      for (const commitment of commitmentsIn(u, sentence, advisorSpeaks)) {
        let owner: string;
        let reply: Utterance | undefined;
        let rewrite = rewriteFor(advisorSpeaks, false);
        if (commitment.kind === 'staff') owner = 'staff';
        else if (commitment.kind === 'self' || commitment.kind === 'delegated') {
          if (answered.has(u.index)) continue;
          if (advisorSpeaks) owner = commitment.kind === 'delegated' ? 'staff' : 'advisor';
          else owner = ownerFor(u.speaker, commitment.plural);
        } else if (advisorSpeaks) {
          const addressed = addresseeOf(u, sentenceText);
          if (!addressed) continue;
          owner = addressed.owner;
          reply = addressed.reply;
          rewrite = rewriteFor(true, true);
        } else {
          const answer = utterances.slice(u.index + 1, u.index + 3).find(isAdvisor);
          if (!answer || !ACCEPTANCE.test(normalise(answer.text)) || REFUSAL.test(answer.text)) continue;
          owner = 'advisor';
          reply = answer;
          rewrite = (phrase) =>
            phrase
              .replace(/\bme\b/g, firstName(bareSpeakerName(u.speaker)))
              .replace(/\byour\b/gi, `${firstName(advisorName)}'s`);
        }
        if (reply && REFUSAL.test(normalise(reply.text))) continue;

        let due = dueFrom(sentenceText, u.index);
        if (due === null) due = dueFrom(timeFrameAfter(u, sentence), u.index);
        if (due === null && commitment.needsTimeFrame) due = dueFrom(u.text, u.index);
        if (commitment.needsTimeFrame && due === null) continue;
        let description = describe(commitment, rewrite);
        const evidence = [citationFor(u, sentence)];
        if (reply) {
          answered.add(reply.index);
          if (due === null) due = dueFrom(reply.text, reply.index);
          evidence.push(citationFor(reply, sentenceSpans(reply.text)[0] ?? wholeUtteranceSpan(reply)));
          // The answer often says the concrete step ("I'll log into the portal tonight") where the ask said "bump it".
          for (const sentenceOfReply of sentenceSpans(reply.text)) {
            const own = commitmentsIn(reply, sentenceOfReply, isAdvisor(reply)).find(
              (c) => c.kind === 'self',
            );
            if (!own) continue;
            const replyDescription = describe(own, rewriteFor(isAdvisor(reply), false));
            if (contentWords(replyDescription).size > contentWords(description).size)
              description = replyDescription;
            break;
          }
        }
        if (VAGUE.test(description.replace(/\.$/, ''))) continue;

        const existing = perOwner.get(owner);
        if (existing) {
          // One commitment per owner per turn: keep the most specific wording and any time frame said.
          if (existing.item.due_date === null) existing.item.due_date = due;
          if (contentWords(description).size > contentWords(existing.item.description).size) {
            existing.item.description = description;
          }
          continue;
        }
        const draft: Draft = {
          item: { description, owner, due_date: due, priority: 'medium', evidence },
          utteranceIndex: u.index,
        };
        perOwner.set(owner, draft);
        drafts.push(draft);
        break;
      }
    }
  }

  // The same commitment said twice ("I'll send the certificate by Thursday" … "I'll get you that certificate").
  const kept: Draft[] = [];
  for (const draft of drafts) {
    const twin = kept.find((k) => {
      if (k.item.owner !== draft.item.owner) return false;
      if (k.item.due_date !== null && k.item.due_date === draft.item.due_date) return true;
      const a = contentWords(k.item.description, names);
      const b = contentWords(draft.item.description, names);
      const shared = [...a].filter((w) => b.has(w)).length;
      return shared > 0 && shared / Math.min(a.size, b.size) >= 0.5;
    });
    if (!twin) {
      kept.push(draft);
      continue;
    }
    if (twin.item.due_date === null) twin.item.due_date = draft.item.due_date;
    for (const citation of draft.item.evidence) {
      if (
        twin.item.evidence.length < 4 &&
        !twin.item.evidence.some((c) => c.utterance_index === citation.utterance_index)
      ) {
        twin.item.evidence.push(citation);
      }
    }
  }
  return kept.map(({ item }) => ({ ...item, priority: priorityOf(item, meetingDate) }));
}
