/**
 * Deterministic synthetic meeting transcripts for benchmarks: WebVTT in the golden set's shape (numbered cues,
 * `<v Name (Advisor)>` voice tags, occasional cross-talk), built from sentence templates so long meetings read
 * like advisor/client conversation — small talk, numbers, commitments with due dates, the odd compliance-ish
 * phrase. The same seed always gives the same file.
 */

export interface GeneratedMeeting {
  vtt: string;
  advisor: string;
  clients: string[];
  meetingDate: string;
  durationSeconds: number;
  cues: number;
}

/** mulberry32: small, fast and deterministic. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ADVISORS = ['Renata Okafor', 'Daniel Whitcomb', 'Priya Raman', 'Marcus Bell', 'Helen Ostrowski'];
const FIRST = ['Doug', 'Melanie', 'Aaron', 'Grace', 'Tomás', 'Lydia', 'Victor', 'Nadia', 'Sam', 'Irene'];
const LAST = ['Pruitt', 'Castellano', 'Nguyen', 'Harlow', 'Brandt', 'Ferreira', 'Lindqvist', 'Adeyemi'];
const ACCOUNTS = [
  'the Roth',
  'the joint brokerage',
  'the 401(k)',
  'the rollover IRA',
  'the 529 plan',
  'the HSA',
];
const TOPICS = [
  'retirement income',
  'the house sale',
  'college funding',
  'the estate plan',
  'taxes this year',
];
const DAYS = ['Friday', 'Monday', 'next Tuesday', 'the end of the month', 'next week', 'the fifteenth'];
const THINGS = [
  'the updated projection',
  'the beneficiary forms',
  'a summary of fees',
  'the rollover paperwork',
];

const ADVISOR_LINES = [
  'Okay, so let me pull up {account} while we talk about {topic}.',
  "I'll send you {thing} by {day}.",
  'Right now {account} is sitting at about {dollars}, give or take.',
  "Let's talk about {topic} — where is your head at on that?",
  "I'll follow up with {thing} by {day}, and we can go from there.",
  'So, um, the allocation there is roughly {pct} percent equities.',
  'We could move part of {account} into something more conservative, if that helps you sleep.',
  'That one is basically a sure thing, you really cannot lose on it.',
  'Historically that kind of portfolio has returned around {pct} percent, but no promises, okay?',
  'Let me make a note of that so we do not lose it.',
];
const CLIENT_LINES = [
  'Yeah, that makes sense. We were talking about {topic} just last night.',
  "We'll get you {thing} by {day}.",
  'I think we have about {dollars} in {account}, maybe a little more.',
  'Honestly I do not really understand how {account} works.',
  'Sorry — the dog again. Okay, go on.',
  'Our daughter starts school next fall, so {topic} is on our minds.',
  "I'll call the bank about {account} by {day}.",
  'Is that going to change our taxes a lot?',
  'Mm-hm. Okay. Yeah.',
  'We spend maybe {pct} hundred a month on groceries, if that matters.',
];

const timestamp = (seconds: number) => {
  const ms = Math.round(seconds * 1000);
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = Math.floor((ms % 60_000) / 1000);
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${pad(h)}:${pad(m)}:${pad(s)}.${pad(ms % 1000, 3)}`;
};

/** A meeting of `durationSeconds` (cue timings up to it), speakers and wording chosen by `seed`. */
export function generateTranscript(seed: number, durationSeconds: number): GeneratedMeeting {
  const random = prng(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const advisor = pick(ADVISORS);
  const family = pick(LAST);
  const clients = [`${pick(FIRST)} ${family}`];
  if (random() < 0.5) clients.push(`${pick(FIRST.filter((f) => !clients[0]?.startsWith(f)))} ${family}`);
  const month = 1 + Math.floor(random() * 12);
  const meetingDate = `2026-${String(month).padStart(2, '0')}-${String(1 + Math.floor(random() * 28)).padStart(2, '0')}`;

  const fill = (template: string) =>
    template
      .replace('{account}', pick(ACCOUNTS))
      .replace('{topic}', pick(TOPICS))
      .replace('{thing}', pick(THINGS))
      .replace('{day}', pick(DAYS))
      .replace(
        '{dollars}',
        () => `$${Math.floor(20 + random() * 900)},${String(Math.floor(random() * 1000)).padStart(3, '0')}`,
      )
      .replace('{pct}', String(Math.floor(3 + random() * 60)));

  const lines = ['WEBVTT', ''];
  let at = 2 + random() * 3;
  let cue = 0;
  while (at < durationSeconds - 1) {
    const advisorSpeaks = random() < 0.5;
    const speaker = advisorSpeaks ? `${advisor} (Advisor)` : pick(clients);
    const sentences = 1 + Math.floor(random() * 2);
    const pool = advisorSpeaks ? ADVISOR_LINES : CLIENT_LINES;
    const first = pick(pool);
    const second = sentences > 1 ? pick(pool.filter((line) => line !== first)) : undefined;
    const text = [first, second]
      .filter((line) => line !== undefined)
      .map(fill)
      .join(' ');
    const length = Math.min(2 + text.length / 15 + random() * 2, durationSeconds - at);
    cue += 1;
    lines.push(String(cue), `${timestamp(at)} --> ${timestamp(at + length)}`, `<v ${speaker}>${text}`, '');
    // Mostly a pause before the next cue; sometimes cross-talk (the next cue starts before this one ends).
    at += random() < 0.1 ? length * 0.7 : length + 0.3 + random() * 1.5;
  }
  return { vtt: lines.join('\n'), advisor, clients, meetingDate, durationSeconds, cues: cue };
}
