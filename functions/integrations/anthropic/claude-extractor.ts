import type Anthropic from '@anthropic-ai/sdk';
import { scanCompliance } from '../../core/extraction/compliance-lexicon';
import { resumeProgress } from '../../core/extraction/extraction-progress';
import {
  EXTRACTION_LIMITS,
  type Extraction,
  type ExtractionContext,
  ExtractionSchema,
  type ModelExtraction,
  ModelExtractionSchema,
} from '../../core/extraction/extraction-schema';
import {
  ExtractionContinuesError,
  type ExtractionSession,
  type Extractor,
} from '../../core/extraction/extractor';
import { firmFollowUpEmail } from '../../core/extraction/firm-follow-up-email';
import { billedTokens } from '../../core/extraction/llm-call';
import {
  type ChunkExtraction,
  ChunkExtractionSchema,
  mergeChunkExtractions,
} from '../../core/extraction/merge-extractions';
import { capFlags, mergeFlags } from '../../core/extraction/merge-flags';
import { outputCap, transcriptChars } from '../../core/extraction/output-estimate';
import { TokenBudget } from '../../core/extraction/token-budget';
import {
  chunkKey,
  halveChunk,
  planChunks,
  type TranscriptChunk,
} from '../../core/extraction/transcript-chunks';
import { verifiedContent } from '../../core/extraction/verify-evidence';
import type { MessagesClient } from './anthropic-messages';
import { chunkPositionNote } from './chunk-position-prompt';
import { FOLLOW_UP_MAX_TOKENS, followUpDraftCaller } from './claude-follow-up-writer';
import { EXTRACTION_SYSTEM_PROMPT, extractionUserMessage } from './extraction-prompt';
import { OutputTruncatedError } from './llm-errors';
import { modelPrice } from './model-prices';
import { type CallMeter, type StructuredRequest, structuredCaller } from './structured-call';

/** How often a part whose answer hit `max_tokens` may be halved again before the meeting fails. */
export const MAX_SPLIT_DEPTH = 3;
/**
 * A slow model's output rate, for deciding whether a call still fits the function's remaining time; with the
 * margin below, a call is never started that the function's timeout could cut off mid-answer.
 */
const OUTPUT_TOKENS_PER_SECOND = 40;
const DEADLINE_MARGIN_MS = 15_000;

export interface ClaudeExtractorOptions {
  client: MessagesClient;
  model: string;
  /** Billed tokens one meeting may use over all its calls and attempts (`EXTRACTION_TOKEN_BUDGET`). */
  tokenBudget: number;
  /** The client's own timeout; a call gets less when the function has less time left. */
  timeoutMs?: number;
  now?: () => number;
}

/** A session kept in memory: for callers outside the pipeline (tests, the evaluation CLI). */
function memorySession(): ExtractionSession {
  let progress: unknown;
  return {
    tokensSpent: 0,
    loadProgress: async () => progress,
    saveProgress: async (next) => {
      progress = structuredClone(next);
    },
    recordCall: async () => undefined,
  };
}

/**
 * Extraction with Claude through structured outputs: the instructions in a cached system block, the answer a
 * JSON document validated with zod (small slips repaired locally). The output cap follows the transcript. A
 * meeting whose expected output fits one call takes one call; a longer one is extracted in parts of about 45–55
 * minutes (each told its position, with overlap), merged, and its follow-up email written once from the merge.
 * An answer that hits `max_tokens` is never asked again as it was: its part is halved. Every part's result is
 * saved as it arrives, so a retry resumes; every call is checked against the meeting's token budget before it
 * is made and recorded after. The deterministic lexicon runs beside the model and the flags are merged. The
 * transcript is fenced as data (`extractionUserMessage`); the model writes no disclaimer, on either path the
 * firm's text is set by code (`firmFollowUpEmail`), and a long meeting's writer sees only verified content.
 */
