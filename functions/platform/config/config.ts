import * as z from 'zod';
import { JwksSchema } from '../../contracts/jwks';
import { ConfigError } from '../errors';
import { issuesFromZod, summariseIssues } from '../validation-issues';

const csv = z.string().transform((value) =>
  value
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.length > 0),
);

const origin = z.url({ protocol: /^https?$/ }).refine((value) => new URL(value).origin === value, {
  message: 'must be a bare origin such as https://app.example.com (no path, no trailing slash)',
});

const positiveInt = z.coerce.number().int().positive();

/**
 * The only ports Deepgram calls back on for pre-recorded audio (https://developers.deepgram.com/docs/callback):
 * a `WEBHOOK_BASE_URL` on another port is refused at start-up when the real Deepgram is used.
 */
export const DEEPGRAM_CALLBACK_PORTS: readonly number[] = [80, 443, 8080, 8443];
/** Where Google publishes the keys its OIDC tokens are signed with. */
export const GOOGLE_CERTS_URL = 'https://www.googleapis.com/oauth2/v3/certs';

/** A vendor API base: https, or http on loopback only (the local host's fakes); no trailing slash. */
const apiBase = z
  .url({ protocol: /^https?$/ })
  .refine(
    (value) =>
      value.startsWith('https:') || ['127.0.0.1', 'localhost', '[::1]'].includes(new URL(value).hostname),
    {
      message: 'must be https (plain http only on loopback, for local fakes)',
    },
  )
  .transform((value) => value.replace(/\/+$/, ''));

/** `count/seconds`, e.g. `5/60`: at most `count` calls per fixed window of `seconds`. */
const rateLimit = z
  .string()
  .regex(/^\d+\/\d+$/, 'must be count/seconds, e.g. 5/60')
  .transform((value) => {
    const [limit, windowSeconds] = value.split('/').map(Number) as [number, number];
    return { limit, windowSeconds };
  })
  .refine((r) => r.limit >= 1 && r.windowSeconds >= 1 && r.windowSeconds <= 86_400, {
    message: 'count must be ≥ 1 and seconds between 1 and 86400',
  });

/**
 * Every environment variable the functions read, validated once per process. `.env.example` documents each
 * one; a missing or malformed variable fails start-up with a message naming it. Secrets have no defaults:
 * exactly one source (a Secrets Manager id on AWS, a file the local host generated) must be given.
 */
