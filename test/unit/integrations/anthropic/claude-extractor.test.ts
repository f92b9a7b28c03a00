import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { generateTranscript } from '../../../../bench/generate-transcript';
import { ExtractionSchema } from '../../../../functions/core/extraction/extraction-schema';
import {
  ExtractionContinuesError,
  type ExtractionSession,
} from '../../../../functions/core/extraction/extractor';
import type { LlmCall } from '../../../../functions/core/extraction/llm-call';
import { TokenBudgetExceededError } from '../../../../functions/core/extraction/token-budget';
import { parseWebVtt } from '../../../../functions/core/transcript/parse-webvtt';
import type { Transcript } from '../../../../functions/core/transcript/transcript';
import { anthropicMessages } from '../../../../functions/integrations/anthropic/anthropic-messages';
import { createClaudeExtractor } from '../../../../functions/integrations/anthropic/claude-extractor';
import {
  ModelOutputInvalidError,
  ModelRefusalError,
  ModelRequestRejectedError,
  ModelSpendLimitError,
  ModelUnavailableError,
  OutputTruncatedError,
} from '../../../../functions/integrations/anthropic/llm-errors';
import { STREAMING_ABOVE_MAX_TOKENS } from '../../../../functions/integrations/anthropic/structured-call';
import { configuredExtractor } from '../../../../functions/integrations/configured-extractor';
import { type FakeReply, startFakeAnthropic } from '../../../fakes/anthropic-server';
import {
  asksForDraft,
  claudeLikeReply,
  extractionAnswer,
  promptLines,
  userText,
} from '../../../fakes/claude-responder';

const GOLDEN = join(import.meta.dirname, '..', '..', '..', '..', '..', 'shared', 'golden');
const MODEL = 'claude-sonnet-5-5';
let transcript: Transcript;
const context = {
  meetingDate: '2026-01-20',
  advisorName: 'Renata Okafor',
  clients: ['Doug Pruitt', 'Melanie Pruitt'],
  firmDisclaimer: 'Advisory services offered through Example RIA.',
};

beforeAll(async () => {
  transcript = parseWebVtt(await readFile(join(GOLDEN, 'meeting-01.vtt'), 'utf8'));
});

const synthetic = (minutes: number) => parseWebVtt(generateTranscript(11, minutes * 60).vtt);

const cite = (index: number, words = 8) => {
  const text = transcript.utterances[index]?.text ?? '';
  return { utterance_index: index, quote: text.split(' ').slice(0, words).join(' ') };
};

const validOutput = () => ({
  notes: {
    summary: [{ text: 'Annual review with the Pruitts.', evidence: [cite(6)] }],
    financial_situation: [],
    goals_and_concerns: [],
    recommendations: [],
    next_steps: [],
  },
  action_items: [
    {
      description: 'Call the custodian about the fee.',
      owner: 'advisor',
      due_date: '2026-01-23',
      priority: 'high',
      evidence: [cite(6)],
    },
  ],
  client_facts: [],
  follow_up_email: {
    subject: 'Our review',
    body: 'Thank you for meeting.\n\nIMPORTANT DISCLOSURES: advice the model made up.',
  },
  compliance_flags: [],
});

/** A pipeline-like session in memory: saved progress, recorded calls, tokens spent before. */
function session(options: { spent?: number; remainingMs?: () => number } = {}) {
  const calls: LlmCall[] = [];
  let progress: unknown;
  const value: ExtractionSession = {
    tokensSpent: options.spent ?? 0,
    loadProgress: async () => progress,
    saveProgress: async (next) => {
      progress = structuredClone(next);
    },
    recordCall: async (call) => void calls.push(call),
    ...(options.remainingMs ? { remainingMs: options.remainingMs } : {}),
  };
  return { value, calls, progress: () => progress };
}

let fake: Awaited<ReturnType<typeof startFakeAnthropic>> | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

/** The extractor as the pipeline builds it (`configuredExtractor`: no SDK retries), against the fake. */
async function extractorWith(
  replies: FakeReply[] | ((body: Record<string, unknown>) => FakeReply),
  tokenBudget = 400_000,
) {
  fake = await startFakeAnthropic(replies);
  return configuredExtractor({
    anthropic: { apiKey: 'sk-ant-test-0123456789abcdef', model: MODEL, baseUrl: fake.url, tokenBudget },
  }).extractor;
}

