import { clipText } from '../../core/extraction/clip-text';
import type { ClientFact, FactCategory, FactValue } from '../../core/extraction/extraction-schema';
import { isAdvisorSpeaking, type Participants } from '../../core/extraction/participants';
import { quoteAround, type Span, sentenceSpans } from '../../core/extraction/quote-span';
import type { Utterance } from '../../core/transcript/transcript';
import { MONTHS, monthNumber, ORDINAL_DAY_WORDS } from '../../integrations/offline/calendar-words';
import { findAmounts, type SpokenAmount } from '../../integrations/offline/spoken-numbers';

/** Keywords that say what an amount is about; in context (not beside the amount) the first listed wins. */
const TOPICS: { category: FactCategory; pattern: RegExp }[] = [
  { category: 'tax', pattern: /(?<!-)\b(?:taxes|tax bill|tax|irs|owed|withholding|federal)\b/gi },
  {
    category: 'liabilities',
    pattern: /\b(?:mortgage|student loans?|loans?|debt|line of credit|credit card|drawn|left on)\b/gi,
  },
  {
    category: 'insurance',
    pattern: /\b(?:life insurance|insurance|policy|death benefit|coverage|premium)\b/gi,
  },
  {
    category: 'income',
    pattern: /\b(?:salary|base|pension|social security|income|bonus|paycheck|distributions?|payroll)\b/gi,
  },
  {
    category: 'assets',
    pattern:
      /\b(?:ira|529|brokerage(?: account)?|joint (?:account|one)|account|savings|high-yield(?: account)?|money market|cds?|company stock|stock|shares|investable assets|assets|portfolio|cash|net worth|rsus?)\b|\b40[13]\([kb]\)/gi,
  },
  {
    category: 'goals',
    pattern:
      /\b(?:retire|retirement|goal|down payment|down(?=\s*(?:[.,!?]|$))|dream|budget|wedding|camper|spending|live comfortably|put away|want to put|contribute)\b/gi,
  },
  { category: 'employment', pattern: /\b(?:employees|people|techs|hiring|job)\b/gi },
  { category: 'family', pattern: /\b(?:grandkids|grandchildren|kids|children|parents|married)\b/gi },
];
const MONEY_CATEGORIES = new Set<FactCategory>([
  'assets',
  'liabilities',
  'income',
  'goals',
  'tax',
  'insurance',
]);
const MONTHLY = /\b(?:a|per) month\b|\bmonthly\b/i;
// A bare number from 40 to 100 near these is an age: "Still sixty-two", "until seventy", "sixty is the goal".
const AGE_CONTEXT = /\b(?:retire|retirement|turn(?:ed)?|years old|done at|hold off|be done|goal)\b/i;
const CONTRIBUTION = /\b(?:contribut\w*|match|defer\w*)\b/i;
const ALLOCATION = /\b(?:stocks? and bonds|allocation|mix|in stocks)\b/i;
const SPLIT =
  /\b(fifty|sixty|seventy|forty|thirty|eighty)-(fifty|forty|thirty|sixty|seventy|twenty)\b|\b(\d{2})\/(\d{2})\b/i;
const CORRECTION = /^\W*(?:no|actually|not|wait)\b/i;
// "four years", "two, three years", "twelve calendar years", "ten-year": counts of time are not amounts of money.
const NOT_AN_AMOUNT_AFTER =
  /^(?:,?\s*(?:or\s+)?[a-z-]+(?=\s+(?:years|months|weeks|days)\b))?[\s-]*(?:(?!a\b|per\b|each\b|every\b)[a-z]+\s+)?(?:years?|months?|weeks?|days?|hours?|minutes?|times|things)\b/i;
// "at sixty-two", "you're sixty-eight", "until seventy-three": ages.
const AGE_BEFORE =
  /\b(?:age|aged|lived to|to age|at|by|until|turned|turn|turning|versus|i'm|you're|he's|she's)\s*$/i;
const RATE = /\brate\b/i;
const CONFIRMATION_WINDOW = 2;
const FACT_MAX_CHARS = 500;
const REPEAT_WINDOW = 6;
const CONTEXT_UTTERANCES = 5;
// Amounts take their topic from the two turns before; a date from the five before ("And when's the date?").
const AMOUNT_CONTEXT = 2;
const DATE_CONTEXT = 6;