export const ConfigSchema = z
  .object({
    AWS_REGION: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'must be an AWS region such as us-east-1'),
    TABLE_NAME: z.string().min(3).max(255),
    UPLOADS_BUCKET: z.string().min(3).max(63),
    ARCHIVE_BUCKET: z.string().min(3).max(63),
    DYNAMODB_ENDPOINT: z.url().optional(),
    S3_ENDPOINT: z.url().optional(),
    KEYRING_SECRET_ID: z.string().min(1).optional(),
    KEYRING_FILE: z.string().min(1).optional(),
    // How long a process encrypts with the keyring it read before reading it again (rotation waits this long).
    KEYRING_CACHE_SECONDS: positiveInt.max(3600).default(300),
    // How long a function uses the vendor keys document it read before reading it again.
    VENDOR_KEYS_CACHE_SECONDS: positiveInt.max(3600).default(300),
    SIGNING_KEY_SECRET_ID: z.string().min(1).optional(),
    SIGNING_KEY_FILE: z.string().min(1).optional(),
    // Vendor API keys (Anthropic, AssemblyAI, Deepgram) and the transcription webhook secret as one JSON document,
    // read at first use. Optional: without it only the plain variables below count (the local host, tests).
    VENDOR_KEYS_SECRET_ID: z.string().min(1).optional(),
    VENDOR_KEYS_FILE: z.string().min(1).optional(),
    CORS_ALLOWED_ORIGINS: csv.pipe(z.array(origin)).default([]),
    HTTP_MAX_BODY_BYTES: positiveInt
      .max(10 * 1024 * 1024, 'API Gateway accepts at most 10 MiB')
      .default(1024 * 1024),
    LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
    SERVICE_VERSION: z.string().min(1).default('0.1.0'),
    AUTH_ISSUER: z.string().min(1).default('smart-advisor-os'),
    AUTH_AUDIENCE: z.string().min(1).default('smart-advisor-os-api'),
    ACCESS_TOKEN_TTL_SECONDS: positiveInt.min(60).max(3600).default(900),
    REFRESH_TOKEN_TTL_DAYS: positiveInt.max(90).default(30),
    INVITE_TTL_DAYS: positiveInt.max(30).default(7),
    // OWASP: scrypt N=2^17, r=8, p=1. Tests may lower N for speed; production never sets this.
    PASSWORD_SCRYPT_LOG_N: positiveInt.min(14).max(20).default(17),
    // How long a function trusts its last read of a user's status (deactivation, role change).
    AUTH_STATUS_CACHE_MS: z.coerce.number().int().min(0).max(5000).default(1000),
    UPLOAD_MAX_BYTES: positiveInt.max(5 * 1024 ** 3).default(500 * 1024 * 1024),
    UPLOAD_URL_TTL_SECONDS: positiveInt
      .min(60)
      .max(7 * 86_400)
      .default(900),
    PIPELINE_STATE_MACHINE_ARN: z
      .string()
      .regex(/^arn:aws[\w-]*:states:/, 'must be a Step Functions state machine ARN')
      .optional(),
    PLATFORM_INTAKE_STATE_MACHINE_ARN: z
      .string()
      .regex(/^arn:aws[\w-]*:states:/, 'must be a Step Functions state machine ARN')
      .optional(),
    // Largest transcript or recording a platform intake downloads (it is held in memory while stored).
    PLATFORM_DOWNLOAD_MAX_BYTES: positiveInt.max(2 * 1024 ** 3).default(500 * 1024 * 1024),
    PLATFORM_DOWNLOAD_TIMEOUT_SECONDS: positiveInt.max(840).default(600),
    // Without a key the offline extractor runs and every result says so (DESIGN §6).
    ANTHROPIC_API_KEY: z.string().min(20, 'does not look like an Anthropic API key').optional(),
    // The current Sonnet; structured outputs work on it (forced tool use does not).
    ANTHROPIC_MODEL: z.string().min(1).default('claude-sonnet-5-5'),
    ANTHROPIC_BASE_URL: z.url().optional(),
    // Billed tokens one meeting's extraction may use over all its calls and retries; past it the meeting fails.
    EXTRACTION_TOKEN_BUDGET: positiveInt.min(10_000).max(10_000_000).default(400_000),
    // Longest transcript extracted (characters of speech; ~750 a minute, so 300000 is about 6.5 hours).
    TRANSCRIPT_MAX_CHARS: positiveInt.min(1000).max(2_000_000).default(300_000),
    // Largest transcript file accepted at upload (413 above it); audio keeps UPLOAD_MAX_BYTES.
    TRANSCRIPT_UPLOAD_MAX_BYTES: positiveInt.max(50 * 1024 * 1024).default(4 * 1024 * 1024),
    RATE_LIMIT_AUTH: rateLimit.default({ limit: 5, windowSeconds: 60 }),
    RATE_LIMIT_AI: rateLimit.default({ limit: 20, windowSeconds: 60 }),
    // Every other signed-in route: per user, then per firm in total. Far above a busy person (a page load is a
    // handful of calls); they stop a runaway script or a leaked token, not people.
    RATE_LIMIT_STANDARD: rateLimit.default({ limit: 600, windowSeconds: 60 }),
    RATE_LIMIT_STANDARD_FIRM: rateLimit.default({ limit: 6000, windowSeconds: 60 }),
    TRANSCRIPTION_PROVIDER: z.enum(['assemblyai', 'deepgram']).default('assemblyai'),
    ASSEMBLYAI_API_KEY: z.string().min(1).optional(),
    // Only for fakes and the EU region; the SDK's default is https://api.assemblyai.com.
    ASSEMBLYAI_BASE_URL: z.url({ protocol: /^https?$/ }).optional(),
    ASSEMBLYAI_SPEECH_MODELS: csv
      .pipe(z.array(z.string().min(1)).min(1, 'must name at least one speech model'))
      .default(['universal-3-pro', 'universal-2']),
    DEEPGRAM_API_KEY: z.string().min(1).optional(),
    // Only for fakes; https://api.deepgram.com otherwise.
    DEEPGRAM_BASE_URL: z.url({ protocol: /^https?$/ }).optional(),
    DEEPGRAM_MODEL: z.string().min(1).default('nova-3'),
    // Lets the fallback poll read the request's status (Manage API); without it the poll waits for a late callback.
    DEEPGRAM_PROJECT_ID: z.string().min(1).max(100).optional(),
    // Where providers call back (`/webhooks/transcription/<provider>` is appended); locally the host's own URL.
    WEBHOOK_BASE_URL: z
      .url({ protocol: /^https?$/ })
      .transform((value) => value.replace(/\/+$/, ''))
      .optional(),
    TRANSCRIPTION_WEBHOOK_SECRET: z
      .string()
      .min(32, 'must be at least 32 characters (e.g. openssl rand -hex 32)')
      .optional(),
    // CRM API bases are `CRM_<NAME>_BASE_URL`, one per CRM integration (`CrmBaseUrlsSchema` below).
    CRM_TIMEOUT_MS: positiveInt.min(100).max(60_000).default(8000),
    CRM_MAX_ATTEMPTS: positiveInt.max(5).default(3),
    // The web app's address: CRM notes link back to `<APP_BASE_URL>/meetings/<id>`. Unset: no link.
    APP_BASE_URL: apiBase.optional(),
    // Microsoft Graph (Teams): overridden only for fakes and national clouds.
    GRAPH_LOGIN_BASE_URL: apiBase.default('https://login.microsoftonline.com'),
    GRAPH_BASE_URL: apiBase.default('https://graph.microsoft.com/v1.0'),
    // Graph caps transcript subscriptions at 4230 minutes; over 60 needs the lifecycle URL (always sent).
    TEAMS_SUBSCRIPTION_LIFETIME_MINUTES: positiveInt.min(45).max(4230).default(4200),
    TEAMS_RENEW_WITHIN_MINUTES: positiveInt.min(60).max(4000).default(720),
    GOOGLE_TOKEN_URL: apiBase.default('https://oauth2.googleapis.com/token'),
    GOOGLE_MEET_BASE_URL: apiBase.default('https://meet.googleapis.com'),
    GOOGLE_DRIVE_BASE_URL: apiBase.default('https://www.googleapis.com'),
    // Optional second check on Meet pushes: the Pub/Sub push subscription's OIDC token (audience and email
    // both or neither), verified against Google's published keys, cached at most MEET_PUSH_OIDC_JWKS_MAX_AGE_SECONDS.
    MEET_PUSH_OIDC_AUDIENCE: z.string().min(1).optional(),
    MEET_PUSH_OIDC_EMAIL: z.email().optional(),
    // Only for a fake key server; Google's is the default.
    MEET_PUSH_OIDC_JWKS_URL: apiBase.optional(),
    MEET_PUSH_OIDC_JWKS_MAX_AGE_SECONDS: positiveInt.min(60).max(86_400).default(3600),
    // Fixed keys instead of fetching them: tests and air-gapped installs only (Google rotates its keys).
    MEET_PUSH_OIDC_JWKS: z
      .string()
      .transform((value, ctx) => {
        try {
          return JSON.parse(value) as unknown;
        } catch {
          ctx.addIssue({ code: 'custom', message: 'must be a JSON Web Key Set' });
          return z.NEVER;
        }
      })
      .pipe(JwksSchema)
      .optional(),
  })
  .superRefine((env, ctx) => {
    const oidc = [env.MEET_PUSH_OIDC_AUDIENCE, env.MEET_PUSH_OIDC_EMAIL];
    if (oidc.some((v) => v !== undefined) && !oidc.every((v) => v !== undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: ['MEET_PUSH_OIDC_AUDIENCE'],
        message: 'set both MEET_PUSH_OIDC_AUDIENCE and MEET_PUSH_OIDC_EMAIL, or neither',
      });
    }
    if (env.MEET_PUSH_OIDC_JWKS !== undefined && env.MEET_PUSH_OIDC_JWKS_URL !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['MEET_PUSH_OIDC_JWKS'],
        message: 'set MEET_PUSH_OIDC_JWKS (fixed keys) or MEET_PUSH_OIDC_JWKS_URL (fetched keys), not both',
      });
    }
    if (env.TEAMS_RENEW_WITHIN_MINUTES >= env.TEAMS_SUBSCRIPTION_LIFETIME_MINUTES) {
      ctx.addIssue({
        code: 'custom',
        path: ['TEAMS_RENEW_WITHIN_MINUTES'],
        message: 'must be less than TEAMS_SUBSCRIPTION_LIFETIME_MINUTES (or every run renews everything)',
      });
    }
    for (const [secretId, file] of [
      ['KEYRING_SECRET_ID', 'KEYRING_FILE'],
      ['SIGNING_KEY_SECRET_ID', 'SIGNING_KEY_FILE'],
    ] as const) {
      const given = [env[secretId], env[file]].filter((v) => v !== undefined).length;
      if (given !== 1) {
        ctx.addIssue({
          code: 'custom',
          path: [secretId],
          message: `set exactly one of ${secretId} (AWS Secrets Manager) or ${file} (local host)`,
        });
      }
    }
    if (env.VENDOR_KEYS_SECRET_ID !== undefined && env.VENDOR_KEYS_FILE !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['VENDOR_KEYS_SECRET_ID'],
        message: 'set at most one of VENDOR_KEYS_SECRET_ID (AWS Secrets Manager) or VENDOR_KEYS_FILE (local)',
      });
    }
    // The vendor keys document may hold the secret; whether it does is checked when it is first read.
    const vendorKeys = hasVendorKeys(env);
    for (const key of ['ASSEMBLYAI_API_KEY', 'DEEPGRAM_API_KEY'] as const) {
      if (env[key] !== undefined && env.TRANSCRIPTION_WEBHOOK_SECRET === undefined && !vendorKeys) {
        ctx.addIssue({
          code: 'custom',
          path: ['TRANSCRIPTION_WEBHOOK_SECRET'],
          message: `is required when ${key} is set: it authenticates the provider's callbacks (e.g. openssl rand -hex 32)`,
        });
        break;
      }
    }
    const deepgramCallbacks =
      env.TRANSCRIPTION_PROVIDER === 'deepgram' &&
      (env.DEEPGRAM_API_KEY !== undefined || vendorKeys) &&
      env.DEEPGRAM_BASE_URL === undefined &&
      env.WEBHOOK_BASE_URL !== undefined;
    if (
      deepgramCallbacks &&
      !DEEPGRAM_CALLBACK_PORTS.includes(effectivePort(env.WEBHOOK_BASE_URL as string))
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['WEBHOOK_BASE_URL'],
        message: `Deepgram calls back only on ports ${DEEPGRAM_CALLBACK_PORTS.join(', ')}: use one of them`,
      });
    }
  })
  .transform((env) => ({
    region: env.AWS_REGION,
    tableName: env.TABLE_NAME,
    buckets: { uploads: env.UPLOADS_BUCKET, archive: env.ARCHIVE_BUCKET },
    endpoints: { dynamodb: env.DYNAMODB_ENDPOINT, s3: env.S3_ENDPOINT },
    keyring: secretSource(env.KEYRING_SECRET_ID, env.KEYRING_FILE),
    keyringCacheSeconds: env.KEYRING_CACHE_SECONDS,
    vendorKeysCacheSeconds: env.VENDOR_KEYS_CACHE_SECONDS,
    signingKey: secretSource(env.SIGNING_KEY_SECRET_ID, env.SIGNING_KEY_FILE),
    vendorKeys: hasVendorKeys(env)
      ? secretSource(env.VENDOR_KEYS_SECRET_ID, env.VENDOR_KEYS_FILE)
      : undefined,
    corsAllowedOrigins: env.CORS_ALLOWED_ORIGINS,
    maxBodyBytes: env.HTTP_MAX_BODY_BYTES,
    logLevel: env.LOG_LEVEL,
    serviceVersion: env.SERVICE_VERSION,
    auth: {
      issuer: env.AUTH_ISSUER,
      audience: env.AUTH_AUDIENCE,
      accessTokenTtlSeconds: env.ACCESS_TOKEN_TTL_SECONDS,
      refreshTokenTtlSeconds: env.REFRESH_TOKEN_TTL_DAYS * 86_400,
      inviteTtlSeconds: env.INVITE_TTL_DAYS * 86_400,
      scryptLogN: env.PASSWORD_SCRYPT_LOG_N,
      statusCacheMs: env.AUTH_STATUS_CACHE_MS,
    },
    rateLimits: {
      auth: env.RATE_LIMIT_AUTH,
      ai: env.RATE_LIMIT_AI,
      standard: env.RATE_LIMIT_STANDARD,
      standardFirm: env.RATE_LIMIT_STANDARD_FIRM,
    },
    uploads: {
      maxBytes: env.UPLOAD_MAX_BYTES,
      transcriptMaxBytes: env.TRANSCRIPT_UPLOAD_MAX_BYTES,
      urlTtlSeconds: env.UPLOAD_URL_TTL_SECONDS,
    },
    anthropic: {
      apiKey: env.ANTHROPIC_API_KEY,
      model: env.ANTHROPIC_MODEL,
      baseUrl: env.ANTHROPIC_BASE_URL,
      tokenBudget: env.EXTRACTION_TOKEN_BUDGET,
    },
    transcripts: { maxChars: env.TRANSCRIPT_MAX_CHARS },
    pipeline: { stateMachineArn: env.PIPELINE_STATE_MACHINE_ARN },
    platformIntake: {
      stateMachineArn: env.PLATFORM_INTAKE_STATE_MACHINE_ARN,
      downloadMaxBytes: env.PLATFORM_DOWNLOAD_MAX_BYTES,
      downloadTimeoutMs: env.PLATFORM_DOWNLOAD_TIMEOUT_SECONDS * 1000,
    },
    transcription: {
      provider: env.TRANSCRIPTION_PROVIDER,
      assemblyAi: {
        apiKey: env.ASSEMBLYAI_API_KEY,
        baseUrl: env.ASSEMBLYAI_BASE_URL,
        speechModels: env.ASSEMBLYAI_SPEECH_MODELS,
      },
      deepgram: {
        apiKey: env.DEEPGRAM_API_KEY,
        baseUrl: env.DEEPGRAM_BASE_URL,
        model: env.DEEPGRAM_MODEL,
        projectId: env.DEEPGRAM_PROJECT_ID,
      },
      webhookBaseUrl: env.WEBHOOK_BASE_URL,
      webhookSecret: env.TRANSCRIPTION_WEBHOOK_SECRET,
    },
    crm: {
      timeoutMs: env.CRM_TIMEOUT_MS,
      maxAttempts: env.CRM_MAX_ATTEMPTS,
    },
    appBaseUrl: env.APP_BASE_URL,
    meetingPlatforms: {
      webhookBaseUrl: env.WEBHOOK_BASE_URL,
      graph: { loginBaseUrl: env.GRAPH_LOGIN_BASE_URL, graphBaseUrl: env.GRAPH_BASE_URL },
      teamsSubscriptions: {
        lifetimeMinutes: env.TEAMS_SUBSCRIPTION_LIFETIME_MINUTES,
        renewWithinMinutes: env.TEAMS_RENEW_WITHIN_MINUTES,
      },
      google: {
        tokenUrl: env.GOOGLE_TOKEN_URL,
        meetBaseUrl: env.GOOGLE_MEET_BASE_URL,
        driveBaseUrl: env.GOOGLE_DRIVE_BASE_URL,
      },
      meetPushOidc:
        env.MEET_PUSH_OIDC_AUDIENCE && env.MEET_PUSH_OIDC_EMAIL
          ? {
              audience: env.MEET_PUSH_OIDC_AUDIENCE,
              email: env.MEET_PUSH_OIDC_EMAIL,
              keys: env.MEET_PUSH_OIDC_JWKS
                ? { kind: 'configured' as const, jwks: env.MEET_PUSH_OIDC_JWKS }
                : {
                    kind: 'remote' as const,
                    url: env.MEET_PUSH_OIDC_JWKS_URL ?? GOOGLE_CERTS_URL,
                    cacheMaxAgeSeconds: env.MEET_PUSH_OIDC_JWKS_MAX_AGE_SECONDS,
                  },
            }
          : undefined,
    },
  }));

