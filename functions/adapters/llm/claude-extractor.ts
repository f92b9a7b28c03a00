import type Anthropic from '@anthropic-ai/sdk';
import { scanCompliance } from '../../core/extraction/compliance-lexicon';
import type { ExtractionContext } from '../../core/extraction/extraction-schema';
import {
  type Extraction,
  ExtractionSchema,
  type ModelExtraction,
  ModelExtractionSchema,
} from '../../core/extraction/extraction-schema';
import type { Extractor } from '../../core/extraction/extractor';
import { firmFollowUpEmail } from '../../core/extraction/firm-follow-up-email';
import { mergeChunkExtractions } from '../../core/extraction/merge-extractions';
import { mergeFlags } from '../../core/extraction/merge-flags';
import { splitTranscript } from '../../core/extraction/transcript-chunks';
import { verifiedContent } from '../../core/extraction/verify-evidence';
import type { Transcript } from '../../core/transcript/transcript';
import { AppError } from '../../platform/errors';
import type { MessagesClient } from './anthropic-messages';
import { createClaudeFollowUpWriter } from './claude-follow-up-writer';
import { EXTRACTION_SYSTEM_PROMPT, extractionUserMessage } from './extraction-prompt';
import { forcedToolCaller, toolInputSchema } from './forced-tool-call';

export const EXTRACTION_TOOL = 'record_meeting_extraction';

/** The model did not produce a valid extraction, even after one repair attempt. Retried by the pipeline. */
export class ExtractionFailedError extends AppError {
  constructor(message: string, cause?: unknown) {
    super('extraction_failed', message, { cause });
  }
}

/** The extraction tool's input schema (the zod contract as JSON Schema). */
export function extractionToolSchema(): Anthropic.Tool['input_schema'] {
  return toolInputSchema(ModelExtractionSchema);
}

export interface ClaudeExtractorOptions {
  client: MessagesClient;
  model: string;
  maxTokens?: number;
  /**
   * The prompt size (estimated tokens) above which the transcript is split into chunks, each extracted alone
   * and merged. Default 150k: well inside a 200k context with the system prompt and the answer, and far above
   * a 3-hour meeting (~45k), so meetings of ordinary length always take one call.
   */
  maxInputTokens?: number;
}

/** A conservative estimate for English text: ~3.5 characters per token. */
const CHARS_PER_TOKEN = 3.5;

/**
 * Extraction with Claude: one forced tool call whose input schema is generated from the zod contract, the
 * instructions in a cached system block, the output validated with zod. An invalid output gets one repair turn
 * (the validation issues as an error tool result); a second invalid output fails the extraction. The
 * deterministic lexicon runs beside the model and the flags are merged with their sources.
 */
export function createClaudeExtractor(options: ClaudeExtractorOptions): Extractor {
  const call = forcedToolCaller({
    client: options.client,
    model: options.model,
    maxTokens: options.maxTokens ?? 16_000,
    systemPrompt: EXTRACTION_SYSTEM_PROMPT,
    tool: {
      name: EXTRACTION_TOOL,
      description:
        'Record the structured notes, action items, client facts, follow-up email draft and compliance flags of one meeting.',
      schema: ModelExtractionSchema,
    },
    failure: (detail) => new ExtractionFailedError(detail),
  });

  const writer = createClaudeFollowUpWriter({ client: options.client, model: options.model });
  const budgetChars = (options.maxInputTokens ?? 150_000) * CHARS_PER_TOKEN;

  /** Past the budget: chunk by chunk, merged, and the follow-up email written once from the merged result. */
  const extractInChunks = async (
    transcript: Transcript,
    context: ExtractionContext,
  ): Promise<ModelExtraction> => {
    const headroom = extractionUserMessage({ ...transcript, utterances: [] }, context).length;
    const parts: ModelExtraction[] = [];
    for (const chunk of splitTranscript(transcript, Math.max(1000, budgetChars - headroom))) {
      parts.push(await call(extractionUserMessage(chunk, context)));
    }
    const merged = mergeChunkExtractions(parts);
    // The writer sees only what the transcript supports.
    const supported = verifiedContent(merged, transcript);
    const follow_up_email = await writer.write({
      meetingDate: context.meetingDate,
      advisorName: context.advisorName,
      clients: context.clients,
      notes: supported.notes,
      openActionItems: supported.action_items,
    });
    return { ...merged, follow_up_email };
  };

  return async (transcript, context) => {
    const message = extractionUserMessage(transcript, context);
    const model: ModelExtraction =
      message.length <= budgetChars ? await call(message) : await extractInChunks(transcript, context);
    const lexicon = scanCompliance(transcript, {
      advisorName: context.advisorName,
      clients: context.clients,
    });
    return ExtractionSchema.parse({
      ...model,
      // The model never writes the disclaimer: the firm's text is set here, and its draft scanned for flags.
      follow_up_email: firmFollowUpEmail(model.follow_up_email, context),
      compliance_flags: mergeFlags(model.compliance_flags, lexicon),
      extractor: 'claude',
      model: options.model,
    } satisfies Extraction);
  };
}