// biome-ignore lint/suspicious/noExplicitAny: reading JSON request bodies in assertions
const bodies = () => (fake?.requests ?? []).map((r) => r.body as Record<string, any>);

describe('Claude extractor: one structured-output call', () => {
  it('asks for the schema through output_config.format on the current Sonnet, with a cached system prompt', async () => {
    const extract = await extractorWith([{ kind: 'json', output: validOutput() }]);
    const result = await extract(transcript, context);
    expect(result).toMatchObject({ extractor: 'claude', model: MODEL });
    const [body] = bodies();
    expect(body?.output_config.format.type).toBe('json_schema');
    expect(body?.output_config.format.schema.properties).toHaveProperty('action_items');
    expect(body?.output_config.format.schema.properties).toHaveProperty('follow_up_email');
    expect(body).not.toHaveProperty('tool_choice');
    expect(body).not.toHaveProperty('tools');
    expect(body?.system[0].cache_control).toEqual({ type: 'ephemeral' });
    expect(body?.stream).toBeUndefined();
    expect(userText(body ?? {})).toContain('#6 ');
  });

  it('fences the transcript as data, asks for no disclaimer, and keeps the firm’s text whatever the model wrote', async () => {
    const extract = await extractorWith([{ kind: 'json', output: validOutput() }]);
    const result = await extract(transcript, context);
    const [body] = bodies();
    const text = userText(body ?? {});
    expect(text).toContain('<meeting_context>');
    expect(text).toContain('<transcript>');
    expect(text).not.toContain(context.firmDisclaimer);
    expect(body?.output_config.format.schema.properties.follow_up_email.properties).not.toHaveProperty(
      'disclaimer',
    );
    expect(result.follow_up_email).toEqual({
      subject: 'Our review',
      body: 'Thank you for meeting.',
      disclaimer: context.firmDisclaimer,
      flags: [],
    });
  });

  it.each([
    ['no flags', [], [['complaint', 'lexicon', [28, 30]]]],
    [
      'a flag the lexicon has not',
      ['guarantee_or_promissory@6'],
      [
        ['guarantee_or_promissory', 'model', [6]],
        ['complaint', 'lexicon', [28, 30]],
      ],
    ],
    [
      'the lexicon’s complaint and one more',
      ['complaint@28', 'guarantee_or_promissory@6'],
      [
        ['complaint', 'both', [28]],
        ['guarantee_or_promissory', 'model', [6]],
      ],
    ],
  ] as const)(
    'keeps every flag when the model reports %s: the model’s, the lexicon’s, and one for both',
    async (_name, reported, expected) => {
      // The lexicon finds one complaint in this meeting (utterances 28 and 30); the model's flags come on top.
      const output = {
        ...validOutput(),
        compliance_flags: reported.map((flag) => {
          const [rule, index] = flag.split('@');
          return {
            rule,
            severity: 'medium',
            speaker: 'Melanie Pruitt',
            explanation: 'Said in the meeting; the compliance officer should look at it.',
            evidence: [cite(Number(index))],
          };
        }),
      };
      const extract = await extractorWith([{ kind: 'json', output }]);
      const result = await extract(transcript, context);
      expect(result.compliance_flags).toHaveLength(expected.length);
      expect(
        result.compliance_flags.map((f) => [f.rule, f.source, f.evidence.map((e) => e.utterance_index)]),
      ).toEqual(expected);
    },
  );

  it('sizes max_tokens to the transcript: the floor for a short meeting, more for a long one, streamed past the SDK limit', async () => {
    const extract = await extractorWith((body) => ({ kind: 'json', output: extractionAnswer(body) }));
    await extract(transcript, context);
    const short = bodies()[0]?.max_tokens as number;
    expect(short).toBe(8_000);
    await extract(synthetic(74), context);
    const long = bodies()[1];
    expect(long?.max_tokens).toBeGreaterThan(STREAMING_ABOVE_MAX_TOKENS);
    expect(long?.max_tokens).toBeLessThanOrEqual(128_000);
    expect(long?.stream).toBe(true);
    expect(bodies()).toHaveLength(2);
  });

  it('records each call’s tokens and cost in the session before returning', async () => {
    const extract = await extractorWith([
      {
        kind: 'json',
        output: validOutput(),
        usage: {
          input_tokens: 4000,
          output_tokens: 3000,
          cache_read_input_tokens: 2000,
          cache_creation_input_tokens: 0,
        },
      },
    ]);
    const s = session();
    await extract(transcript, context, s.value);
    expect(s.calls).toEqual([
      expect.objectContaining({
        purpose: 'extraction',
        model: MODEL,
        stopReason: 'end_turn',
        inputTokens: 4000,
        cacheReadTokens: 2000,
        cacheWriteTokens: 0,
        outputTokens: 3000,
        // 4000 × $2 + 2000 × $0.20 + 3000 × $10, per million
        costUsd: 0.0384,
      }),
    ]);
  });

  it('repairs small slips locally without asking again: a 21st note, a role in capitals, a 45-word quote', async () => {
    const output = validOutput();
    output.notes.summary = Array.from({ length: 21 }, () => ({ text: 'A point.', evidence: [cite(6)] }));
    const long = `${'word '.repeat(45).trim()}`;
    output.action_items = [
      { ...output.action_items[0], owner: 'Advisor', evidence: [{ utterance_index: 6, quote: long }] },
    ] as never;
    const extract = await extractorWith([{ kind: 'json', output }]);
    const result = await extract(transcript, context);
    expect(bodies()).toHaveLength(1);
    expect(result.notes.summary).toHaveLength(20);
    expect(result.action_items[0]?.owner).toBe('advisor');
    expect(result.action_items[0]?.evidence[0]?.quote.split(' ')).toHaveLength(40);
  });

  it('fails with ModelOutputInvalidError when the answer is beyond repair, naming paths but no content', async () => {
    const { notes: _gone, ...rest } = validOutput();
    const extract = await extractorWith([
      { kind: 'json', output: { ...rest, follow_up_email: { subject: 'Doug Pruitt secret', body: 42 } } },
    ]);
    const error = await extract(transcript, context).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelOutputInvalidError);
    expect((error as Error).message).toContain('notes');
    expect((error as Error).message).not.toContain('Doug Pruitt');
    expect(bodies()).toHaveLength(1);
  });

  it('fails with ModelRefusalError on stop_reason refusal, asking once', async () => {
    const extract = await extractorWith([{ kind: 'refusal' }, { kind: 'json', output: validOutput() }]);
    await expect(extract(transcript, context)).rejects.toBeInstanceOf(ModelRefusalError);
    expect(bodies()).toHaveLength(1);
  });

  it('never repeats a request that hit max_tokens: the meeting is halved, merged and its email written once', async () => {
    let first = true;
    const extract = await extractorWith((body) => {
      if (first) {
        first = false;
        return { kind: 'max_tokens' };
      }
      if (asksForDraft(body)) return claudeLikeReply(body);
      // Each part also records a note citing words nobody said: kept, but never shown to the writer.
      const answer = extractionAnswer(body) as { notes: { summary: unknown[] } };
      const line = promptLines(body)[1];
      answer.notes.summary.push({
        text: 'An unsupported note.',
        evidence: [{ utterance_index: line?.index ?? 0, quote: 'words that nobody ever said here' }],
      });
      return { kind: 'json', output: answer };
    });
    const result = await extract(transcript, context);
    const sent = bodies();
    expect(sent).toHaveLength(4);
    expect(new Set(sent.map((b) => JSON.stringify(b))).size).toBe(4);
    expect(userText(sent[1] ?? {})).toContain('part 1 of 2');
    expect(userText(sent[2] ?? {})).toContain('part 2 of 2');
    // Each part is the fenced extraction message plus its position as a separate text block.
    expect(sent[1]?.messages[0].content).toHaveLength(2);
    expect(sent[1]?.messages[0].content[0].text).toContain('<transcript>');
    expect(sent[1]?.messages[0].content[1].text).toMatch(/^<part_of_meeting>/);
    // Later parts carry their original utterance numbers, not a restart at #0.
    expect(promptLines(sent[1] ?? {})[0]?.index).toBe(0);
    expect(promptLines(sent[2] ?? {})[0]?.index).toBeGreaterThan(0);
    expect(sent[1]?.output_config.format.schema.properties).not.toHaveProperty('follow_up_email');
    expect(asksForDraft(sent[3] ?? {})).toBe(true);
    // The writer gets the merged record fenced as data, never the disclaimer; the firm's text is set by code.
    expect(userText(sent[3] ?? {})).toContain('<meeting_record>');
    expect(result.notes.summary.map((n) => n.text)).toContain('An unsupported note.');
    expect(userText(sent[3] ?? {})).not.toContain('An unsupported note.');
    expect(userText(sent[3] ?? {})).toContain('Discussed at #');
    expect(userText(sent[3] ?? {})).not.toContain(context.firmDisclaimer);
    expect(sent[3]?.output_config.format.schema.properties).not.toHaveProperty('disclaimer');
    expect(result.follow_up_email).toEqual({
      subject: 'Recap of our review',
      body: 'Thank you both for your time today.',
      disclaimer: context.firmDisclaimer,
      flags: [],
    });
  });

  it('fails with OutputTruncatedError when the halves keep truncating, after a bounded number of calls', async () => {
    const extract = await extractorWith(() => ({ kind: 'max_tokens' }));
    await expect(extract(transcript, context)).rejects.toBeInstanceOf(OutputTruncatedError);
    // 1 + 2 + 4 + 8 calls at most (three halvings), never the same request twice.
    expect(bodies().length).toBeLessThanOrEqual(15);
    expect(new Set(bodies().map((b) => JSON.stringify(b))).size).toBe(bodies().length);
  });

  it.each([
    [
      { kind: 'error', status: 429, type: 'rate_limit_error', errorCode: 'enforced_spend_limit_reached' },
      ModelSpendLimitError,
    ],
    [{ kind: 'error', status: 429, type: 'rate_limit_error', retryAfter: '0' }, ModelUnavailableError],
    [{ kind: 'error', status: 529, type: 'overloaded_error' }, ModelUnavailableError],
    [{ kind: 'error', status: 500, type: 'api_error' }, ModelUnavailableError],
    [{ kind: 'error', status: 400, type: 'invalid_request_error' }, ModelRequestRejectedError],
  ] as const)(
    'turns %o into %o after one request: the SDK does not retry, the state machine decides',
    async (reply, type) => {
      const extract = await extractorWith([reply as FakeReply, { kind: 'json', output: validOutput() }]);
      await expect(extract(transcript, context)).rejects.toBeInstanceOf(type);
      expect(bodies()).toHaveLength(1);
    },
  );

  it('refuses to start a call whose worst case would pass the token budget, sending nothing', async () => {
    const extract = await extractorWith([{ kind: 'json', output: validOutput() }], 10_000);
    const error = await extract(transcript, context).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TokenBudgetExceededError);
    expect((error as Error).message).toMatch(/budget of 10000/);
    expect(bodies()).toHaveLength(0);
  });

  it('counts the tokens earlier attempts spent against the budget', async () => {
    const extract = await extractorWith([{ kind: 'json', output: validOutput() }], 40_000);
    await expect(extract(transcript, context, session({ spent: 30_000 }).value)).rejects.toBeInstanceOf(
      TokenBudgetExceededError,
    );
    await expect(extract(transcript, context, session({ spent: 0 }).value)).resolves.toBeDefined();
    expect(bodies()).toHaveLength(1);
  });

  it('is refused by the API (400) with a forced tool choice on Sonnet 5.5, which is why it uses structured outputs', async () => {
    fake = await startFakeAnthropic([{ kind: 'json', output: {} }]);
    const client = rawClient(5_000);
    const error = await client.messages
      .create({
        model: MODEL,
        max_tokens: 100,
        messages: [{ role: 'user', content: 'hi' }],
        tools: [{ name: 't', input_schema: { type: 'object' } }],
        tool_choice: { type: 'tool', name: 't' },
      })
      .catch((e: unknown) => e);
    expect((error as { status?: number }).status).toBe(400);
  });
});

