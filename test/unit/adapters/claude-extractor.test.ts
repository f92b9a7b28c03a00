import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import Anthropic from '@anthropic-ai/sdk';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  createClaudeExtractor,
  EXTRACTION_TOOL,
  ExtractionFailedError,
} from '../../../functions/adapters/llm/claude-extractor';
import { parseWebVtt } from '../../../functions/core/transcript/parse-webvtt';
import type { Transcript } from '../../../functions/core/transcript/transcript';
import { type FakeReply, startFakeAnthropic } from '../../fakes/anthropic-server';

const GOLDEN = join(import.meta.dirname, '..', '..', '..', '..', 'shared', 'golden');
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

const cite = (index: number) => {
  const text = transcript.utterances[index]?.text ?? '';
  return { utterance_index: index, quote: text.split(' ').slice(0, 8).join(' ') };
};

const validInput = () => ({
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
    body: 'Thank you for meeting.',
    disclaimer: context.firmDisclaimer,
  },
  compliance_flags: [],
});

let fake: Awaited<ReturnType<typeof startFakeAnthropic>> | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function extractorWith(replies: FakeReply[]) {
  fake = await startFakeAnthropic(replies);
  const client = new Anthropic({ apiKey: 'test-key', baseURL: fake.url, maxRetries: 2 });
  return createClaudeExtractor({ client, model: 'claude-sonnet-4-6' });
}

describe('Claude extractor', () => {
  it('makes one forced tool call with a cached system prompt and a schema generated from the contract', async () => {
    const extract = await extractorWith([{ kind: 'tool_use', input: validInput() }]);
    const result = await extract(transcript, context);
    expect(result).toMatchObject({ extractor: 'claude', model: 'claude-sonnet-4-6' });
    expect(result.action_items[0]?.owner).toBe('advisor');
    expect(fake?.requests).toHaveLength(1);
    // biome-ignore lint/suspicious/noExplicitAny: reading a JSON request body in assertions
    const body = fake?.requests[0]?.body as Record<string, any>;
    const headers = fake?.requests[0]?.headers ?? {};
    expect(headers['x-api-key'] ?? headers.authorization).toMatch(/test-key$/);
    expect(body.tool_choice).toEqual({ type: 'tool', name: EXTRACTION_TOOL });
    expect(body.system[0].cache_control).toEqual({ type: 'ephemeral' });
    // Long enough to be cached (the minimum cacheable prefix is ~1,024 tokens, ~4 characters each).
    expect(body.system[0].text.length).toBeGreaterThan(5_000);
    expect(body.tools[0].input_schema.properties).toHaveProperty('action_items');
    expect(body.tools[0].input_schema.properties).toHaveProperty('compliance_flags');
    expect(body.messages[0].content).toContain('#6 ');
  });

  it('repairs an invalid output once, sending the validation issues as an error tool result', async () => {
    const broken = { ...validInput(), action_items: [{ description: 'x' }] };
    const extract = await extractorWith([
      { kind: 'tool_use', input: broken },
      { kind: 'tool_use', input: validInput() },
    ]);
    await expect(extract(transcript, context)).resolves.toMatchObject({ extractor: 'claude' });
    // biome-ignore lint/suspicious/noExplicitAny: reading a JSON request body in assertions
    const second = fake?.requests[1]?.body as Record<string, any>;
    const toolResult = second.messages[2].content[0];
    expect(toolResult).toMatchObject({ type: 'tool_result', is_error: true });
    expect(toolResult.content).toContain('action_items.0');
  });

  it('fails after a second invalid output, with issues but no client content in the message', async () => {
    const broken = { ...validInput(), follow_up_email: { subject: 'Doug Pruitt secret', body: 42 } };
    const extract = await extractorWith([
      { kind: 'tool_use', input: broken },
      { kind: 'tool_use', input: broken },
    ]);
    const error = await extract(transcript, context).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ExtractionFailedError);
    expect((error as Error).message).not.toContain('Doug Pruitt');
  });

  it('fails clearly when the model answers in prose', async () => {
    const extract = await extractorWith([{ kind: 'text', text: 'Here are your notes…' }]);
    await expect(extract(transcript, context)).rejects.toBeInstanceOf(ExtractionFailedError);
  });

  it('honours 429 with Retry-After and a 500, then succeeds (the SDK’s retries)', async () => {
    const extract = await extractorWith([
      { kind: 'error', status: 429, type: 'rate_limit_error', retryAfter: '0' },
      { kind: 'error', status: 500, type: 'api_error' },
      { kind: 'tool_use', input: validInput() },
    ]);
    await expect(extract(transcript, context)).resolves.toMatchObject({ extractor: 'claude' });
    expect(fake?.requests).toHaveLength(3);
  });

  it('merges the lexicon’s flags with the model’s, saying where each came from', async () => {
    const extract = await extractorWith([{ kind: 'tool_use', input: validInput() }]);
    const result = await extract(transcript, context);
    for (const flag of result.compliance_flags) expect(['lexicon', 'model', 'both']).toContain(flag.source);
  });
});

describe('Claude extractor on a transcript past its input budget', () => {
  it('extracts chunk by chunk (indexes kept), merges the overlap away and writes the email once from the merge', async () => {
    fake = await startFakeAnthropic((body) => {
      if ((body.tool_choice as { name: string }).name === 'record_follow_up_email') {
        return {
          kind: 'tool_use',
          input: { subject: 'Recap of our review', body: 'Thank you both.', disclaimer: 'made up' },
        };
      }
      const lines = (body.messages as { content: string }[])[0]?.content.split('\n') ?? [];
      const first = Number(/^#(\d+) /.exec(lines.find((l) => /^#\d+ /.test(l)) ?? '')?.[1]);
      const input = validInput();
      // Every chunk reports the same action item (as overlapping chunks would) and a note of its own.
      input.notes.summary = [{ text: `Part starting at ${first}.`, evidence: [cite(first)] }];
      input.action_items = input.action_items.map((a) => ({ ...a, evidence: [cite(first)] }));
      return { kind: 'tool_use', input };
    });
    const client = new Anthropic({ apiKey: 'test-key', baseURL: fake.url, maxRetries: 0 });
    const extract = createClaudeExtractor({ client, model: 'claude-sonnet-4-6', maxInputTokens: 2_000 });
    const result = await extract(transcript, context);

    const extractionCalls = fake.requests.filter(
      (r) => (r.body.tool_choice as { name: string }).name === EXTRACTION_TOOL,
    );
    expect(extractionCalls.length).toBeGreaterThan(1);
    expect(fake.requests).toHaveLength(extractionCalls.length + 1);
    // Later chunks carry their original utterance numbers, not a restart at #0.
    const firstLines = extractionCalls.map(
      (r) =>
        (r.body.messages as { content: string }[])[0]?.content.split('\n').find((l) => /^#\d+ /.test(l)) ??
        '',
    );
    expect(firstLines[0]).toMatch(/^#0 /);
    expect(firstLines[1]).not.toMatch(/^#0 /);
    expect(result.notes.summary).toHaveLength(extractionCalls.length);
    expect(result.action_items).toHaveLength(1);
    expect(result.follow_up_email).toEqual({
      subject: 'Recap of our review',
      body: 'Thank you both.',
      disclaimer: context.firmDisclaimer,
      flags: [],
    });
  });

  it('takes exactly one call for a meeting within the budget', async () => {
    const extract = await extractorWith([{ kind: 'tool_use', input: validInput() }]);
    await extract(transcript, context);
    expect(fake?.requests).toHaveLength(1);
  });
});