export function createClaudeExtractor(options: ClaudeExtractorOptions): Extractor {
  const modelMax = modelPrice(options.model).maxOutputTokens;
  const now = options.now ?? Date.now;
  const common = { client: options.client, model: options.model, now };
  const whole = structuredCaller({
    ...common,
    systemPrompt: EXTRACTION_SYSTEM_PROMPT,
    schema: ModelExtractionSchema,
    what: 'extraction',
  });
  const part = structuredCaller({
    ...common,
    systemPrompt: EXTRACTION_SYSTEM_PROMPT,
    schema: ChunkExtractionSchema,
    what: 'extraction part',
  });
  const writeFollowUp = followUpDraftCaller(common);

  return async (transcript, context, given) => {
    const session = given ?? memorySession();
    const budget = new TokenBudget(options.tokenBudget, session.tokensSpent);
    const meter: CallMeter = {
      reserve: (inputEstimate, maxTokens) => budget.reserve(inputEstimate, maxTokens),
      record: async (call, inputEstimate) => {
        const billedInput = call.inputTokens + call.cacheWriteTokens + call.cacheReadTokens;
        budget.record(billedTokens(call), { billed: billedInput, estimated: inputEstimate });
        await session.recordCall(call);
      },
    };
    let callsMade = 0;
    /** The timeout for a call of `maxTokens`, or a pause when it would not fit the time left. */
    const timeoutFor = (maxTokens: number): number | undefined => {
      const remaining = session.remainingMs?.();
      if (remaining === undefined) return options.timeoutMs;
      const needed = (maxTokens / OUTPUT_TOKENS_PER_SECOND) * 1000 + DEADLINE_MARGIN_MS;
      // Only after a call in this invocation: a function too short for even one call still tries it.
      if (callsMade > 0 && remaining < needed) throw new ExtractionContinuesError(callsMade);
      const left = Math.max(1_000, remaining - DEADLINE_MARGIN_MS);
      return Math.min(options.timeoutMs ?? left, left);
    };

    /** One call sized to the characters it carries, given the time left. */
    const ask = <T>(
      caller: (request: StructuredRequest, meter: CallMeter) => Promise<T>,
      chars: number,
      request: Omit<StructuredRequest, 'maxTokens' | 'timeoutMs'>,
    ): Promise<T> => {
      const maxTokens = outputCap(chars, modelMax);
      const timeoutMs = timeoutFor(maxTokens);
      callsMade += 1;
      return caller({ ...request, maxTokens, ...(timeoutMs ? { timeoutMs } : {}) }, meter);
    };

    const progress = resumeProgress(await session.loadProgress(), options.model);
    const save = () => session.saveProgress(progress);

    /** One part's result: saved, halved after a truncation (saved or now), or asked for. */
    const resolvePart = async (chunk: TranscriptChunk, depth: number): Promise<ChunkExtraction[]> => {
      const key = chunkKey(chunk);
      const done = progress.parts[key];
      if (done) return [done];
      if (!progress.truncated.includes(key)) {
        const outcome = await ask(part, transcriptChars(chunk.transcript), {
          content: partContent(chunk, context),
          purpose: 'extraction_part',
          part: `${chunk.part}/${chunk.of}`,
        });
        if (outcome.kind === 'done') {
          progress.parts[key] = outcome.value;
          await save();
          return [outcome.value];
        }
        progress.truncated.push(key);
        await save();
      }
      const halves = halveChunk(chunk);
      if (halves.length < 2 || depth >= MAX_SPLIT_DEPTH) {
        throw new OutputTruncatedError(
          `Part ${chunk.part} of ${chunk.of} (utterances ${key}) hit max_tokens even after splitting ${depth} times.`,
        );
      }
      const results: ChunkExtraction[] = [];
      for (const half of halves) results.push(...(await resolvePart(half, depth + 1)));
      return results;
    };

    const extractInParts = async (chunks: TranscriptChunk[], depth: number): Promise<ModelExtraction> => {
      const parts: ChunkExtraction[] = [];
      for (const chunk of chunks) parts.push(...(await resolvePart(chunk, depth)));
      const merged = mergeChunkExtractions(parts);
      // The writer sees only what the transcript supports; the firm's disclaimer is set below, by code.
      const supported = verifiedContent(merged, transcript);
      const timeoutMs = timeoutFor(FOLLOW_UP_MAX_TOKENS);
      callsMade += 1;
      const follow_up_email = await writeFollowUp(
        {
          meetingDate: context.meetingDate,
          advisorName: context.advisorName,
          clients: context.clients,
          notes: supported.notes,
          openActionItems: supported.action_items,
        },
        meter,
        timeoutMs,
      );
      return { ...merged, follow_up_email };
    };

    const extractWhole = async (): Promise<ModelExtraction> => {
      const chunks = planChunks(transcript);
      const [only] = chunks;
      if (chunks.length > 1 || !only) return extractInParts(chunks, 0);
      if (progress.truncated.includes(chunkKey(only))) return extractInParts(halveChunk(only), 1);
      const outcome = await ask(whole, transcriptChars(transcript), {
        content: extractionUserMessage(transcript, context),
        purpose: 'extraction',
      });
      if (outcome.kind === 'done') return outcome.value;
      // Truncated: the same request would truncate again. Two halves, merged, one email.
      progress.truncated.push(chunkKey(only));
      await save();
      return extractInParts(halveChunk(only), 1);
    };

    const model = await extractWhole();
    const lexicon = scanCompliance(transcript, {
      advisorName: context.advisorName,
      clients: context.clients,
    });
    return ExtractionSchema.parse({
      ...model,
      // The model never writes the disclaimer: the firm's text is set here, and its draft scanned for flags.
      follow_up_email: firmFollowUpEmail(model.follow_up_email, context),
      compliance_flags: capFlags(
        mergeFlags(model.compliance_flags, lexicon),
        EXTRACTION_LIMITS.complianceFlags,
      ),
      extractor: 'claude',
      model: options.model,
    } satisfies Extraction);
  };
}

/** A part's user turn: the extraction message for its utterances, then its position as a separate block. */
function partContent(chunk: TranscriptChunk, context: ExtractionContext): Anthropic.TextBlockParam[] {
  return [
    { type: 'text', text: extractionUserMessage(chunk.transcript, context) },
    { type: 'text', text: chunkPositionNote(chunk) },
  ];
}
