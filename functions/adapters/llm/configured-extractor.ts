import { BaseAnthropic } from '@anthropic-ai/sdk/client';
import { Messages } from '@anthropic-ai/sdk/resources/messages/messages';
import type { Extractor } from '../../core/extraction/extractor';
import { offlineExtractor } from '../../core/extraction/offline-extractor';
import type { Config } from '../../platform/config/config';
import { createClaudeExtractor } from './claude-extractor';

/**
 * Claude when `ANTHROPIC_API_KEY` is set, the offline extractor otherwise. Both fill the same schema and say
 * which they are (`extractor: 'claude' | 'offline'`), so a result never pretends to be what it is not.
 */
export function configuredExtractor(cfg: Pick<Config, 'anthropic'>): {
  kind: 'claude' | 'offline';
  extractor: Extractor;
} {
  const { apiKey, model, baseUrl } = cfg.anthropic;
  if (!apiKey) return { kind: 'offline', extractor: offlineExtractor };
  // The SDK retries 429/5xx itself (honouring retry-after); the pipeline's Retry covers what is left. The base
  // client plus the one resource we call keeps the SDK's other resources (~300 KB) out of the bundle.
  const client = new BaseAnthropic({
    apiKey,
    ...(baseUrl ? { baseURL: baseUrl } : {}),
    maxRetries: 2,
    timeout: 600_000,
  });
  return {
    kind: 'claude',
    extractor: createClaudeExtractor({ client: { messages: new Messages(client) }, model }),
  };
}
