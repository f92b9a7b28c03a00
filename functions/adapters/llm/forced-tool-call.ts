import type Anthropic from '@anthropic-ai/sdk';
import * as z from 'zod';
import { issuesFromZod, summariseIssues } from '../../platform/validation-issues';
import type { MessagesClient } from './anthropic-messages';

type ToolUse = Extract<Anthropic.ContentBlock, { type: 'tool_use' }>;

/** The tool's input schema: a zod contract as JSON Schema, descriptions included (they are the instructions). */
export function toolInputSchema(schema: z.ZodType): Anthropic.Tool['input_schema'] {
  const { $schema: _drop, ...json } = z.toJSONSchema(schema, {
    target: 'draft-2020-12',
    io: 'input',
    unrepresentable: 'any',
  }) as Record<string, unknown>;
  return json as Anthropic.Tool['input_schema'];
}

export interface ForcedToolCall<S extends z.ZodType> {
  client: MessagesClient;
  model: string;
  maxTokens: number;
  /** Cached (`cache_control`): the instructions are the same for every call. */
  systemPrompt: string;
  tool: { name: string; description: string; schema: S };
  /** Builds the error thrown when the model fails; `detail` names issue paths only, never the model's output. */
  failure: (detail: string) => Error;
}

/**
 * One forced tool call whose input is validated with zod. An invalid input gets one repair turn (the issues as
 * an error tool result); a second invalid input, or an answer without the tool call, throws `failure(…)`.
 */
export function forcedToolCaller<S extends z.ZodType>(options: ForcedToolCall<S>) {
  const tool: Anthropic.Tool = {
    name: options.tool.name,
    description: options.tool.description,
    input_schema: toolInputSchema(options.tool.schema),
  };
  const system: Anthropic.TextBlockParam[] = [
    { type: 'text', text: options.systemPrompt, cache_control: { type: 'ephemeral' } },
  ];
  const ask = async (messages: Anthropic.MessageParam[]): Promise<ToolUse> => {
    const response = await options.client.messages.create({
      model: options.model,
      max_tokens: options.maxTokens,
      system,
      tools: [tool],
      tool_choice: { type: 'tool', name: tool.name },
      messages,
    });
    const use = response.content.find((b): b is ToolUse => b.type === 'tool_use' && b.name === tool.name);
    if (!use)
      throw options.failure(
        `The model answered without calling ${tool.name} (stop: ${response.stop_reason}).`,
      );
    return use;
  };

  return async (userMessage: string): Promise<z.infer<S>> => {
    const first: Anthropic.MessageParam = { role: 'user', content: userMessage };
    const use = await ask([first]);
    const parsed = options.tool.schema.safeParse(use.input);
    if (parsed.success) return parsed.data;
    const problems = summariseIssues(issuesFromZod(parsed.error, { root: '(input)' }));
    const repaired = await ask([
      first,
      { role: 'assistant', content: [use] },
      {
        role: 'user',
        content: [
          {
            type: 'tool_result',
            tool_use_id: use.id,
            is_error: true,
            content: `The tool input does not match the schema: ${problems}. Call ${tool.name} again with a corrected, complete input.`,
          },
        ],
      },
    ]);
    const again = options.tool.schema.safeParse(repaired.input);
    if (again.success) return again.data;
    // Issue paths and zod messages only: the model's output is client content and stays out of errors.
    const issues = summariseIssues(issuesFromZod(again.error, { root: '(input)' }));
    throw options.failure(
      `The model's ${tool.name} input is invalid after one repair attempt: ${issues.slice(0, 500)}`,
    );
  };
}
