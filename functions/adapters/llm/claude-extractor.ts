import type Anthropic from '@anthropic-ai/sdk';
import { scanCompliance } from '../../core/extraction/compliance-lexicon';
import {
  type Extraction,
  ExtractionSchema,
  type ModelExtraction,
  ModelExtractionSchema,
} from '../../core/extraction/extraction-schema';
import type { Extractor } from '../../core/extraction/extractor';
import { mergeFlags } from '../../core/extraction/merge-flags';
import { AppError } from '../../platform/errors';
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
  client: Pick<Anthropic, 'messages'>;
  model: string;
  maxTokens?: number;
}

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

  return async (transcript, context) => {
    const model: ModelExtraction = await call(extractionUserMessage(transcript, context));
    const lexicon = scanCompliance(transcript, {
      advisorName: context.advisorName,
      clients: context.clients,
    });
    return ExtractionSchema.parse({
      ...model,
      compliance_flags: mergeFlags(model.compliance_flags, lexicon),
      extractor: 'claude',
      model: options.model,
    } satisfies Extraction);
  };
}
