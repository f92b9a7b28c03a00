import type Anthropic from '@anthropic-ai/sdk';
import * as z from 'zod';
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
import { issuesFromZod, summariseIssues } from '../../platform/validation-issues';
import { EXTRACTION_SYSTEM_PROMPT, extractionUserMessage } from './extraction-prompt';

export const EXTRACTION_TOOL = 'record_meeting_extraction';

/** The model did not produce a valid extraction, even after one repair attempt. Retried by the pipeline. */
export class ExtractionFailedError extends AppError {
  constructor(message: string, cause?: unknown) {
    super('extraction_failed', message, { cause });
  }
}

/** The tool's input schema: the zod contract as JSON Schema, descriptions included (they are the instructions). */
export function extractionToolSchema(): Anthropic.Tool['input_schema'] {
  const { $schema: _drop, ...schema } = z.toJSONSchema(ModelExtractionSchema, {
    target: 'draft-2020-12',
    io: 'input',
    unrepresentable: 'any',
  }) as Record<string, unknown>;
  return schema as Anthropic.Tool['input_schema'];
}

export interface ClaudeExtractorOptions {
  client: Pick<Anthropic, 'messages'>;
  model: string;
  maxTokens?: number;
}

type ToolUse = Extract<Anthropic.ContentBlock, { type: 'tool_use' }>;

/**
 * Extraction with Claude: one forced tool call whose input schema is generated from the zod contract, the
 * instructions in a cached system block, the output validated with zod. An invalid output gets one repair turn
 * (the validation issues as an error tool result); a second invalid output fails the extraction. The
 * deterministic lexicon runs beside the model and the flags are merged with their sources.
 */
export function createClaudeExtractor(options: ClaudeExtractorOptions): Extractor {
  const tool: Anthropic.Tool = {
    name: EXTRACTION_TOOL,
    description:
      'Record the structured notes, action items, client facts, follow-up email draft and compliance flags of one meeting.',
    input_schema: extractionToolSchema(),
  };
  const system: Anthropic.TextBlockParam[] = [
    { type: 'text', text: EXTRACTION_SYSTEM_PROMPT, cache_control: { type: 'ephemeral' } },
  ];

  const ask = async (messages: Anthropic.MessageParam[]) => {
    const response = await options.client.messages.create({
      model: options.model,
      max_tokens: options.maxTokens ?? 16_000,
      system,
      tools: [tool],
      tool_choice: { type: 'tool', name: EXTRACTION_TOOL },
      messages,
    });
    const use = response.content.find(
      (b): b is ToolUse => b.type === 'tool_use' && b.name === EXTRACTION_TOOL,
    );
    if (!use)
      throw new ExtractionFailedError(
        `The model answered without calling ${EXTRACTION_TOOL} (stop: ${response.stop_reason}).`,
      );
    return use;
  };

  return async (transcript, context) => {
    const first: Anthropic.MessageParam = {
      role: 'user',
      content: extractionUserMessage(transcript, context),
    };
    let use = await ask([first]);
    let parsed = ModelExtractionSchema.safeParse(use.input);
    if (!parsed.success) {
      const problems = summariseIssues(issuesFromZod(parsed.error, { root: '(input)' }));
      use = await ask([
        first,
        { role: 'assistant', content: [use] },
        {
          role: 'user',
          content: [
            {
              type: 'tool_result',
              tool_use_id: use.id,
              is_error: true,
              content: `The tool input does not match the schema: ${problems}. Call ${EXTRACTION_TOOL} again with a corrected, complete input.`,
            },
          ],
        },
      ]);
      parsed = ModelExtractionSchema.safeParse(use.input);
      if (!parsed.success) {
        // Issue paths and zod messages only: the model's output is client content and stays out of errors.
        const issues = summariseIssues(issuesFromZod(parsed.error, { root: '(input)' }));
        throw new ExtractionFailedError(
          `The model's extraction is invalid after one repair attempt: ${issues.slice(0, 500)}`,
        );
      }
    }
    const model: ModelExtraction = parsed.data;
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
