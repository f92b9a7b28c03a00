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

// ── conduct rules as phrase conjunctions ─────────────────────────────────────────────────────────────────────

/**
 * A rule that fires on a phrase said by a given kind of speaker, only when every `alsoInClause` pattern is in
 * the phrase's clause, every `alsoSaid` pattern in the utterance, and `unless` nowhere in it; never on a question, and never when the clause before the phrase negates
 * or declines it ("we never…", "I can't…"). The hit quotes the phrase.
 */
interface PhraseRule {
  rule: ComplianceRule;
  severity: ComplianceFlag['severity'];
  said: 'advisor' | 'client' | 'anyone';
  phrase: RegExp;
  /** Each must also match in the phrase's clause. */
  alsoInClause?: readonly RegExp[];
  /** Each must also match somewhere in the utterance. */
  alsoSaid?: readonly RegExp[];
  unless?: RegExp;
  explanation: string;
}

function phraseRule(definition: PhraseRule): Detector {
  return (scan) => {
    const hits: Hit[] = [];
    for (const u of scan.utterances) {
      if (definition.said === 'advisor' && !scan.advisor(u)) continue;
      if (definition.said === 'client' && !scan.client(u)) continue;
      const text = normalise(u.text);
      if (definition.unless?.test(text)) continue;
      if (!(definition.alsoSaid ?? []).every((pattern) => pattern.test(text))) continue;
      for (const { match, clause } of clauseMatches(text, definition.phrase)) {
        const before = text.slice(clause.start, match.index);
        const clauseText = text.slice(clause.start, clause.end);
        if (!(definition.alsoInClause ?? []).every((pattern) => pattern.test(clauseText))) continue;
        if (isQuestion(text, clause) || NEGATOR.test(wordsBefore(text, clause, match.index, 4))) continue;
        if (DECLINING.test(before) || DISCLAIMING.test(before)) continue;
        hits.push({
          rule: definition.rule,
          severity: definition.severity,
          utterance: u,
          span: { start: match.index, end: match.index + match[0].length },
          explanation: definition.explanation,
        });
        break;
      }
    }
    return hits;
  };
}

// testimonial_or_endorsement: other clients' results or praise as a selling point; paying for reviews/referrals.
const OTHER_CLIENTS =
  /\b(?:(?:all|most|many|lots|a lot|plenty|dozens|one|two|three|a few|some|several|half) of my (?:other )?clients|my other clients|another (?:one of my )?clients?(?: of mine)?|other clients (?:of mine|I have|I work with))\b/i;