describe('Claude extractor: a long meeting in parts', () => {
  it.each([120, 240])(
    'extracts a %i-minute meeting in parts, no duplicates, within the schema, one email',
    async (minutes) => {
      const extract = await extractorWith(claudeLikeReply);
      const meeting = synthetic(minutes);
      const s = session();
      const result = await extract(meeting, context, s.value);
      const parts = bodies().filter((b) => !asksForDraft(b));
      const drafts = bodies().filter(asksForDraft);
      expect(parts.length).toBeGreaterThanOrEqual(minutes === 120 ? 2 : 4);
      expect(drafts).toHaveLength(1);
      parts.forEach((body, i) => {
        expect(userText(body)).toContain(`part ${i + 1} of ${parts.length}`);
        expect(body.max_tokens).toBeLessThanOrEqual(STREAMING_ABOVE_MAX_TOKENS);
      });
      expect(() => ExtractionSchema.parse(result)).not.toThrow();
      // Items the overlap produced twice are there once: one action item per cited utterance, one fact, one flag.
      const key = (item: { evidence: { utterance_index: number }[] }) => item.evidence[0]?.utterance_index;
      for (const list of [result.action_items, result.client_facts, result.compliance_flags]) {
        expect(new Set(list.map(key)).size).toBe(list.length);
      }
      for (const notes of Object.values(result.notes)) expect(notes.length).toBeLessThanOrEqual(20);
      // Every commitment the responder saw is kept: the merge dropped duplicates, not items.
      const committed = meeting.utterances.filter((u) => /\b(I'll|we'll|let me)\b/i.test(u.text)).length;
      expect(result.action_items).toHaveLength(Math.min(committed, 100));
      expect(result.follow_up_email.disclaimer).toBe(context.firmDisclaimer);
      expect(s.calls.map((c) => c.purpose)).toEqual([...parts.map(() => 'extraction_part'), 'follow_up']);
    },
  );

  it('resumes after a failure from the saved parts, asking only for the parts not done', async () => {
    let failAtThird = true;
    const extract = await extractorWith((body) => {
      const partsSoFar = bodies().filter((b) => !asksForDraft(b)).length;
      if (failAtThird && partsSoFar === 3) {
        failAtThird = false;
        return { kind: 'error', status: 529, type: 'overloaded_error' };
      }
      return claudeLikeReply(body);
    });
    const meeting = synthetic(240);
    const s = session();
    await expect(extract(meeting, context, s.value)).rejects.toBeInstanceOf(ModelUnavailableError);
    const before = bodies().length;
    const result = await extract(meeting, context, s.value);
    const retried = bodies().slice(before);
    // The third part again (it failed), then the rest; parts 1 and 2 come from the saved progress.
    expect(userText(retried[0] ?? {})).toContain('part 3 of');
    expect(retried.filter((b) => userText(b).includes('part 1 of'))).toHaveLength(0);
    expect(result.extractor).toBe('claude');
  });

  it('pauses with ExtractionContinuesError when the function has no time for the next part, and resumes', async () => {
    const extract = await extractorWith(claudeLikeReply);
    const meeting = synthetic(240);
    let remaining = 900_000;
    const s = session({ remainingMs: () => remaining });
    const pausing = extract(meeting, context, {
      ...s.value,
      recordCall: async (call) => {
        await s.value.recordCall(call);
        remaining = 60_000;
      },
    });
    await expect(pausing).rejects.toBeInstanceOf(ExtractionContinuesError);
    expect(bodies()).toHaveLength(1);
    remaining = 10_000_000;
    const result = await extract(meeting, context, s.value);
    expect(result.extractor).toBe('claude');
    expect(bodies().filter((b) => userText(b).includes('part 1 of'))).toHaveLength(1);
  });
});

