import type Anthropic from '@anthropic-ai/sdk';
import { BaseAnthropic } from '@anthropic-ai/sdk/client';
import { Messages } from '@anthropic-ai/sdk/resources/messages/messages';
import type { Config } from '../../platform/config/config';

/**
 * The Messages API client from config, or undefined without `ANTHROPIC_API_KEY`. The SDK retries 429/5xx itself
 * (honouring retry-after). The base client plus the one resource we call keeps the SDK's other resources
 * (~300 KB) out of the bundle.
 */
export function anthropicMessages(
  cfg: Pick<Config, 'anthropic'>,
  options: { timeoutMs: number; maxRetries: number },
): Pick<Anthropic, 'messages'> | undefined {
  const { apiKey, baseUrl } = cfg.anthropic;
  if (!apiKey) return undefined;
  const client = new BaseAnthropic({
    apiKey,
    ...(baseUrl ? { baseURL: baseUrl } : {}),
    maxRetries: options.maxRetries,
    timeout: options.timeoutMs,
  });
  return { messages: new Messages(client) };
}