const CLIENT_RESULT_OR_PRAISE =
  /\b(?:made|earned|got|saw|had|averaged|pulled in) (?:\w+ ){0,2}?(?:\d[\d,.]*\s?(?:%|percent)|(?:twenty|thirty|forty|fifty|fifteen|ten|twelve) percent|double|triple|(?:huge|great|amazing|fantastic) (?:returns?|gains?|results))(?!\s*off\b)|\b(?:doubled|tripled) (?:their|his|her) (?:money|accounts?|portfolios?|investment)|\b(?:love[sd]?|swear by|rave about|raves? about|can't stop (?:talking|raving) about) (?:it|this|that|the (?:fund|strategy|portfolio|program)|working with (?:me|us))|\b(?:are|were) (?:thrilled|ecstatic) with (?:it|this|the (?:results|returns|fund))/i;
const REVIEW_OR_REFERRAL =
  /\b(?:review|reviews|testimonial|testimonials|five[- ]star|5[- ]star|rating|refer|referral|referrals|send (?:me|us) (?:a |your )?(?:friends?|family|people|neighbors?|colleagues?))\b/i;
const COMPENSATION =
  /\b(?:discount(?:ed)?|knock\w* (?:\w+ ){0,3}?off|waive\w*|off (?:your|the) (?:fee|bill)|fee[- ]free|free (?:month|quarter|year|planning|review)|months? free|gift cards?|\$\s?\d+|\d+ dollars|credit (?:on|to) your|bonus|reward|cash|pay you|thank-you (?:gift|check))\b/i;
const EXCHANGE =
  /\b(?:if you|for every|for each|each (?:friend|referral|review)|in exchange|in return|when you|as a thank[- ]you)\b/i;

const testimonials = phraseRule({
  rule: 'testimonial_or_endorsement',
  severity: 'medium',
  said: 'advisor',
  phrase: OTHER_CLIENTS,
  alsoInClause: [CLIENT_RESULT_OR_PRAISE],
  unless: /\b(?:depends|not (?:everyone|for everyone|typical|guaranteed)|(?:your|every) situation)\b/i,
  explanation:
    "The adviser cites other clients' results or praise to promote an investment or the firm: a testimonial, which needs the Marketing Rule's disclosures wherever it is advertised, and other clients' results are selective and not this client's.",
});
const paidEndorsements = phraseRule({
  rule: 'testimonial_or_endorsement',
  severity: 'medium',
  said: 'advisor',
  phrase: REVIEW_OR_REFERRAL,
  alsoSaid: [COMPENSATION, EXCHANGE],
  explanation:
    'The adviser offers the client compensation (a fee discount, cash or a gift) for a review or referral: a paid testimonial or endorsement under the Marketing Rule, which needs disclosure and, above de minimis, a written agreement.',
});

// cherry_picked_or_hypothetical_performance
const PERFORMANCE_FIGURE =
  /\$\s?\d|\b\d[\d,.]*\s?(?:%|percent)|\b(?:ten|fifteen|twenty|thirty|forty|fifty|sixty|hundred)(?:[- ]\w+)? percent\b|\b(?:doubled|tripled|double|triple|x)\b/i;
const PERFORMANCE_CAVEAT =
  /\b(?:hypothetical\w*|assum\w+|illustrat\w*|not (?:actual|real|a guarantee|indicative|typical)|(?:doesn't|does not|don't|do not) (?:guarantee|predict|reflect|include)|past performance|no guarantee|net of (?:fees|all fees)|after (?:all )?fees|every (?:account|client)|all (?:of )?(?:our |my )?(?:accounts|clients|portfolios)|composite)\b/i;
const BEST_PICKED =
  /\b(?:our|my) (?:best|top|star)(?:[- ]performing)? (?:accounts?|clients?|portfolios?|funds?|strategy|strategies|model|picks?|year|quarter|performers?)\b/i;
const HYPOTHETICAL_AS_ACHIEVED =
  /\b(?:back-?tested|backtest(?:ing)?|(?:if you had|had you|if you'd) (?:invested|put|been in|bought|followed)|would have (?:made|earned|returned|grown|doubled|tripled|turned into|beaten)|(?:our|my|the) model (?:portfolio )?(?:returned|made|earned|did|beat|averaged))\b/i;
const GROSS_ONLY = /\b(?:gross of fees|before (?:our |my |the |any )?(?:fees|fee|expenses|costs))\b/i;
const NET_MENTIONED = /\b(?:net|after (?:our |my |the |all )?(?:fees|fee|expenses|costs))\b/i;

const cherryPickedPerformance = [
  phraseRule({
    rule: 'cherry_picked_or_hypothetical_performance',
    severity: 'medium',
    said: 'advisor',
    phrase: BEST_PICKED,
    alsoSaid: [PERFORMANCE_FIGURE],
    unless: PERFORMANCE_CAVEAT,
    explanation:
      "The adviser quotes the performance of selected best accounts or periods: under the Marketing Rule performance may not be cherry-picked, and it must be presented fairly, with all accounts' results.",
  }),
  phraseRule({
    rule: 'cherry_picked_or_hypothetical_performance',
    severity: 'medium',
    said: 'advisor',
    phrase: HYPOTHETICAL_AS_ACHIEVED,
    alsoSaid: [PERFORMANCE_FIGURE],
    unless: PERFORMANCE_CAVEAT,
    explanation:
      'The adviser presents back-tested, model or "if you had invested" performance as if it were achieved, without saying it is hypothetical or giving its assumptions and risks (Marketing Rule).',
  }),
  phraseRule({
    rule: 'cherry_picked_or_hypothetical_performance',
    severity: 'medium',
    said: 'advisor',
    phrase: GROSS_ONLY,
    alsoSaid: [PERFORMANCE_FIGURE],
    unless: NET_MENTIONED,
    explanation:
      'The adviser quotes performance before fees without the net figure: the Marketing Rule requires net performance alongside gross, with equal prominence.',
  }),
];

// rollover_conflict: recommending a plan rollover into the firm's management while waving away the comparison.
const EMPLOYER_PLAN =
  /\b(?:401\s?\(?k\)?s?|403\s?\(?b\)?|457(?:\s?\(?b\)?)?|tsp|thrift savings plan|(?:old |former |employer'?s? |company |work )plan|(?:your|the) plan(?:'s)? (?:options|funds|menu|choices|investments))\b/i;
const ROLLING_IN =
  /\broll(?:s|ed|ing)?\b(?:\s+\S+){0,4}?\s+(?:over|into|to)\b|\brollovers?\b|\b(?:move|moving|bring|bringing|transfer|transferring) (?:it|that|them|the money|the (?:whole )?balance|all of it|everything) (?:over )?(?:to|into) (?:us|me|our|my|the firm|an ira)\b/i;
const WAVES_AWAY_COMPARISON =
  /\b(?:(?:there's |there is )?no reason to (?:keep|leave|stay in)|(?:no need|don't need|do not need|doesn't need) to (?:compare|look at|worry about|think about)(?: \w+){0,2} (?:fees|costs|expenses|the plan|options|alternatives)|(?:won't|will not|doesn't|does not|shouldn't|wouldn't) cost you (?:anything|a thing|a dime|a penny|more|extra)(?! in (?:taxes|tax))|(?:no|zero) (?:extra )?(?:cost|fees?) to you|(?:the |your |those )?(?:plan's |plan |401\(?k\)? )?(?:options|funds|choices|investments) (?:are|is) (?:terrible|awful|bad|garbage|lousy|junk|a joke)|(?:leaving|keeping) (?:it|the money|that) (?:there|in (?:the|your) (?:old )?(?:plan|401\(?k\)?|403\(?b\)?|457|tsp)) (?:is|would be) (?:a )?(?:mistake|crazy|silly|dumb|a waste)|(?:everyone|everybody|you) should always roll|always (?:best|better) to roll)/i;

const rolloverConflicts = phraseRule({
  rule: 'rollover_conflict',
  severity: 'high',
  said: 'advisor',
  phrase: WAVES_AWAY_COMPARISON,
  alsoSaid: [EMPLOYER_PLAN, ROLLING_IN],
  explanation:
    "The adviser recommends rolling an employer-plan account into the firm's management while dismissing the option to leave it or the cost comparison: a conflicted rollover recommendation that needs a documented comparison of costs, options and services.",
});

// unauthorized_trading
const TRADED_WITHOUT_ASKING =
  /\b(?:i|we) (?:already |just )?(?:went ahead and|took the liberty (?:of|to)) (?:sell|sold|selling|buy|bought|buying|move|moved|moving|switch|switched|switching|swap|swapped|trade|traded|trading|liquidat\w+|rebalanc\w+|cash(?:ed)? out|put|placed?|exchang\w+|reallocat\w+)\b|\b(?:i|we) (?:already )?(?:sold|bought|liquidated|switched|swapped|traded|rebalanced|reallocated|cashed out|moved) (?:\S+ ){0,6}?(?:before|without) (?:i|we) (?:could |got to |had a chance to |even )?(?:call(?:ed)?|ask(?:ed)?|check(?:ed)? with|talk(?:ed)? to|reach(?:ed)?|hear(?:d)? (?:back )?from) you\b|\bwithout (?:asking|checking with|calling|telling|consulting|waiting for) you\b/i;
const TRADE_OBJECT =
  /\b(?:shares?|stocks?|positions?|funds?|bonds?|etfs?|accounts?|portfolio|holdings?|money|cash|ira|401\(?k\)?|annuit\w+|cds?|treasur\w+|allocation|options?|crypto\w*|\$\s?\d)/i;
const AUTHORIZED =
  /\b(?:as (?:we|you) (?:agreed|discussed|asked|requested|instructed)|like (?:we|you) (?:agreed|discussed|asked)|per (?:your|our) (?:instructions|request|agreement|conversation|discussion)|you (?:asked me|told me|authorized|approved|okayed|signed off|gave me the go-ahead)|with your (?:approval|ok|okay|permission|authorization|sign-off|go-ahead)|discretion(?:ary)?|as planned|our standing instructions)\b/i;
const BLANK_FORMS =
  /\bsign (?:a few |some |these |those |the |this |a )?(?:blank|empty|unsigned) (?:forms?|papers?|paperwork|applications?|pages?)\b|\b(?:blank|empty) (?:forms?|paperwork|applications?) (?:signed|for you to sign)\b|\bi(?:'ll| will) (?:just )?(?:fill in|fill out|complete) (?:the rest|the details|the amounts?|the trades?) (?:later|myself|for you)\b|\bi(?:'ll| will| can) (?:just )?sign (?:it|them|this|that|the forms?) for you\b/i;

const unauthorizedTrades = [
  phraseRule({
    rule: 'unauthorized_trading',
    severity: 'high',
    said: 'advisor',
    phrase: TRADED_WITHOUT_ASKING,
    alsoInClause: [TRADE_OBJECT],
    unless: AUTHORIZED,
    explanation:
      "The adviser says a trade was made, or will be, before the client authorised it; without written discretionary authority this is unauthorized trading. Confirm the client's authorisation and the account's discretion.",
  }),
  phraseRule({
    rule: 'unauthorized_trading',
    severity: 'high',
    said: 'advisor',
    phrase: BLANK_FORMS,
    explanation:
      'The adviser asks the client to sign blank forms, or offers to complete or sign them for the client: transactions on such forms are not authorised by the client.',
  }),
];

// borrowing_or_lending with a client
const BORROWS_OR_LENDS =
  /\b(?:(?:could|can|would|might) (?:i|we) (?:possibly |maybe |just )?borrow|(?:lend|loan|front) (?:me|us)\b|(?:i|we) (?:could|can|would) (?:really )?(?:use|need) a (?:small |short-term |quick |personal |little )?(?:loan|bridge loan)|(?:i'll|i will|i can|let me|i could|i'd be happy to|i'm happy to|we can|we could) (?:lend|loan|front|advance) you|(?:i|we) (?:lent|loaned|fronted) you|(?:you|you guys) (?:lent|loaned|fronted) (?:me|us)|(?:i'll|i will) pay you back (?:by|next|in|when|as soon|with interest)|co-?sign (?:your|the|a|that) (?:loan|mortgage|note|lease)|(?:i'll|i will|i can|let me) (?:personally )?guarantee (?:your|the|that) (?:loan|mortgage|note|lease|line of credit))\b/i;
const LOAN_MONEY =
  /\b(?:money|cash|\$\s?\d|\d{1,3}(?:,\d{3})+|thousand|grand|\d+k|loan|funds|bridge|mortgage|down payment|rent|payroll|note|line of credit|interest)\b/i;
const NOT_A_PERSONAL_LOAN =
  /\b(?:fee|fees|refund|reimburs\w*|against (?:your|the) (?:401\(?k\)?|plan|policy|portfolio|house))\b/i;

const borrowingOrLending = phraseRule({
  rule: 'borrowing_or_lending',
  severity: 'high',
  said: 'advisor',
  phrase: BORROWS_OR_LENDS,
  alsoSaid: [LOAN_MONEY],
  unless: NOT_A_PERSONAL_LOAN,
  explanation:
    'The adviser borrows money from, lends money to, or guarantees a debt of a client: a conflict most firms prohibit or require pre-approval for, and a red flag for exploitation.',
});

// selling_away: an investment arranged outside the firm, hidden from it or paid to the adviser directly.
const AWAY_FROM_THE_FIRM =
  /\b(?:off the books|(?:won't|will not|wouldn't|doesn't|does not|never) (?:show up|appear|be) on (?:your|the|our|any) (?:\w+ )?statements?(?! (?:until|till|yet|right away|immediately|before|for a (?:few|couple)))|(?:no need to|not going to|won't|we don't (?:need|have) to) (?:mention|tell|say anything about|run) (?:\S+ ){0,3}?(?:(?:to|by|past) )?(?:the firm|compliance|my (?:firm|boss|compliance (?:department|officer))|the office|our office|anyone at the firm)|(?:keep|keeping) (?:this|it|that) (?:just )?(?:between (?:us|you and me|the two of us)|quiet|off the record)|(?:make|write|made|written) (?:the|your|a) (?:check|cheque) (?:out )?(?:payable )?to me|(?:pay|wire|send|transfer|give) (?:it|the money|that|the funds|your investment|the cash) (?:\w+ )?(?:to )?me (?:directly|personally)|(?:to|into) my (?:personal|own) (?:bank )?account|(?:get|put|set) you (?:up )?(?:in|into) (?:\S+ ){0,4}?(?:private placement|promissory notes?|(?:buddy|friend|brother|cousin|contact)'s (?:deal|fund|company|startup|offering)))\b/i;
const AN_INVESTMENT =
  /\b(?:invest\w*|private placement|promissory notes?|notes?|offering|shares|stake|deal|fund|opportunity|returns?|percent|%|units|llc|partnership|crypto\w*|real estate|startup|company|interest)\b/i;
// The adviser's own venture is outside_business_activity's passage.
const OWN_VENTURE = OUTSIDE_THE_FIRM;

const sellingAway = phraseRule({
  rule: 'selling_away',
  severity: 'high',
  said: 'advisor',
  phrase: AWAY_FROM_THE_FIRM,
  alsoSaid: [AN_INVESTMENT],
  unless: OWN_VENTURE,
  explanation:
    "The adviser arranges an investment outside the firm's books (kept from the firm, not on the client's statements, or paid to the adviser directly): selling away, a private securities transaction the firm has not approved.",
});

// gifts_or_entertainment, and bequests to the adviser
const VALUABLE_GIFT =
  '(?:(?:\\w+ )?tickets|(?:a |the )?ticket to|(?:courtside|box|club|vip) seats?|(?:a |the )?(?:suite|trip|vacation|cruise|getaway|weekend away)|(?:golf|ski|fishing|hunting) (?:trip|weekend|outing)|(?:our |my )?(?:timeshare|condo|beach house|lake house|cabin) for|(?:a )?(?:rolex|watch|jewel(?:ry|lery))|gift cards?|(?:a |some )?cash gift|\\$\\s?\\d[\\d,]{2,} (?:gift|bonus|in cash)|(?:a )?case of (?:wine|champagne|bourbon|whiskey))';
// "I'd like to take you and Ellen to the Masters… tickets": the offer and the gift in one clause.
const GIVES_TO_YOU = new RegExp(
  `\\b(?:i'd|i would|i'll|i will|i want to|let me|i can|we'd|we would|we'll|we will|we want to|i'm going to|we're going to|i got|we got)\\s+(?:like to |love to |really like to )?(?:give|get|buy|send|treat|take|fly|comp|gift) (?:you|you both|you two|the two of you|y'all)\\b(?:\\s+\\S+){0,6}?\\s+${VALUABLE_GIFT}\\b`,
  'i',
);
// Seats at the firm's own seminar are not a gift.
const FIRM_EVENT = /\b(?:seminar|webinar|workshop|class|conference|client appreciation)\b/i;
const BEQUEST_TO_YOU =
  /\b(?:put|putting|name|naming|include|including|leave|leaving|add|adding|make|making) you (?:in|into|as|to|on) (?:my|our|the) (?:will|trust|estate plan|(?:ira |life insurance |policy )?beneficiar\w+)|\bname you (?:as )?(?:a |the |my |our )?(?:beneficiary|executor|trustee|successor trustee)\b|\bleave you (?:something|some money|a little something|\$\s?\d|the house|my house)\b/i;
const BEQUEST_TO_ME =
  /\b(?:put|name|include|leave|add|make) me (?:in|into|as|to|on) (?:your|the) (?:will|trust|estate plan|(?:ira |life insurance |policy )?beneficiar\w+)|\bname me (?:as )?(?:a |the |your )?(?:beneficiary|executor|trustee|successor trustee)\b|\bleave me (?:something|some money|a little something|\$\s?\d)\b/i;
const TO_THE_ADVISER =
  /\b(?:for (?:all|everything) (?:you've|you have|you) (?:done|did)|for all your help|you've been (?:so )?(?:good|kind|wonderful) to (?:me|us)|like (?:a|my) (?:son|daughter|family)|you deserve it)\b/i;

const giftsAndEntertainment = [
  phraseRule({
    rule: 'gifts_or_entertainment',
    severity: 'medium',
    said: 'advisor',
    phrase: GIVES_TO_YOU,
    unless: FIRM_EVENT,
    explanation:
      "The adviser offers a client a gift or entertainment of more than modest value (tickets, a trip, a cash gift): it must be logged and kept within the firm's gift limits, and it can buy influence.",
  }),
  phraseRule({
    rule: 'gifts_or_entertainment',
    severity: 'medium',
    said: 'client',
    phrase: GIVES_TO_YOU,
    alsoSaid: [TO_THE_ADVISER],
    explanation:
      "The client offers the adviser a gift of more than modest value: it must be reported and kept within the firm's gift limits.",
  }),
  phraseRule({
    rule: 'gifts_or_entertainment',
    severity: 'high',
    said: 'client',
    phrase: BEQUEST_TO_YOU,
    alsoSaid: [TO_THE_ADVISER],
    explanation:
      'The client wants to name the adviser in a will, trust or as a beneficiary or fiduciary: a conflict firms prohibit and a red flag for undue influence over a possibly vulnerable client.',
  }),
  phraseRule({
    rule: 'gifts_or_entertainment',
    severity: 'high',
    said: 'advisor',
    phrase: BEQUEST_TO_ME,
    explanation:
      "The adviser raises being named in the client's will, trust or as a beneficiary or fiduciary: a conflict firms prohibit and a red flag for undue influence.",
  }),
];

// money_movement_red_flag
const CHANGED_PAYMENT_INSTRUCTIONS =
  /\b(?:new|changed|updated|different|revised|corrected) (?:wire|wiring|bank|banking|payment|routing|payee) (?:instructions|details|info(?:rmation)?|account(?: numbers?)?|numbers?)\b|\b(?:wire|wiring|bank|payment) (?:instructions|details) (?:changed|have changed|had changed|were changed|were updated|are different|got changed)\b/i;
const ADVICE_ABOUT_SCAMS = /\b(?:if|whenever|anytime|any time|should you|in case)\b/i;
const MOVES_MONEY =
  /\b(?:wire|wired|wiring|transfer\w*|send (?:the |that |this )?(?:money|funds|payment|\$)|withdraw\w*|pay(?:ment)?|zelle|venmo)\b/i;
const RED_FLAG_SIGNALS: readonly RegExp[] = [
  // urgency
  /\b(?:right away|immediately|asap|urgent\w*|right now|by end of (?:the )?day|before (?:the )?(?:bank|market)s? close|within the hour|today or)\b/i,
  // secrecy
  /\b(?:don't tell|do not tell|not to tell|keep (?:it|this) (?:quiet|secret|between)|nobody (?:can|can't|needs to) know|(?:he|she|they) (?:said|asked me) not to (?:tell|say))\b/i,
  // a request that came only in writing or from someone remote
  /\b(?:(?:by|via|in an|over|in a) (?:email|e-mail|text|whatsapp)|emailed|texted|e-mailed|sent (?:me )?an email)\b/i,
  // a payee the client does not clearly know
  /\b(?:to|into) (?:(?:my|his|her|a|this) )?(?:friend|boyfriend|girlfriend|fianc[ée]e?|someone|somebody|guy|man|woman|stranger|contractor)(?:'s)? (?:account|bank|name)\b|\b(?:in|under) (?:his|her|their|someone else's|a different) name\b/i,
  // the scripts of common scams
  /\b(?:never met (?:him|her|them) in person|met (?:him|her|them) online|gift cards?|bitcoin (?:atm|machine)|crypto (?:atm|kiosk)|(?:irs|the government|social security|microsoft|amazon|the bank's fraud department) (?:called|said|told)|(?:arrested|in jail|bail money|kidnapp\w+))\b/i,
];

const moneyMovementRedFlags: Detector = (scan) => {
  const hits: Hit[] = [];
  const found = (u: Utterance, start: number, end: number, explanation: string) =>
    hits.push({
      rule: 'money_movement_red_flag',
      severity: 'high',
      utterance: u,
      span: { start, end },
      explanation,
    });
  for (const u of scan.utterances) {
    const text = normalise(u.text);
    const changed = [...clauseMatches(text, CHANGED_PAYMENT_INSTRUCTIONS)].find(
      ({ match, clause }) =>
        !ADVICE_ABOUT_SCAMS.test(text.slice(clause.start, match.index)) &&
        !NEGATOR.test(wordsBefore(text, clause, match.index, 4)),
    );
    if (changed) {
      found(
        u,
        changed.match.index,
        changed.match.index + changed.match[0].length,
        'New or changed payment instructions: the classic sign of wire fraud (a hijacked email or an impostor). Verify by calling the client and the payee at numbers already on file before any money moves.',
      );
      continue;
    }
    const money = MOVES_MONEY.exec(text);
    if (!money) continue;
    const signals = RED_FLAG_SIGNALS.map((pattern) => pattern.exec(text)).filter((m) => m !== null);
    if (signals.length < 2) continue;
    const start = Math.min(money.index, ...signals.map((m) => m.index));
    const end = Math.max(money.index + money[0].length, ...signals.map((m) => m.index + m[0].length));
    found(
      u,
      start,
      end,
      'A money movement with the marks of fraud (urgency, secrecy, a request only by email or text, an unfamiliar payee or a scam script). Stop and verify with the client directly before anything is sent.',
    );
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
  testimonials,
  paidEndorsements,
  ...cherryPickedPerformance,
  rolloverConflicts,
  ...unauthorizedTrades,
  borrowingOrLending,
  sellingAway,
  ...giftsAndEntertainment,
  moneyMovementRedFlags,
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
  'testimonial_or_endorsement',
  'cherry_picked_or_hypothetical_performance',
  'rollover_conflict',
  'unauthorized_trading',
  'borrowing_or_lending',
  'selling_away',
  'gifts_or_entertainment',
  'money_movement_red_flag',
];

/**
 * The deterministic compliance lexicon: promissory and "cannot lose" language and projections stated as fact
 * (the adviser's utterances only, with negation, reported speech and contractual guarantees excluded), late
 * recording disclosure, Social Security and account numbers said aloud, complaints about the firm, a third party
 * pressing for the client's money, the adviser's deals outside the firm, speculative products for money needed
 * soon, a dodged question about proprietary products or pay, other clients' results or paid reviews as
 * testimonials, cherry-picked, back-tested or gross-only performance, a rollover pitched while the comparison is
 * waved away, trades made before the client was asked and blank forms, borrowing from or lending to a client, an
 * investment kept off the firm's books, valuable gifts and bequests between adviser and client, and changed
 * payment instructions or a payment with two marks of fraud. Built for precision: a rule fires only on a
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
