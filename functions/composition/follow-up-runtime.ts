import { llmCallEmf } from '../adapters/pipeline/pipeline-signals';
import type { RegenerateFollowUpDeps } from '../core/meetings/regenerate-follow-up-email';
import { configuredFollowUpWriter } from '../integrations/configured-follow-up-writer';
import { base } from './base';
import { meetingStores } from './meeting-stores';

let cached: RegenerateFollowUpDeps | undefined;

/** The follow-up drafts function's deps: the meeting stores and the follow-up writer (Claude when configured). */
export function followUpRuntime(): RegenerateFollowUpDeps {
  if (cached) return cached;
  const { config: cfg, clock } = base();
  cached = {
    ...meetingStores(),
    clock,
    // Each draft call's tokens and cost as a metric line (the pipeline's calls are also on the meeting).
    followUpWriter: configuredFollowUpWriter(
      cfg,
      (call) => void process.stdout.write(`${llmCallEmf(call, Date.now())}\n`),
    ),
  };
  return cached;
}
