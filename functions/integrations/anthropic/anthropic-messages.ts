import type Anthropic from '@anthropic-ai/sdk';
import { BaseAnthropic } from '@anthropic-ai/sdk/client';
import { Messages } from '@anthropic-ai/sdk/resources/messages/messages';
import { defaultSecretStore, type SecretStore } from '../../adapters/secrets/secret-source';
import { vendorKeyProvider } from '../../adapters/secrets/vendor-keys';
import type { Config } from '../../platform/config/config';

/** Per-call options: a timeout shorter than the client's when the function has less time left. */
export interface CallOptions {
  timeoutMs?: number;
}

/** The Messages API calls the extractor and the follow-up writer make. */
export interface MessagesClient {
  messages: {
    create(
      body: Anthropic.MessageCreateParamsNonStreaming,
      options?: CallOptions,
    ): Promise<Anthropic.Message>;
    /** The same call streamed, as long outputs require; resolves to the final message. */
    stream(
      body: Anthropic.MessageCreateParamsNonStreaming,
      options?: CallOptions,
    ): Promise<Anthropic.Message>;
  };
}

/** What choosing and building the client reads: the model settings and where the key may come from. */
export type AnthropicConfig = Pick<Config, 'anthropic'> &
  Partial<Pick<Config, 'vendorKeys' | 'vendorKeysCacheSeconds'>>;

/**
 * The Messages API client, or undefined when `ANTHROPIC_API_KEY` is unset and no vendor keys document is
 * configured (decided without reading any secret). The key itself is fetched at the first call, so a cold
 * start never waits for Secrets Manager. `maxRetries` is the caller's choice: the pipeline retries in the state
 * machine (0 here), so retries never stack. The base client plus the one resource we call keeps the SDK's other
 * resources (~300 KB) out of the bundle.
 */
export function anthropicMessages(
  cfg: AnthropicConfig,
  options: { timeoutMs: number; maxRetries: number },
  store: () => SecretStore = defaultSecretStore,
): MessagesClient | undefined {
  const { apiKey, baseUrl } = cfg.anthropic;
  const key = vendorKeyProvider(
    'anthropic_api_key',
    { env: apiKey, document: cfg.vendorKeys, maxAgeSeconds: cfg.vendorKeysCacheSeconds },
    store,
  );
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
  const request = (call?: CallOptions) => (call?.timeoutMs ? { timeout: call.timeoutMs } : {});
  return {
    messages: {
      create: async (body, call) => (await messages()).create(body, request(call)),
      stream: async (body, call) => (await messages()).stream(body, request(call)).finalMessage(),
    },
  };
}