/** `CRM_<NAME>_BASE_URL`: the variable that points the CRM integration `<name>` elsewhere. */
const CRM_BASE_URL_VARIABLE = /^CRM_([A-Z][A-Z0-9]*)_BASE_URL$/;

/**
 * The configured CRM API bases by integration name (`CRM_WEALTHBOX_BASE_URL` → `wealthbox`). Unset, a CRM uses
 * its integration's production default; tests point them at fakes.
 */
const CrmBaseUrlsSchema = z
  .record(z.string().regex(CRM_BASE_URL_VARIABLE), apiBase)
  .transform((urls) =>
    Object.fromEntries(
      Object.entries(urls).map(([variable, url]) => [
        variable.replace(CRM_BASE_URL_VARIABLE, '$1').toLowerCase(),
        url,
      ]),
    ),
  );

export type Config = z.infer<typeof ConfigSchema> & {
  crm: { baseUrls: Readonly<Record<string, string>> };
};

function effectivePort(url: string): number {
  const parsed = new URL(url);
  if (parsed.port !== '') return Number(parsed.port);
  return parsed.protocol === 'https:' ? 443 : 80;
}
export type SecretSourceConfig = Config['keyring'];

/** Whether a vendor keys document is configured (on AWS or as a local file). */
function hasVendorKeys(env: { VENDOR_KEYS_SECRET_ID?: string; VENDOR_KEYS_FILE?: string }): boolean {
  return env.VENDOR_KEYS_SECRET_ID !== undefined || env.VENDOR_KEYS_FILE !== undefined;
}

