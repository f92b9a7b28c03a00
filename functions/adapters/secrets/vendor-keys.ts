import * as z from 'zod';
import { ConfigError } from '../../platform/errors';
import { issuesFromZod, summariseIssues } from '../../platform/validation-issues';
import {
  defaultSecretStore,
  describeSecretSource,
  type SecretSource,
  SecretSourceError,
  type SecretStore,
} from './secret-source';

/**
 * The vendor keys document (`VENDOR_KEYS_SECRET_ID` on AWS, `VENDOR_KEYS_FILE` locally), each field beside the
 * plain variable that overrides it. Only deployment-wide secrets live here: a firm's own credentials (Zoom,
 * Teams, Meet, CRMs) are stored encrypted in the table.
 */
export const VENDOR_KEY_VARIABLES = {
  anthropic_api_key: 'ANTHROPIC_API_KEY',
  assemblyai_api_key: 'ASSEMBLYAI_API_KEY',
  deepgram_api_key: 'DEEPGRAM_API_KEY',
  transcription_webhook_secret: 'TRANSCRIPTION_WEBHOOK_SECRET',
} as const;

export type VendorKeyName = keyof typeof VENDOR_KEY_VARIABLES;

/** Every field is optional: a deployment fills only the vendors it uses; a missing one fails at its first use. */
export const VendorKeysDocumentSchema = z.object({
  anthropic_api_key: z.string().min(20, 'does not look like an Anthropic API key').optional(),
  assemblyai_api_key: z.string().min(1).optional(),
  deepgram_api_key: z.string().min(1).optional(),
  transcription_webhook_secret: z
    .string()
    .min(32, 'must be at least 32 characters (e.g. openssl rand -hex 32)')
    .optional(),
});

/** A secret obtained when first needed, not at cold start. */
export type KeyProvider = () => Promise<string>;

/** How long a process uses the vendor keys it read before reading them again, unless configured. */
export const DEFAULT_VENDOR_KEYS_CACHE_SECONDS = 300;

export interface VendorKeySources {
  /** The plain variable's value (`ANTHROPIC_API_KEY`, …): when set it wins and the document is never read. */
  env: string | undefined;
  /** `Config['vendorKeys']`. */
  document: SecretSource | undefined;
  /** `Config['vendorKeysCacheSeconds']`: a replaced key is in use this long after the replacement, at most. */
  maxAgeSeconds?: number;
  /** Epoch milliseconds; injectable for tests. */
  now?: () => number;
}

type VendorKeys = z.infer<typeof VendorKeysDocumentSchema>;

/**
 * Where `name` comes from, decided from configuration alone: the plain variable, else the vendor keys document,
 * else nowhere (`undefined`, so the caller takes its offline path exactly as before the document existed). The
 * document is read through the secret store on the first call and again once it is `maxAgeSeconds` old (one
 * in-flight load), so a replaced key is picked up without a deploy; a re-read the source cannot answer
 * (Secrets Manager briefly unavailable) keeps the keys already read, a replaced document that is invalid fails.
 * Errors name the source and the field, never a value.
 */
export function vendorKeyProvider(
  name: VendorKeyName,
  sources: VendorKeySources,
  store: () => SecretStore = defaultSecretStore,
): KeyProvider | undefined {
  const { env, document } = sources;
  if (env !== undefined && env !== '') return () => Promise.resolve(env);
  if (document === undefined) return undefined;
  const maxAgeMs = (sources.maxAgeSeconds ?? DEFAULT_VENDOR_KEYS_CACHE_SECONDS) * 1000;
  const now = sources.now ?? Date.now;
  let loaded: { keys: VendorKeys; at: number } | undefined;
  let loading: Promise<VendorKeys> | undefined;
  const read = (): Promise<VendorKeys> => {
    loading ??= (async () => {
      try {
        // The store caches per process: a stale document must come from the source again.
        if (loaded !== undefined) store().invalidate(document);
        const keys = parseVendorKeys(await store().read(document), document);
        loaded = { keys, at: now() };
        return keys;
      } finally {
        loading = undefined;
      }
    })();
    return loading;
  };
  const current = async (): Promise<VendorKeys> => {
    if (loaded !== undefined && now() - loaded.at < maxAgeMs) return loaded.keys;
    const previous = loaded;
    try {
      return await read();
    } catch (error) {
      if (previous !== undefined && error instanceof SecretSourceError) return previous.keys;
      throw error;
    }
  };
  return async () => {
    const value = (await current())[name];
    if (value === undefined) {
      throw new ConfigError(
        `${name} is missing from the vendor keys in ${describeSecretSource(document)} (or set ${VENDOR_KEY_VARIABLES[name]})`,
        [{ path: name, message: 'is required for this vendor' }],
      );
    }
    return value;
  };
}

/** The document, validated; `ConfigError` naming the source and the fields (never their values) otherwise. */
export function parseVendorKeys(
  text: string,
  source: SecretSource,
): z.infer<typeof VendorKeysDocumentSchema> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ConfigError(`The vendor keys in ${describeSecretSource(source)} are not a JSON document`, [
      { path: '(vendor keys)', message: 'must be a JSON object' },
    ]);
  }
  const parsed = VendorKeysDocumentSchema.safeParse(json);
  if (parsed.success) return parsed.data;
  const issues = issuesFromZod(parsed.error, { root: '(vendor keys)' });
  throw new ConfigError(
    `The vendor keys in ${describeSecretSource(source)} are invalid — ${summariseIssues(issues)}`,
    issues,
  );
}