/** Facts without a single number, said by a client about themselves. */
const DESCRIPTIVE: { category: FactCategory; pattern: RegExp; label: string }[] = [
  {
    category: 'health',
    label: 'Health',
    pattern:
      /\b(?:knee|hip|replacement|cancer|remission|a-fib|afib|heart attack|macular|diagnos\w*|surgery|meds|medication|stroke|dementia|diabetes|fell (?:in|down|off|on|and))\b/i,
  },
  {
    category: 'preferences',
    label: 'Preference',
    pattern:
      /\b(?:email's better|email is better|texting is better|better than calling|never read email|i prefer|i like knowing|not leaving (?:that|this|my) house)\b/i,
  },
  {
    category: 'risk_tolerance',
    label: 'Risk tolerance',
    pattern:
      /\b(?:nervous|risk person|risk-averse|didn't sleep|lose sleep|didn't sell|i'd probably be fine)\b/i,
  },
];

const DAY_WORDS = ORDINAL_DAY_WORDS;
const SPOKEN_DATE = new RegExp(
  `\\b(${MONTHS.join('|')}) (${Object.keys(DAY_WORDS)
    .sort((a, b) => b.length - a.length)
    .join('|')}|[0-3]?\\d(?:st|nd|rd|th)?)\\b`,
  'i',
);
// What a spoken date is the date of; past-tense cues date it before the meeting.
const DATED_EVENTS: { category: FactCategory; pattern: RegExp; topic: string }[] = [
  { category: 'estate', pattern: /\b(?:trust|will|estate)\b/i, topic: 'Estate document dated' },
  {
    category: 'life_event',
    pattern: /\b(?:wedding|born|died|passed|funeral|married|anniversary)\b/i,
    topic: 'Date',
  },
  {
    category: 'employment',
    pattern: /\b(?:retired|walked out|last day|laid off|quit)\b/i,
    topic: 'Left work on',
  },
];
const PAST = /\b(?:signed|was|were|did|walked out|retired|died|passed|last (?:month|year|week))\b/i;

interface Found {
  category: FactCategory;
  topic: string;
}

const currency = new Intl.NumberFormat('en-US', {
  style: 'currency',
  currency: 'USD',
  maximumFractionDigits: 0,
});

function capitalise(text: string): string {
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}`;
}

/** The topic whose keyword is nearest the amount in the same sentence. */
function topicBeside(text: string, amount: Span): (Found & { distance: number }) | undefined {
  let best: (Found & { distance: number }) | undefined;
  for (const { category, pattern } of TOPICS) {
    for (const m of text.matchAll(pattern)) {
      const end = m.index + m[0].length;
      const distance = end <= amount.start ? amount.start - end : Math.max(0, m.index - amount.end);
      if (!best || distance < best.distance) best = { category, topic: m[0], distance };
    }
  }
  return best;
}

/** The first listed topic named in a text said shortly before. */
function topicIn(text: string): Found | undefined {
  for (const { category, pattern } of TOPICS) {
    const m = new RegExp(pattern.source, 'i').exec(text);
    if (m) return { category, topic: m[0] };
  }
  return undefined;
}

interface Reading {
  category: FactCategory;
  topic: string;
  value: number;
  shown: string;
  /** Characters between the amount and its topic keyword; infinite when the topic came from context. */
  distance: number;
}

/** An amount with its category and normalised value, or undefined when it is not a fact about the client. */
function readAmount(amount: SpokenAmount, sentence: string, context: readonly string[]): Reading | undefined {
  const before = sentence.slice(0, amount.span.start);
  const after = sentence.slice(amount.span.end);
  if (NOT_AN_AMOUNT_AFTER.test(after) || /^s\b/.test(after)) return undefined;
  const ageLike = amount.form === 'bare' && amount.value >= 40 && amount.value <= 100;
  const nearest = context[0] ?? '';
  const short = sentence.split(/\s+/).length <= 8;
  const monthly = MONTHLY.test(sentence) || (short && MONTHLY.test(nearest));
  const around = `${sentence} ${nearest}`;

  const percentSaid =
    amount.form === 'percent' ||
    ((/\b(?:percent|%)/i.test(nearest) || RATE.test(sentence)) &&
      amount.form === 'bare' &&
      amount.value < 100);
  if (percentSaid) {
    const value = amount.form === 'percent' ? amount.value : amount.value / 100;
    const shown = `${Math.round(value * 10_000) / 100}%`;
    if (CONTRIBUTION.test(around))
      return { category: 'employment', topic: 'Contribution rate', value, shown, distance: 0 };
    return undefined;
  }
  if (ageLike && AGE_CONTEXT.test(around)) {
    return {
      category: 'goals',
      topic: 'Target age',
      value: amount.value,
      shown: String(amount.value),
      distance: 0,
    };
  }
  if (ageLike && AGE_BEFORE.test(before.replace(/[’‘]/g, "'"))) return undefined;
  const beside = topicBeside(sentence, amount.span);
  if (beside && beside.distance === 0 && /^\d/.test(beside.topic)) return undefined; // "each 529": the account's name
  const topic = beside ?? context.map(topicIn).find((t) => t !== undefined);
  if (!topic) return undefined;
  const distance = beside?.distance ?? Number.POSITIVE_INFINITY;
  let value = amount.value;
  if (MONEY_CATEGORIES.has(topic.category)) {
    // "four sixty-five" for a balance, "two-fifteen" for a salary: thousands are understood.
    if ((amount.form === 'paired' || (amount.form === 'bare' && value >= 10)) && value < 1000 && !monthly)
      value *= 1000;
    if (value < 100) return undefined;
    return { ...topic, value, shown: `${currency.format(value)}${monthly ? ' per month' : ''}`, distance };
  }
  if (value < 1 || amount.form === 'paired') return undefined;
  return { ...topic, value, shown: String(value), distance };
}

/** A stock/bond split said as "fifty-fifty" or "60/40": the stock share as a decimal. */
function allocation(text: string, around: string): number | undefined {
  const split = SPLIT.exec(text);
  if (!split || !ALLOCATION.test(`${text} ${around}`)) return undefined;
  const words: Record<string, number> = {
    twenty: 20,
    thirty: 30,
    forty: 40,
    fifty: 50,
    sixty: 60,
    seventy: 70,
    eighty: 80,
  };
  const first = split[1] ? words[split[1].toLowerCase()] : Number(split[3]);
  return first === undefined ? undefined : first / 100;
}

function spokenDate(
  text: string,
  context: readonly string[],
  meetingDate: string,
): { value: string; event: Found } | undefined {
  const m = SPOKEN_DATE.exec(text);
  if (!m?.[1] || !m[2]) return undefined;
  // The event is named beside the date or just before it, or further back when someone asked "when's the date?".
  const asked = /\b(?:the date|when is it|when's it|what date)\b/i.test(context[0] ?? '');
  const around = [text, ...context.slice(0, asked ? DATE_CONTEXT : 2)].join(' ');
  const event = DATED_EVENTS.find((e) => e.pattern.test(around));
  if (!event) return undefined;
  const month = monthNumber(m[1]);
  const day = DAY_WORDS[m[2].toLowerCase()] ?? Number.parseInt(m[2], 10);
  if (!(day >= 1 && day <= 31)) return undefined;
  const [year = 0] = meetingDate.split('-').map(Number);
  const iso = (y: number) => `${y}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  const past = PAST.test(around);
  const thisYear = iso(year);
  const value = past
    ? thisYear <= meetingDate
      ? thisYear
      : iso(year - 1)
    : thisYear >= meetingDate
      ? thisYear
      : iso(year + 1);
  return { value, event: { category: event.category, topic: event.topic } };
}

function yearFact(sentence: string, context: readonly string[]): (Found & { value: FactValue }) | undefined {
  if (/\b(?:paid off|paying off|paid it off)\b/i.test(sentence))
    return { category: 'liabilities', topic: 'Paid off', value: 0 };
  const year = /\b(?:19|20)\d\d\b/.exec(sentence)?.[0];
  if (!year) return undefined;
  if (/\bdivorc/i.test([sentence, ...context].join(' ')))
    return { category: 'life_event', topic: 'Divorced', value: year };
  if (/\bwill\b/i.test(sentence) && /\bfrom\b/i.test(sentence))
    return { category: 'estate', topic: 'Will dated', value: year };
  if (/\bsince \d{4}|bought (?:him|her|them|it) out\b/i.test(sentence))
    return { category: 'employment', topic: 'Since', value: year };
  return undefined;
}

interface Drafted {
  fact: ClientFact;
  utterance: Utterance;
}

/**
 * Client facts from what was said, deterministically: amounts ("$1.18 million", "four sixty-five", "sixty
 * grand", "eight percent") with the topic keyword nearest them, or named in the sentence or question just before,
 * normalised per the golden rules (plain numbers, implied thousands for balances, monthly figures kept monthly,
 * percentages as decimals, ages for retirement targets); dates of signings, weddings and retirements; paid-off
 * debts (0); and what a client says about their health, preferences or risk tolerance (value null). A figure
 * corrected by another speaker replaces the first; one confirmed or repeated shortly after is kept once, citing both.
 */
export function extractClientFacts(
  utterances: readonly Utterance[],
  participants: Participants & { meetingDate?: string },
): ClientFact[] {
  const drafts: Drafted[] = [];
  const isAdvisor = (u: Utterance) => isAdvisorSpeaking(u, participants.advisorName);

  const add = (utterance: Utterance, span: Span, fact: Omit<ClientFact, 'evidence'>) => {
    const citation = { utterance_index: utterance.index, quote: quoteAround(utterance.text, span) };
    if (fact.value !== null) {
      const repeated = drafts.find(
        (d) => d.fact.value === fact.value && utterance.index - d.utterance.index <= REPEAT_WINDOW,
      );
      if (repeated) {
        // A confirmation ("Twenty-two, yes.") is evidence of the same fact; cite it too.
        const confirms =
          utterance.index - repeated.utterance.index <= CONFIRMATION_WINDOW &&
          repeated.fact.evidence.length < 3;
        if (confirms && !repeated.fact.evidence.some((c) => c.utterance_index === utterance.index)) {
          repeated.fact.evidence.push(citation);
        }
        return;
      }
      if (drafts.some((d) => d.fact.category === fact.category && d.fact.value === fact.value)) return;
    }
    if (CORRECTION.test(utterance.text)) {
      const corrected = drafts.findIndex(
        (d) =>
          d.fact.category === fact.category &&
          d.utterance.speaker !== utterance.speaker &&
          utterance.index - d.utterance.index <= CONFIRMATION_WINDOW,
      );
      if (corrected >= 0) {
        const was = drafts[corrected]?.fact.value;
        drafts[corrected] = {
          fact: { ...fact, fact: `${fact.fact} (corrected from ${was})`, evidence: [citation] },
          utterance,
        };
        return;
      }
    }
    drafts.push({
      fact: { ...fact, fact: clipText(fact.fact, FACT_MAX_CHARS), evidence: [citation] },
      utterance,
    });
  };

  for (const [i, u] of utterances.entries()) {
    const clientSpeaks = !isAdvisor(u);
    const sentences = sentenceSpans(u.text);
    const earlier = utterances
      .slice(Math.max(0, i - CONTEXT_UTTERANCES), i)
      .reverse()
      .map((p) => p.text);
    let numeric = false;
    for (const [s, sentence] of sentences.entries()) {
      const text = u.text.slice(sentence.start, sentence.end);
      // Nearest first: earlier sentences of this turn, then the turns just before it.
      const context = [
        ...sentences
          .slice(0, s)
          .reverse()
          .map((p) => u.text.slice(p.start, p.end)),
        ...earlier,
      ];
      const amountContext = context.slice(0, s + AMOUNT_CONTEXT);
      if (text.trim().endsWith('?') && !clientSpeaks && !/\b(?:your|you're|you've)\b/i.test(text)) continue;

      const dated = clientSpeaks ? yearFact(text, context) : undefined;
      if (dated) {
        add(u, sentence, { category: dated.category, value: dated.value, fact: `${dated.topic}: ${text}` });
        numeric = true;
        continue;
      }
      const date = participants.meetingDate
        ? spokenDate(text, context.slice(0, DATE_CONTEXT), participants.meetingDate)
        : undefined;
      if (date) {
        add(u, sentence, {
          category: date.event.category,
          value: date.value,
          fact: `${date.event.topic}: ${date.value}.`,
        });
        numeric = true;
        continue;
      }
      const split = allocation(text, context[0] ?? '');
      if (split !== undefined) {
        add(u, sentence, {
          category: 'risk_tolerance',
          value: split,
          fact: `Stock allocation: ${split * 100}% stocks.`,
        });
        numeric = true;
        continue;
      }
      // Of several amounts: one confirming a figure just said ("Eight, plus they match four." after "eight
      // percent?"), else the one closest to its keyword, else the last ("it was 2,800, now it's fourteen hundred").
      const readings = findAmounts(text)
        .map((amount) => readAmount(amount, text, amountContext))
        .filter((r): r is Reading => r !== undefined);
      const confirming = readings.find((r) =>
        drafts.some((d) => d.fact.value === r.value && u.index - d.utterance.index <= CONFIRMATION_WINDOW),
      );
      const read =
        confirming ??
        readings.reduce<Reading | undefined>(
          (best, r) => (!best || r.distance <= best.distance ? r : best),
          undefined,
        );
      if (read) {
        add(u, sentence, {
          category: read.category,
          value: read.value,
          fact: `${capitalise(read.topic)}: ${read.shown}.`,
        });
        numeric = true;
      }
    }
    if (numeric || !clientSpeaks) continue;
    for (const { category, pattern, label } of DESCRIPTIVE) {
      const m = pattern.exec(u.text.replace(/[’‘]/g, "'"));
      if (!m) continue;
      const span = { start: m.index, end: m.index + m[0].length };
      add(u, span, { category, value: null, fact: `${label}: ${quoteAround(u.text, span)}` });
      break;
    }
  }
  return drafts.map((d) => d.fact);
}