function secretSource(secretId: string | undefined, file: string | undefined) {
  // superRefine has already guaranteed that exactly one is set (or, for the optional vendor keys, that one is).
  return secretId !== undefined
    ? ({ kind: 'secrets-manager', secretId } as const)
    : ({ kind: 'file', path: file as string } as const);
}

/** Parses the environment; throws a `ConfigError` whose message names every bad variable. */
export function parseConfig(env: Record<string, string | undefined>): Config {
  // Empty strings count as unset, as in most shells' `VAR=` idiom.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const result = ConfigSchema.safeParse(cleaned);
  const crmBaseUrls = CrmBaseUrlsSchema.safeParse(
    Object.fromEntries(Object.entries(cleaned).filter(([name]) => CRM_BASE_URL_VARIABLE.test(name))),
  );
  if (result.success && crmBaseUrls.success) {
    return { ...result.data, crm: { ...result.data.crm, baseUrls: crmBaseUrls.data } };
  }
  const issues = [result.error, crmBaseUrls.error].flatMap((error) =>
    error ? issuesFromZod(error, { root: '(environment)' }) : [],
  );
  throw new ConfigError(`Invalid configuration — ${summariseIssues(issues)}`, issues);
}

let cached: Config | undefined;

/** The process's configuration, read from `process.env` once (per cold start) and then reused. */
export function config(): Config {
  cached ??= parseConfig(process.env);
  return cached;
}

/** For tests and the local host, which set the environment before handlers run. */
export function resetConfigForTests(): void {
  cached = undefined;
}
