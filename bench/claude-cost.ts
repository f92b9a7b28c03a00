import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ExtractionSession } from '../functions/core/extraction/extractor';
import { billedTokens, type LlmCall } from '../functions/core/extraction/llm-call';
import { expectedOutputTokens } from '../functions/core/extraction/output-estimate';
import { planChunks } from '../functions/core/extraction/transcript-chunks';
import { parseWebVtt } from '../functions/core/transcript/parse-webvtt';
import type { Transcript } from '../functions/core/transcript/transcript';
import { anthropicMessages } from '../functions/integrations/anthropic/anthropic-messages';
import { createClaudeExtractor } from '../functions/integrations/anthropic/claude-extractor';
import { EXTRACTION_SYSTEM_PROMPT } from '../functions/integrations/anthropic/extraction-prompt';
import { FOLLOW_UP_SYSTEM_PROMPT } from '../functions/integrations/anthropic/follow-up-prompt';
import { callCostUsd, modelPrice } from '../functions/integrations/anthropic/model-prices';
import { startFakeAnthropic } from '../test/fakes/anthropic-server';
import { asksForDraft, claudeLikeReply, promptLines, userText } from '../test/fakes/claude-responder';
import { generateTranscript } from './generate-transcript';

/**
 * Estimated tokens and cost per meeting on the real extraction path: the production extractor (plan, parts,
 * caps, budget checks, the follow-up call of a long meeting) against the fake Messages API, which bills each
 * request as the API would bill a careful answer — input at 4 characters a token (English prose; the budget
 * itself counts 3), the system prompt as a cache read after the first meeting (a cache write on the first), and
 * the calibrated expected output (`expectedOutputTokens`, the upper figure: 9–15k tokens an hour) as output.
 * Figures are estimates at list prices; nothing here calls Anthropic.
 */

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const GOLDEN = join(ROOT, '..', 'shared', 'golden');
const TYPICAL_CHARS_PER_TOKEN = 4;
const DRAFT_OUTPUT_TOKENS = 700;
export const COST_TARGET_60_MIN_USD = 0.35;

export interface MeetingCost {
  name: string;
  minutes: number;
  calls: number;
  parts: number;
  input: number;
  cacheWrite: number;
  cacheRead: number;
  output: number;
  costUsd: number;
  /** The most the meeting could have been billed: every call's reserved worst case (input + max_tokens). */
  worstCaseTokens: number;
  worstCaseUsd: number;
}

export interface CostFigures {
  model: string;
  budget: number;
  /** What the budget costs if every token of it were output, the dearest kind: no meeting can cost more. */
  budgetCeilingUsd: number;
  meetings: MeetingCost[];
}

const tokens = (chars: number) => Math.ceil(chars / TYPICAL_CHARS_PER_TOKEN);

async function meetings(): Promise<{ name: string; minutes: number; transcript: Transcript }[]> {
  const list: { name: string; minutes: number; transcript: Transcript }[] = [];
  for (let i = 1; i <= 6; i += 1) {
    const transcript = parseWebVtt(await readFile(join(GOLDEN, `meeting-0${i}.vtt`), 'utf8'));
    list.push({ name: `golden meeting-0${i}`, minutes: transcript.durationMs / 60_000, transcript });
  }
  for (const minutes of [60, 120, 240]) {
    const transcript = parseWebVtt(generateTranscript(4000 + minutes, minutes * 60).vtt);
    list.push({ name: `synthetic ${minutes} min`, minutes, transcript });
  }
  return list;
}

/** Bills like the API: what was sent as input (system cached after the first call), the expected answer as output. */
function billing(cached: Set<string>) {
  return (body: Record<string, unknown>) => {
    const system = ((body.system as { text: string }[] | undefined) ?? []).map((b) => b.text).join('');
    const schema = JSON.stringify((body.output_config as { format?: unknown } | undefined)?.format ?? '');
    const draft = asksForDraft(body);
    const lines = promptLines(body);
    const spoken = lines.reduce((sum, l) => sum + l.text.length + l.speaker.length + 16, 0);
    const expected = draft ? DRAFT_OUTPUT_TOKENS : expectedOutputTokens(spoken);
    const systemTokens = tokens(system.length);
    const hit = cached.has(system);
    cached.add(system);
    return {
      ...claudeLikeReply(body),
      usage: {
        input_tokens: tokens(userText(body).length + schema.length),
        cache_creation_input_tokens: hit ? 0 : systemTokens,
        cache_read_input_tokens: hit ? systemTokens : 0,
        output_tokens: Math.min(expected, Number(body.max_tokens)),
      },
    } as ReturnType<typeof claudeLikeReply>;
  };
}

