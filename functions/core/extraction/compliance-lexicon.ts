import type { Transcript, Utterance } from '../transcript/transcript';
import type { ComplianceFlag, ComplianceRule } from './extraction-schema';
import { bareSpeakerName, clientNamed, isAdvisorSpeaking, type Participants } from './participants';
import { quoteAround, type Span } from './quote-span';

/** One passage a rule fired on, before passages of one episode are merged into a flag. */
interface Hit {
  rule: ComplianceRule;
  severity: ComplianceFlag['severity'];
  utterance: Utterance;
  span: Span;
  explanation: string;
}

interface Scan {
  utterances: readonly Utterance[];
  participants: Participants;
  advisor: (u: Utterance) => boolean;
  client: (u: Utterance) => boolean;
  timed: boolean;
}

type Detector = (scan: Scan) => Hit[];

/** Hits of one rule by one speaker this close together (in utterances) are one episode, hence one flag. */
const EPISODE_GAP = 8;
const MAX_CITATIONS_PER_FLAG = 3;

// Clauses end at sentence punctuation and dashes: "— that guarantee comes from the NCUA, not from me —".
function clauses(text: string): Span[] {
  const spans: Span[] = [];
  let start = 0;
  for (const m of text.matchAll(/[.?!;:…]+(?=\s|$)|\s[—–]\s?|[—–]|\s-\s/g)) {
    spans.push({ start, end: m.index + m[0].length });
    start = m.index + m[0].length;
  }
  spans.push({ start, end: text.length });
  return spans.filter((s) => text.slice(s.start, s.end).trim() !== '');
}

