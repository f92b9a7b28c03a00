import type Anthropic from '@anthropic-ai/sdk';
import { APIConnectionTimeoutError } from '@anthropic-ai/sdk/core/error';
import { zodOutputFormat } from '@anthropic-ai/sdk/helpers/zod';
import type * as z from 'zod';
import type { LlmCall } from '../../core/extraction/llm-call';
import { estimateTokens } from '../../core/extraction/output-estimate';
import { type OutputRepair, repairOutput } from '../../core/extraction/repair-output';
import { issuesFromZod, summariseIssues } from '../../platform/validation-issues';
import type { MessagesClient } from './anthropic-messages';
import { classifyModelError, ModelOutputInvalidError, ModelRefusalError } from './llm-errors';
import { callCostUsd, type TokenCounts } from './model-prices';

/**
 * Above this `max_tokens` the SDK refuses a non-streaming call without an explicit timeout (60 min × max_tokens /
 * 128,000 > 10 min), and a long answer on one idle HTTP response risks a dropped connection: such calls stream.
 */
export const STREAMING_ABOVE_MAX_TOKENS = 21_333;

/** Where a call's tokens are accounted: checked before it is made, recorded as soon as it is answered. */
export interface CallMeter {
  /** Throws (`TokenBudgetExceededError`) when the call's worst case would take the meeting past its budget. */
  reserve(inputEstimate: number, maxTokens: number): void;
  /** `inputEstimate`: what `reserve` was told, to calibrate the next estimates against what was billed. */
  record(call: LlmCall, inputEstimate: number): Promise<void>;
}

/** A meter with no budget that passes each call on (the follow-up writer outside the pipeline). */
export function unmeteredCalls(onCall: (call: LlmCall) => void = () => undefined): CallMeter {
  return { reserve: () => undefined, record: async (call) => onCall(call) };
}

export interface StructuredRequest {
  /** The user turn: one string, or labelled parts as separate text blocks. */
  content: string | Anthropic.TextBlockParam[];
  maxTokens: number;
  purpose: LlmCall['purpose'];
  part?: string;
  /** Less than the client's timeout when the function has less time left. */
  timeoutMs?: number;
}

/** A valid (possibly locally repaired) answer, or the news that it hit `max_tokens`: the caller splits the work. */
export type StructuredOutcome<T> =
  | { kind: 'done'; value: T; repairs: OutputRepair[] }
  | { kind: 'truncated' };

export interface StructuredCallOptions<S extends z.ZodType> {
  client: MessagesClient;
  model: string;
  /** Cached (`cache_control`): the instructions are the same for every call. */
  systemPrompt: string;
  schema: S;
  /** Names the output in errors: "extraction", "follow-up draft". */
  what: string;
  now?: () => number;
}

const contentChars = (content: StructuredRequest['content']) =>
  typeof content === 'string' ? content.length : content.reduce((sum, block) => sum + block.text.length, 0);

/**
 * One structured-output call (`output_config.format`, a JSON schema generated from the zod contract), which works
 * on the current models where a forced tool choice is refused. Before the call its worst case (estimated input
 * plus `max_tokens`) is reserved on the meter; after it the usage and cost are recorded, whatever the answer.
 * Then the stop reason decides: `refusal` throws `ModelRefusalError`; `max_tokens` (or the context window) is
 * returned as `truncated`, never sent again as it was; an answer is parsed and its small slips repaired locally
 * (`repairOutput`). What cannot be repaired throws `ModelOutputInvalidError`, naming issue paths only.
 */
export function structuredCaller<S extends z.ZodType>(options: StructuredCallOptions<S>) {
  const format: Anthropic.JSONOutputFormat = {
    type: 'json_schema',
    schema: zodOutputFormat(options.schema as never).schema,
  };
  const system: Anthropic.TextBlockParam[] = [
    { type: 'text', text: options.systemPrompt, cache_control: { type: 'ephemeral' } },
  ];
  const fixedChars = options.systemPrompt.length + JSON.stringify(format.schema).length;
  const now = options.now ?? Date.now;

  /** The call as recorded: tokens as billed (or the worst case when no answer said), cost at list prices. */
  const record = (request: StructuredRequest, stopReason: string | null, tokens: TokenCounts): LlmCall => ({
    at: new Date(now()).toISOString(),
    purpose: request.purpose,
    ...(request.part ? { part: request.part } : {}),
    model: options.model,
    stopReason,
    maxTokens: request.maxTokens,
    ...tokens,
    costUsd: callCostUsd(options.model, tokens),
  });

  return async (request: StructuredRequest, meter: CallMeter): Promise<StructuredOutcome<z.infer<S>>> => {
    const inputEstimate = estimateTokens(fixedChars + contentChars(request.content));
    meter.reserve(inputEstimate, request.maxTokens);
    const body: Anthropic.MessageCreateParamsNonStreaming = {
      model: options.model,
      max_tokens: request.maxTokens,
      system,
      messages: [{ role: 'user', content: request.content }],
      output_config: { format },
    };
    const callOptions = request.timeoutMs ? { timeoutMs: request.timeoutMs } : {};
    let response: Anthropic.Message;
    try {
      response =
        request.maxTokens > STREAMING_ABOVE_MAX_TOKENS
          ? await options.client.messages.stream(body, callOptions)
          : await options.client.messages.create(body, callOptions);
    } catch (error) {
      // A call that timed out may still be billed, and its answer never says how much: count the worst case.
      if (error instanceof APIConnectionTimeoutError) {
        await meter.record(
          record(request, 'timeout', {
            inputTokens: inputEstimate,
            cacheWriteTokens: 0,
            cacheReadTokens: 0,
            outputTokens: request.maxTokens,
          }),
          inputEstimate,
        );
      }
      throw classifyModelError(error);
    }
    await meter.record(
      record(request, response.stop_reason, {
        inputTokens: response.usage.input_tokens,
        cacheWriteTokens: response.usage.cache_creation_input_tokens ?? 0,
        cacheReadTokens: response.usage.cache_read_input_tokens ?? 0,
        outputTokens: response.usage.output_tokens,
      }),
      inputEstimate,
    );

    if (response.stop_reason === 'refusal') {
      throw new ModelRefusalError(
        `The model declined to produce the ${options.what}${request.part ? ` (part ${request.part})` : ''} (stop_reason refusal).`,
      );
    }
    if (response.stop_reason === 'max_tokens' || response.stop_reason === 'model_context_window_exceeded') {
      return { kind: 'truncated' };
    }
    const text = response.content
      .filter((b): b is Anthropic.TextBlock => b.type === 'text')
      .map((b) => b.text)
      .join('');
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new ModelOutputInvalidError(
        `The model's ${options.what} is not JSON (stop_reason ${response.stop_reason}, ${text.length} characters).`,
      );
    }
    const repaired = repairOutput(options.schema, json);
    if (!repaired.ok) {
      // Issue paths and zod messages only: the model's output is client content and stays out of errors.
      const issues = summariseIssues(
        issuesFromZod({ issues: repaired.issues } as z.ZodError, { root: '(output)' }),
      );
      throw new ModelOutputInvalidError(
        `The model's ${options.what} does not match its schema: ${issues.slice(0, 500)}`,
      );
    }
    return { kind: 'done', value: repaired.value, repairs: repaired.repairs };
  };
}
