import type Anthropic from '@anthropic-ai/sdk';
import { BaseAnthropic } from '@anthropic-ai/sdk/client';
import { Messages } from '@anthropic-ai/sdk/resources/messages/messages';
import type { Config } from '../../platform/config/config';
import { defaultSecretStore, type SecretStore } from '../secrets/secret-source';
import { vendorKeyProvider } from '../secrets/vendor-keys';

/** The one Messages API call the extractor and the follow-up writer make. */
export interface MessagesClient {
  messages: {
    create(body: Anthropic.MessageCreateParamsNonStreaming): Promise<Anthropic.Message>;
  };
}

/** What choosing and building the client reads: the model settings and where the key may come from. */
export type AnthropicConfig = Pick<Config, 'anthropic'> & Partial<Pick<Config, 'vendorKeys'>>;

/**
 * The Messages API client, or undefined when `ANTHROPIC_API_KEY` is unset and no vendor keys document is
 * configured (decided without reading any secret). The key itself is fetched at the first call, so a cold
 * start never waits for Secrets Manager. The SDK retries 429/5xx itself (honouring retry-after). The base
 * client plus the one resource we call keeps the SDK's other resources (~300 KB) out of the bundle.
 */
export function anthropicMessages(
  cfg: AnthropicConfig,
  options: { timeoutMs: number; maxRetries: number },
  store: () => SecretStore = defaultSecretStore,
): MessagesClient | undefined {
  const { apiKey, baseUrl } = cfg.anthropic;
  const key = vendorKeyProvider('anthropic_api_key', { env: apiKey, document: cfg.vendorKeys }, store);
  if (!key) return undefined;
  let client: { key: string; messages: Messages } | undefined;
  const messages = async () => {
    const current = await key();
    // Rebuilt only if the key changed (a cache reload after the operator replaced it).
    if (client?.key !== current) {
      const base = new BaseAnthropic({
        apiKey: current,
        ...(baseUrl ? { baseURL: baseUrl } : {}),
        maxRetries: options.maxRetries,
        timeout: options.timeoutMs,
      });
      client = { key: current, messages: new Messages(base) };
    }
    return client.messages;
  };
  return { messages: { create: async (body) => (await messages()).create(body) } };
}