/** Every match of `pattern` (made global) inside each clause, with the clause it fell in. */
function* clauseMatches(text: string, pattern: RegExp): Generator<{ match: RegExpExecArray; clause: Span }> {
  const global = new RegExp(
    pattern.source,
    pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}g`,
  );
  for (const clause of clauses(text)) {
    const slice = text.slice(clause.start, clause.end);
    for (const m of slice.matchAll(global)) {
      const match = Object.assign([...m], m, { index: clause.start + m.index }) as RegExpExecArray;
      yield { match, clause };
    }
  }
}

/** The last `n` words of the clause before position `at`. */
function wordsBefore(text: string, clause: Span, at: number, n: number): string {
  return text.slice(clause.start, at).trim().split(/\s+/).slice(-n).join(' ');
}

const isQuestion = (text: string, clause: Span) => /\?\s*$/.test(text.slice(clause.start, clause.end));

const normalise = (text: string) => text.replace(/[’‘]/g, "'");

const NEGATOR =
  /\b(?:can't|cannot|can not|won't|wouldn't|don't|do not|didn't|never|no one|nobody|no|not|isn't|aren't|wasn't|without|nothing|none|neither)\b|n't\b/i;

// ── guarantee_or_promissory ──────────────────────────────────────────────────────────────────────────────────

const PROMISE_WORD = /\b(?:guarantee[sd]?|guaranteeing|promise[sd]?|promising)\b/i;
// A promise about something other than investment results ("I promise I'll call") is not a flag.
const INVESTMENT_OUTCOME =
  /\b(?:returns?|gains?|lose|loses|losing|loss|losses|money|principal|percent|grow|grows|growth|double|doubles|fund|portfolio|investments?|invest|market|stocks?|earn|earns|yield|interest|profit|profits|outperform|beat)\b|%/i;
// Insurers, federal share insurance and contracts guarantee things; describing that is accurate, not promissory.
const CONTRACTUAL_GUARANTOR =
  /\b(?:NCUA|FDIC|SIPC|insur\w*|death benefit|annuit\w*|pension|survivor benefit|contract\w*|polic(?:y|ies)|treasur\w*|government|federal\w*|plan's|CDs?)\b/i;
// "anyone promising", "her guy promised", "they guarantee": someone else's claim, reported or warned against.
const THIRD_PARTY =
  /\b(?:anyone|anybody|someone|somebody|they|he|she|his|her|their|people|others?|advisors?|brokers?|guy|salesm[ae]n|firms?|companies|who)\s*$/i;

const CANNOT_LOSE =
  /\b(?:you|it|this|that|they|(?:the|this|that|your) (?:fund|money|principal|portfolio|account|investment|position))\s+(?:\w+\s+){0,2}?(?:can't|cannot|can not|won't|will not|doesn't|does not|don't|do not|never|isn't going to|is not going to|aren't going to)\s+(?:ever\s+|really\s+|actually\s+)?(go(?:es)? down|go(?:es)? negative|lose|loses|drops?|declines?|falls?|ha(?:ve|s) a (?:down|losing|bad|red|negative) year)\b/i;
const SURE_THING =
  /\b(?:risk-free|risk free|riskless|no risk|zero risk|can't miss|sure thing|can only go up|only goes up|always goes up|bulletproof|no way (?:to|you can|you could) lose)\b/i;
// After "lose"/"go down", what keeps it an absolute claim; "doesn't go down in a straight line" is not one.
const ABSOLUTE_TAIL =
  /^\s*(?:$|[,.!;—–]|and\b|so\b|ever\b|at all\b|period\b|either\b|in value\b|below\b|a (?:penny|dime|cent)\b|money\b|value\b|principal\b|anything\b|a thing\b|your (?:money|principal|shirt)\b|on (?:this|it)\b|with (?:this|it)\b|here\b)/i;
const DISCLAIMING =
  /\b(?:doesn't mean|does not mean|not that|not saying|no investment|nothing|no such thing|never said|wouldn't say|can't say|can't tell you|no one can|nobody can)\b/i;

const guarantees: Detector = (scan) => {
  const hits: Hit[] = [];
  for (const u of scan.utterances) {
    if (!scan.advisor(u)) continue;
    const text = normalise(u.text);
    const found = (match: RegExpExecArray, what: string) =>
      hits.push({
        rule: 'guarantee_or_promissory',
        severity: 'high',
        utterance: u,
        span: { start: match.index, end: match.index + match[0].length },
        explanation: `The adviser ${what} ("${match[0]}"): a promise of investment results. Review and correct with the client.`,
      });

    for (const { match, clause } of clauseMatches(text, PROMISE_WORD)) {
      const clauseText = text.slice(clause.start, clause.end);
      const before = wordsBefore(text, clause, match.index, 6);
      if (NEGATOR.test(before) || THIRD_PARTY.test(text.slice(clause.start, match.index))) continue;
      if (CONTRACTUAL_GUARANTOR.test(clauseText) || isQuestion(text, clause)) continue;
      const rest = clauseText.replace(match[0], ' ');
      if (!INVESTMENT_OUTCOME.test(rest)) continue;
      found(match, 'promises or guarantees an outcome');
    }
    for (const pattern of [CANNOT_LOSE, SURE_THING]) {
      for (const { match, clause } of clauseMatches(text, pattern)) {
        const clauseText = text.slice(clause.start, clause.end);
        const end = match.index + match[0].length;
        if (pattern === CANNOT_LOSE && !ABSOLUTE_TAIL.test(text.slice(end, clause.end))) continue;
        const before = text.slice(clause.start, match.index);
        if (
          DISCLAIMING.test(before) ||
          (pattern === SURE_THING && NEGATOR.test(wordsBefore(text, clause, match.index, 4)))
        ) {
          continue;
        }
        if (CONTRACTUAL_GUARANTOR.test(clauseText) || isQuestion(text, clause)) continue;
        found(match, 'says the investment cannot lose');
      }
    }
  }
  return hits;
};

// ── performance_projection ───────────────────────────────────────────────────────────────────────────────────

const NUMBER_WORD =
  '(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|a|half)';
const AMOUNT = new RegExp(
  `\\$\\s?\\d[\\d,.]*|\\b\\d[\\d,.]*\\s?(?:%|percent|k\\b|m\\b|million|billion|thousand|grand)|\\b(?:${NUMBER_WORD}[\\s-]?)+(?:million|billion|thousand|grand|percent)\\b|\\b(?:double|triple)\\b`,
  'i',
);
const FUTURE_OUTCOME =
  /\b(?:you'll|you will|you're going to|you are going to|it'll|it will|it's going to|that'll|this will|that will|we'll|(?:the|your|this) (?:fund|portfolio|account|investment|money|balance|nest egg|savings)(?:'ll| will| is going to))\s+(?:\w+\s+)?(be sitting on|sit on|have|end up with|end up at|be worth|be at|make|earn|return|get|see|grow to|grow into|hit|reach|double|triple|average|be up|retire with|net|turn into)\b/i;
const RETURN_VERB = /^(?:make|earn|return|grow to|grow into|double|triple|average|be up|net|turn into)$/i;
// A balance needs a horizon or a certainty to be a projection ("you'll have $5,000 a month coming in" is a budget).
const HORIZON_OR_CERTAINTY =
  /\bby (?:age |the age of )?(?:\d{2}\b|\d{4}\b|fifty|sixty|seventy|eighty|retirement|the time you(?:'re| are)?|then)|\bin (?:\d+|two|three|four|five|six|seven|eight|nine|ten|fifteen|twenty|thirty) years\b|\bwhen you retire\b|\bat retirement\b|\beasy\b|\beasily\b|\bfor sure\b|\bno problem\b|\bguaranteed\b|\bno doubt\b/i;
// "You'll have $5,000 a month from Social Security" is a budget line, not a projection of returns.
const INCOME_STREAM =
  /\b(?:pension|social security|income|paycheck|salary|benefits?|a month|per month|coming in)\b/i;
const HEDGE =
  /\b(?:hypothetical\w*|assum\w+|if|could|might|may|illustrat\w*|scenarios?|prediction|no guarantee|estimat\w*|historically|on average|past performance|monte carlo|depend\w*|projection shows)\b/i;

const projections: Detector = (scan) => {
  const hits: Hit[] = [];
  for (const u of scan.utterances) {
    if (!scan.advisor(u)) continue;
    const text = normalise(u.text);
    for (const { match, clause } of clauseMatches(text, FUTURE_OUTCOME)) {
      const clauseText = text.slice(clause.start, clause.end);
      const after = text.slice(match.index + match[0].length, clause.end);
      const verb = match[1] ?? '';
      if (!/^(?:double|triple)$/i.test(verb) && !AMOUNT.test(after)) continue;
      if (
        !RETURN_VERB.test(verb) &&
        (!HORIZON_OR_CERTAINTY.test(clauseText) || INCOME_STREAM.test(clauseText))
      )
        continue;
      if (HEDGE.test(clauseText) || isQuestion(text, clause)) continue;
      if (
        NEGATOR.test(wordsBefore(text, clause, match.index, 5)) ||
        DISCLAIMING.test(text.slice(clause.start, match.index))
      ) {
        continue;
      }
      hits.push({
        rule: 'performance_projection',
        severity: 'high',
        utterance: u,
        span: { start: match.index, end: clause.end },
        explanation:
          'The adviser states a future return or balance as expected fact, without calling it hypothetical or giving its assumptions.',
      });
    }
  }
  return hits;
};

// ── consent_or_recording ─────────────────────────────────────────────────────────────────────────────────────

const RECORDING =
  /\b(?:recording|recorded|record(?:s|ing)? (?:our|the|this) (?:conversation|meeting|call)|note-?taker|notetaking|note-taking (?:assistant|tool|program|app|software)|transcription (?:tool|service|software|app)|ai (?:note-?taker|assistant))\b/i;
const NOT_RECORDING = /\btrack record|for the record|record (?:high|low|year)|on record\b/i;
// Perfect tense or an afterthought means the recording started before anyone was told.
const ALREADY_RUNNING =
  /\b(?:(?:had|have|'ve had|'ve been|has been|have been|been|was|were) (?:\w+ ){0,3}(?:running|recording|on)\b[^.?!]*\b(?:since|the whole time|all along|this whole|from the start)|been recording|forgot to (?:mention|tell|say|ask)|should have (?:mentioned|told|asked)|meant to (?:mention|tell|ask)|by the way)\b/i;
const LATE_AFTER_MS = 3 * 60_000;
const LATE_AFTER_UTTERANCES = 20;

const lateRecordingDisclosure: Detector = (scan) => {
  const first = scan.utterances.find((u) => {
    const text = normalise(u.text);
    return RECORDING.test(text) && !NOT_RECORDING.test(text);
  });
  if (!first || !scan.advisor(first)) return [];
  const text = normalise(first.text);
  const afterthought = ALREADY_RUNNING.exec(text);
  const late = scan.timed ? first.startMs >= LATE_AFTER_MS : first.index >= LATE_AFTER_UTTERANCES;
  if (!afterthought && !late) return [];
  const match = RECORDING.exec(text);
  const at = afterthought ?? match;
  return [
    {
      rule: 'consent_or_recording',
      severity: 'medium',
      utterance: first,
      span: at ? { start: at.index, end: at.index + at[0].length } : { start: 0, end: text.length },
      explanation:
        'The recording is first mentioned only partway through the meeting, after it was already running; consent was not asked for at the start.',
    },
  ];
};

// ── pii_overshare ────────────────────────────────────────────────────────────────────────────────────────────

const DIGIT = '(?:zero|oh|one|two|three|four|five|six|seven|eight|nine|\\d+)';
const DIGIT_RUN = new RegExp(`\\b${DIGIT}\\b(?:[\\s,.-]+${DIGIT}\\b)+`, 'gi');
const SSN_SHAPE = /\b\d{3}-\d{2}-\d{4}\b/;
const SENSITIVE_NUMBER =
  /\b(?:social|ssn|social security number|account number|acct|routing|card number|credit card|debit card|member number|tax id|ein|driver's license|license number|passport)\b/i;
const SECRET_SAID =
  /\b(?:my|the|her|his|our) (?:password|passcode|pin|login)\s+(?:is|was|'s)\s+(?!the same|wrong|expired|incorrect|changed|reset|too|not|in|on)\S+/i;

function digitCount(run: string): number {
  return run
    .split(/[\s,.-]+/)
    .filter(Boolean)
    .reduce((sum, token) => sum + (/^\d+$/.test(token) ? token.length : 1), 0);
}

const piiSaidAloud: Detector = (scan) => {
  const hits: Hit[] = [];
  for (const u of scan.utterances) {
    const text = normalise(u.text);
    const hit = (start: number, end: number, what: string) =>
      hits.push({
        rule: 'pii_overshare',
        severity: 'medium',
        utterance: u,
        span: { start, end },
        explanation: `${what} is said aloud on a recorded call; it now sits in the transcript and the archive. Use a secure channel.`,
      });
    const shaped = SSN_SHAPE.exec(text);
    if (shaped) {
      hit(shaped.index, shaped.index + shaped[0].length, 'A Social Security number');
      continue;
    }
    const secret = SECRET_SAID.exec(text);
    if (secret) {
      hit(secret.index, secret.index + secret[0].length, 'A password or PIN');
      continue;
    }
    for (const run of text.matchAll(DIGIT_RUN)) {
      const before = text.slice(Math.max(0, run.index - 60), run.index);
      const keyword = SENSITIVE_NUMBER.exec(before);
      if (!keyword) continue;
      const amount =
        /\$\s*$/.test(before) ||
        /^\s*(?:dollars|percent|%|k\b|thousand|million)/i.test(text.slice(run.index + run[0].length));
      const needed = /social|ssn/i.test(keyword[0]) ? 7 : 6;
      if (amount || digitCount(run[0]) < needed) continue;
      const start = run.index - before.length + keyword.index;
      hit(
        start,
        run.index + run[0].length,
        /social|ssn/i.test(keyword[0]) ? 'A Social Security number' : 'An account or card number',
      );
      break;
    }
  }
  return hits;
};

// ── complaint ────────────────────────────────────────────────────────────────────────────────────────────────

const FIRM_TARGET =
  '(?:you|you guys|your (?:firm|office|team|company|staff|people|assistant)|us|the (?:firm|service|process|rollover|transfer|paperwork|fees?|charges?|delay|statement)|how (?:that|this|it|things|everything|(?:the|my|our) \\w+) (?:went|was handled|were handled|has been handled|got handled)|the way (?:that|this|it) was handled)';
const COMPLAINT_PATTERNS = [
  new RegExp(
    `\\b(?:i'm|i am|i was|i've been|we're|we are|we were|we've been)\\s+(?:\\w+\\s+){0,2}?(?:upset|unhappy|frustrated|disappointed|angry|annoyed|dissatisfied|fed up|not happy|not pleased|not okay)\\s+(?:with|about|by)\\s+${FIRM_TARGET}`,
    'i',
  ),
  /\bnobody (?:ever )?(?:called (?:us|me) back|got back to (?:us|me)|returned (?:our|my) calls?|(?:mentioned|told|explained)\b[^.?!]*\b(?:us|me))/i,
  /\b(?:no one|you|your office|your team) (?:never|didn't|did not) (?:call(?:ed)? (?:us|me) back|get back to (?:us|me)|return(?:ed)? (?:our|my) calls?|tell (?:us|me) about)/i,
  /\b(?:i|we) (?:want|would like|need) to (?:file|make|lodge|register) a (?:formal )?complaint\b/i,
  /\b(?:this|that|it) (?:is|was) (?:completely |totally |just )?(?:unacceptable|ridiculous|a mess)\b/i,
  /\bfell through the cracks\b/i,
  /\b(?:hidden|surprise|undisclosed) (?:fees?|charges?)\b/i,
  /\b(?:you|you guys|your (?:firm|office|team|people)) (?:really )?(?:messed|screwed|dropped the ball)\b/i,
  /\b(?:i'm|i am|we're|we are) (?:thinking (?:about|of)|going to|about to) (?:leave|leaving|move|moving|transfer|transferring) (?:my|our) (?:money|accounts?|assets)\b/i,
  /\bwhy (?:wasn't|weren't) (?:i|we) told\b/i,
  /\b(?:i|we) (?:was|were) never (?:told|informed)\b/i,
];
const NOT_A_GRIEVANCE =
  /\b(?:not|never) (?:upset|unhappy|frustrated|disappointed|angry|annoyed|dissatisfied)\b/i;

const complaints: Detector = (scan) => {
  const hits: Hit[] = [];
  for (const u of scan.utterances) {
    if (scan.advisor(u)) continue;
    const text = normalise(u.text);
    for (const pattern of COMPLAINT_PATTERNS) {
      const match = pattern.exec(text);
      if (!match) continue;
      if (NOT_A_GRIEVANCE.test(match[0]) && !/not (?:happy|pleased|okay)/i.test(match[0])) continue;
      hits.push({
        rule: 'complaint',
        severity: 'medium',
        utterance: u,
        span: { start: match.index, end: match.index + match[0].length },
        explanation:
          'The client voices a grievance about the firm or its service; it must be logged and handled as a complaint.',
      });
      break;
    }
  }
  return hits;
};

// ── elder_or_vulnerable_client: a third party pressing for the client's money ───────────────────────────────

const MONEY_MOVEMENT =
  /\b(?:process|transfer|withdraw\w*|wire|cash out|take (?:it|the money|that) out|move (?:the|that|her|his) money|from (?:her|his|their|mom's|dad's|mother's|father's) (?:account|savings|ira))\b/i;
const PRESSURE =
  /\b(?:(?:can|could|would) you (?:just )?(?:process|transfer|wire|move|send|do|release)|(?:she|he|mom|dad|mother|father)(?:'s| has| already)? (?:already )?(?:said yes|agreed|signed off|is fine with it)|right now|today|asap|immediately)\b/i;

const thirdPartyPressure: Detector = (scan) => {
  const hits: Hit[] = [];
  if (scan.participants.clients.length === 0) return hits;
  for (const u of scan.utterances) {
    if (scan.advisor(u) || scan.client(u)) continue;
    const text = normalise(u.text);
    const money = MONEY_MOVEMENT.exec(text);
    const pressure = PRESSURE.exec(text);
    if (!money || !pressure) continue;
    const start = Math.min(money.index, pressure.index);
    const end = Math.max(money.index + money[0].length, pressure.index + pressure[0].length);
    hits.push({
      rule: 'elder_or_vulnerable_client',
      severity: 'high',
      utterance: u,
      span: { start, end },
      explanation:
        "Someone who is not the client presses for a movement of the client's money, claiming the client agreed. Check the client's wishes and capacity; consider the trusted contact.",
    });
  }
  return hits;
};

// ── outside_business_activity ────────────────────────────────────────────────────────────────────────────────

const OUTSIDE_THE_FIRM =
  /\b(?:(?:totally |completely )?separate from the firm|outside (?:of )?(?:the|our|my) (?:firm|practice|company)|not through (?:the|our) firm|on the side|personally (?:involved|invested)|my (?:own|personal) (?:deal|venture|fund|company|project|business|development|investment))\b/i;
const DEAL =
  /\b(?:invest\w*|partner|development|deal|rais(?:e|ing)|want in|get in|minimum|opportunity|venture|llc|propert(?:y|ies)|real estate|startup|stake|equity|shares)\b/i;
const DECLINING = /\b(?:never|don't|do not|not allowed|can't|cannot|won't|wouldn't|aren't allowed)\b/i;

const outsideDeals: Detector = (scan) => {
  const hits: Hit[] = [];
  for (const u of scan.utterances) {
    if (!scan.advisor(u)) continue;
    const text = normalise(u.text);
    for (const { match, clause } of clauseMatches(text, OUTSIDE_THE_FIRM)) {
      if (!DEAL.test(text) || DECLINING.test(text.slice(clause.start, match.index))) continue;
      hits.push({
        rule: 'outside_business_activity',
        severity: 'high',
        utterance: u,
        span: { start: match.index, end: match.index + match[0].length },
        explanation:
          "The adviser offers the client a personal deal outside the firm (a possible private securities transaction); it needs the firm's review.",
      });
      break;
    }
  }
  return hits;
};

// ── unsuitable_recommendation: leveraged or speculative products for money needed soon ──────────────────────

const SPECULATIVE =
  /\b(?:leveraged|inverse|(?:2|3|two|three)[- ]?(?:x|times)|on margin|crypto\w*|bitcoin|penny stocks?|meme stocks?|naked (?:calls|puts)|options trading)\b/i;
const RECOMMENDING =
  /\b(?:park|put|move|invest|buy|throw|stick|dump|allocate|switch|i'd|i would|you should|i recommend|let's)\b/i;
const NEEDED_SOON =
  /\bnext (?:few|couple(?: of)?|\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve) (?:days|weeks|months)\b|\bshort[- ]term\b|\bbefore you (?:spend|need|buy|use)\b|\b(?:need|spend|use) (?:it|that|the money) (?:in|by|for)\b|\bemergency fund\b|\bdown payment\b|\ball of (?:it|your)\b/i;
const ADVISING_AGAINST = /\b(?:never|don't|do not|wouldn't|would not|not|avoid|stay away|careful)\b|n't\b/i;

const unsuitable: Detector = (scan) => {
  const hits: Hit[] = [];
  for (const u of scan.utterances) {
    if (!scan.advisor(u)) continue;
    const text = normalise(u.text);
    for (const { match, clause } of clauseMatches(text, SPECULATIVE)) {
      const clauseText = text.slice(clause.start, clause.end);
      if (
        !RECOMMENDING.test(clauseText) ||
        !NEEDED_SOON.test(clauseText) ||
        ADVISING_AGAINST.test(clauseText)
      )
        continue;
      if (isQuestion(text, clause)) continue;
      hits.push({
        rule: 'unsuitable_recommendation',
        severity: 'high',
        utterance: u,
        span: { start: clause.start, end: clause.end },
        explanation: `The adviser recommends a speculative product ("${match[0]}") for money the client needs soon; it does not fit the time frame.`,
      });
      break;
    }
  }
  return hits;
};

// ── undisclosed_conflict: asked about a proprietary product or pay, the adviser does not answer ─────────────

const ASKS_ABOUT_PAY =
  /\b(?:is|are) (?:that|this|it|they) (?:your|the firm's|your firm's|your own|in-house|proprietary)\b|\b(?:run|managed|sponsored|offered|made) by (?:your|the) (?:firm|company)\b|\b(?:your|the firm's|your firm's) own (?:fund|product)s?\b|\bhow (?:do|does) (?:you|your firm|the firm) (?:get paid|make money|earn)\b|\bdo you (?:get|earn|receive|make) (?:a |any )?(?:commission|kickback|more|extra|paid)\b|\bany (?:conflicts?|commissions?)\b/i;
const DIRECT_ANSWER =
  /^(?:\W*\w+\W+){0,2}?(?:yes|yeah|yep|no|nope|correct|it is|it isn't|it's not|we do|we don't|i do|i don't|that's right)\b/i;
const DISCLOSES =
  /\b(?:commissions?|we (?:earn|receive|get paid|are paid|make)|revenue|conflicts?|proprietary|our own fund|affiliated?|disclos\w*|adv|fee-only|paid by)\b/i;

const dodgedConflict: Detector = (scan) => {
  const hits: Hit[] = [];
  for (const [i, u] of scan.utterances.entries()) {
    if (scan.advisor(u) || !u.text.includes('?') || !ASKS_ABOUT_PAY.test(normalise(u.text))) continue;
    const answer = scan.utterances.slice(i + 1, i + 3).find((next) => scan.advisor(next));
    if (!answer) continue;
    const text = normalise(answer.text);
    if (DIRECT_ANSWER.test(text) || DISCLOSES.test(text)) continue;
    hits.push({
      rule: 'undisclosed_conflict',
      severity: 'high',
      utterance: answer,
      span: { start: 0, end: Math.min(text.length, 160) },
      explanation:
        "Asked directly whether the product is the firm's own or how the firm is paid, the adviser answers without saying; the conflict is not disclosed.",
    });
  }
  return hits;
};

const DETECTORS: Detector[] = [
  guarantees,
  projections,
  lateRecordingDisclosure,
  piiSaidAloud,
  complaints,
  thirdPartyPressure,
  outsideDeals,
  unsuitable,
  dodgedConflict,
];

/** The lexicon's rules, for reporting which rules it can raise at all. */
export const LEXICON_RULES: readonly ComplianceRule[] = [
  'guarantee_or_promissory',
  'performance_projection',
  'consent_or_recording',
  'pii_overshare',
  'complaint',
  'elder_or_vulnerable_client',
  'outside_business_activity',
  'unsuitable_recommendation',
  'undisclosed_conflict',
];

/**
 * The deterministic compliance lexicon: promissory and "cannot lose" language and projections stated as fact
 * (the adviser's utterances only, with negation, reported speech and contractual guarantees excluded), late
 * recording disclosure, Social Security and account numbers said aloud, complaints about the firm, a third party
 * pressing for the client's money, the adviser's deals outside the firm, speculative products for money needed
 * soon, and a dodged question about proprietary products or pay. Built for precision: a rule fires only on a
 * conjunction of signals. Hits of one rule by one speaker close together become one flag citing up to three
 * passages; every quote is an exact substring of its utterance.
 */
export function scanCompliance(
  transcript: Pick<Transcript, 'utterances'>,
  participants: Participants,
): ComplianceFlag[] {
  const scan: Scan = {
    utterances: transcript.utterances,
    participants,
    advisor: (u) => isAdvisorSpeaking(u, participants.advisorName),
    client: (u) => clientNamed(u.speaker, participants.clients) !== undefined,
    timed: transcript.utterances.some((u) => u.startMs > 0 || u.endMs > 0),
  };
  const hits = DETECTORS.flatMap((detect) => detect(scan)).sort(
    (a, b) => a.utterance.index - b.utterance.index || a.span.start - b.span.start,
  );

  const episodes: Hit[][] = [];
  for (const hit of hits) {
    const episode = episodes.find((e) => {
      const last = e.at(-1);
      return (
        last !== undefined &&
        last.rule === hit.rule &&
        last.utterance.speaker === hit.utterance.speaker &&
        hit.utterance.index - last.utterance.index <= EPISODE_GAP
      );
    });
    if (!episode) episodes.push([hit]);
    else if (!episode.some((h) => h.utterance.index === hit.utterance.index)) episode.push(hit);
  }

  return episodes.map((episode) => {
    const [first] = episode as [Hit, ...Hit[]];
    return {
      rule: first.rule,
      severity: first.severity,
      speaker: bareSpeakerName(first.utterance.speaker),
      explanation: first.explanation,
      source: 'lexicon',
      evidence: episode.slice(0, MAX_CITATIONS_PER_FLAG).map((hit) => ({
        utterance_index: hit.utterance.index,
        quote: quoteAround(hit.utterance.text, hit.span),
      })),
    };
  });
}