/** Every meeting of the golden set and the 60/120/240-minute synthetic ones through the extractor. */
export async function claudeCostFigures(model = 'claude-sonnet-5-5', budget = 400_000): Promise<CostFigures> {
  const cached = new Set<string>([EXTRACTION_SYSTEM_PROMPT, FOLLOW_UP_SYSTEM_PROMPT]);
  const fake = await startFakeAnthropic(billing(cached));
  try {
    const client = anthropicMessages(
      {
        anthropic: { apiKey: 'sk-ant-bench-0123456789abcdef', model, baseUrl: fake.url, tokenBudget: budget },
      },
      { timeoutMs: 30_000, maxRetries: 0 },
    );
    if (!client) throw new Error('no client');
    const extract = createClaudeExtractor({ client, model, tokenBudget: budget });
    const results: MeetingCost[] = [];
    for (const meeting of await meetings()) {
      const calls: LlmCall[] = [];
      let progress: unknown;
      const session: ExtractionSession = {
        tokensSpent: 0,
        loadProgress: async () => progress,
        saveProgress: async (next) => {
          progress = next;
        },
        recordCall: async (call) => void calls.push(call),
      };
      const before = fake.requests.length;
      await extract(
        meeting.transcript,
        {
          meetingDate: '2026-03-02',
          advisorName: 'Renata Okafor',
          clients: ['Doug Pruitt'],
          firmDisclaimer: 'Not advice.',
        },
        session,
      );
      const sent = fake.requests.slice(before);
      const sum = (pick: (c: LlmCall) => number) => calls.reduce((s, c) => s + pick(c), 0);
      const worstCaseTokens = sent.reduce(
        (s, r) => s + Math.ceil(JSON.stringify(r.body).length / 3) + Number(r.body.max_tokens),
        0,
      );
      const price = modelPrice(model);
      results.push({
        name: meeting.name,
        minutes: meeting.minutes,
        calls: calls.length,
        parts: planChunks(meeting.transcript).length,
        input: sum((c) => c.inputTokens),
        cacheWrite: sum((c) => c.cacheWriteTokens),
        cacheRead: sum((c) => c.cacheReadTokens),
        output: sum((c) => c.outputTokens),
        costUsd: sum((c) => c.costUsd),
        worstCaseTokens,
        worstCaseUsd: (worstCaseTokens * price.output) / 1_000_000,
      });
      // Every call's billed tokens stayed inside the budget (checked before each call by the extractor).
      if (sum(billedTokens) > budget) throw new Error(`${meeting.name} passed the budget`);
    }
    return {
      model,
      budget,
      budgetCeilingUsd: callCostUsd(model, {
        inputTokens: 0,
        cacheWriteTokens: 0,
        cacheReadTokens: 0,
        outputTokens: budget,
      }),
      meetings: results,
    };
  } finally {
    await fake.close();
  }
}

/** The figures as the table `npm run bench:pipeline` prints. */
export function costTable(figures: CostFigures): string[][] {
  return [
    ['meeting', 'min', 'parts', 'calls', 'input', 'cache w', 'cache r', 'output', 'cost', 'worst case', ''],
    ...figures.meetings.map((m) => [
      m.name,
      m.minutes.toFixed(0),
      String(m.parts),
      String(m.calls),
      String(m.input),
      String(m.cacheWrite),
      String(m.cacheRead),
      String(m.output),
      `$${m.costUsd.toFixed(3)}`,
      `${m.worstCaseTokens} tok ≤ $${m.worstCaseUsd.toFixed(2)}`,
      m.name.includes('60 min')
        ? m.costUsd <= COST_TARGET_60_MIN_USD
          ? `ok (≤ $${COST_TARGET_60_MIN_USD})`
          : 'OVER'
        : '',
    ]),
  ];
}