/** The client as `configuredExtractor` builds it, for the extractor built by hand. */
function rawClient(timeoutMs: number) {
  const client = anthropicMessages(
    {
      anthropic: { apiKey: 'sk-ant-test-0123456789abcdef', model: MODEL, baseUrl: fake?.url, tokenBudget: 1 },
    },
    { timeoutMs, maxRetries: 0 },
  );
  if (!client) throw new Error('no client');
  return client;
}

describe('createClaudeExtractor', () => {
  it('counts a call that timed out at its worst case against the budget: it may have been billed', async () => {
    fake = await startFakeAnthropic([{ kind: 'hang' }]);
    const client = rawClient(300);
    const extract = createClaudeExtractor({ client, model: MODEL, tokenBudget: 100_000 });
    const s = session();
    await expect(extract(transcript, context, s.value)).rejects.toBeInstanceOf(ModelUnavailableError);
    expect(s.calls).toEqual([expect.objectContaining({ stopReason: 'timeout', outputTokens: 8_000 })]);
    expect(s.calls[0]?.inputTokens).toBeGreaterThan(1_000);
  });

  it('works without a session (tests, the evaluation CLI), keeping progress in memory', async () => {
    fake = await startFakeAnthropic([{ kind: 'json', output: validOutput() }]);
    const client = rawClient(5_000);
    const extract = createClaudeExtractor({ client, model: MODEL, tokenBudget: 100_000 });
    await expect(extract(transcript, context)).resolves.toMatchObject({ extractor: 'claude' });
  });
});
