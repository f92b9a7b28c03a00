import { FollowUpEmailTextSchema } from '../../core/extraction/extraction-schema';
import type { FollowUpEmailWriter } from '../../core/meetings/follow-up-draft';
import { AppError } from '../../platform/errors';
import type { MessagesClient } from './anthropic-messages';
import { FOLLOW_UP_SYSTEM_PROMPT, followUpUserMessage } from './follow-up-prompt';
import { forcedToolCaller } from './forced-tool-call';

export const FOLLOW_UP_TOOL = 'record_follow_up_email';

/** The model did not write a valid draft, even after one repair attempt. */
export class FollowUpDraftFailedError extends AppError {
  constructor(message: string) {
    super('follow_up_draft_failed', message);
  }
}

/**
 * Claude writes the draft's subject and body with one forced tool call (schema from `FollowUpEmailTextSchema`:
 * no disclaimer field), cached instructions; the verified notes and the adviser's instructions fenced apart.
 */
export function createClaudeFollowUpWriter(options: {
  client: MessagesClient;
  model: string;
}): FollowUpEmailWriter {
  const call = forcedToolCaller({
    client: options.client,
    model: options.model,
    maxTokens: 4_000,
    systemPrompt: FOLLOW_UP_SYSTEM_PROMPT,
    tool: {
      name: FOLLOW_UP_TOOL,
      description: 'Record the follow-up email draft: subject and body (the firm adds its disclaimer).',
      schema: FollowUpEmailTextSchema,
    },
    failure: (detail) => new FollowUpDraftFailedError(detail),
  });
  return { kind: 'claude', write: (request) => call(followUpUserMessage(request)) };
}
