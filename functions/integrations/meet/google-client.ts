import { createSign } from 'node:crypto';
import * as z from 'zod';
import type { AccessTokenCache } from '../../adapters/meeting-platforms/access-token-cache';
import type { PlatformHttp, PlatformResponse } from '../../adapters/meeting-platforms/platform-http';
import { requestError } from '../../adapters/meeting-platforms/platform-request-error';
import { PlatformArtifactNotReadyError, PlatformFetchError } from '../../core/platforms/errors';
import { UrlRefusedError } from '../../platform/errors';
import type { GoogleServiceAccountKey } from './google-service-account';

export interface GoogleEndpoints {
  /** `https://oauth2.googleapis.com/token`. */
  tokenUrl: string;
  /** `https://meet.googleapis.com`. */
  meetBaseUrl: string;
  /** `https://www.googleapis.com` (Drive v3 lives under `/drive/v3`). */
  driveBaseUrl: string;
}

export interface GoogleClientDeps {
  http: PlatformHttp;
  endpoints: GoogleEndpoints;
  tokens: AccessTokenCache;
  now: () => number;
  maxRecordingBytes: number;
  timeoutMs?: number;
}

/** Meet artifacts are read-only to us: conference records and the Drive files Meet wrote. */
export const GOOGLE_SCOPES = [
  'https://www.googleapis.com/auth/meetings.space.readonly',
  'https://www.googleapis.com/auth/drive.meet.readonly',
];

const PLATFORM = 'Google';
/** Drive refuses to export a Google Doc larger than 10 MB; we cap at the same figure. */
export const DRIVE_EXPORT_LIMIT_BYTES = 10 * 1024 * 1024;
const JSON_LIMIT = 1024 * 1024;
const ASSERTION_LIFETIME_SECONDS = 3600;
const TOKEN_MARGIN_MS = 5 * 60_000;
const DEFAULT_TIMEOUT_MS = 20_000;
const DRIVE_FILE_ID = /^[A-Za-z0-9_-]{1,200}$/;

const TokenResponseSchema = z.object({
  access_token: z.string().min(1),
  expires_in: z.coerce.number().int().positive(),
});
const TranscriptSchema = z.looseObject({
  name: z.string(),
  state: z.string().optional(),
  docsDestination: z.looseObject({ document: z.string().regex(DRIVE_FILE_ID) }).optional(),
});
const RecordingSchema = z.looseObject({
  name: z.string(),
  state: z.string().optional(),
  driveDestination: z.looseObject({ file: z.string().regex(DRIVE_FILE_ID) }).optional(),
});

export interface GoogleArtifactContent {
  body: Buffer;
  contentType: string;
}

/**
 * Google Meet artifacts for one firm's service account, acting as `subject` (domain-wide delegation: Meet writes
 * transcripts and recordings to the organizer's Drive). The token comes from the JWT bearer grant (RS256 with
 * the service account's key, by node:crypto), cached until shortly before expiry. A transcript is read through
 * Meet REST (`docsDestination.document`) and exported from Drive as text/plain; a recording through
 * `driveDestination.file` and `files.get?alt=media`. Not generated yet → `PlatformArtifactNotReadyError`.
 */
export function createGoogleClient(
  key: GoogleServiceAccountKey,
  subject: string | undefined,
  deps: GoogleClientDeps,
) {
  const timeoutMs = deps.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const cacheKey = `${key.client_email}\n${subject ?? ''}`;

  async function accessToken(): Promise<string> {
    const cached = deps.tokens.get(cacheKey, deps.now());
    if (cached !== undefined) return cached;
    const response = await send('token', {
      method: 'POST',
      url: deps.endpoints.tokenUrl,
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({
        grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
        assertion: serviceAccountAssertion(key, subject, deps.endpoints.tokenUrl, deps.now()),
      }).toString(),
      maxBytes: JSON_LIMIT,
      timeoutMs,
    });
    if (response.status !== 200) {
      throw requestError(PLATFORM, 'token', response.status, statusDetail(response.status));
    }
    const token = parseJson(TokenResponseSchema, response, 'token');
    deps.tokens.set(cacheKey, {
      accessToken: token.access_token,
      expiresAtMs: deps.now() + token.expires_in * 1000 - TOKEN_MARGIN_MS,
    });
    return token.access_token;
  }

  async function get(
    operation: string,
    url: string,
    options: { maxBytes?: number; accept?: string } = {},
  ): Promise<PlatformResponse> {
    for (let attempt = 0; ; attempt += 1) {
      const token = await accessToken();
      const response = await send(operation, {
        method: 'GET',
        url,
        headers: { authorization: `Bearer ${token}`, accept: options.accept ?? 'application/json' },
        maxBytes: options.maxBytes ?? JSON_LIMIT,
        timeoutMs,
        followRedirectsSafely: true,
      });
      if (response.status !== 401 || attempt > 0) return response;
      deps.tokens.drop(cacheKey);
    }
  }

  async function send(operation: string, request: Parameters<PlatformHttp>[0]): Promise<PlatformResponse> {
    try {
      return await deps.http(request);
    } catch (cause) {
      // The SSRF guard's refusal of a redirect stands as it is: its message is the meeting's failure reason.
      if (cause instanceof UrlRefusedError) throw cause;
      if (cause instanceof RangeError)
        throw new PlatformFetchError(`${PLATFORM} ${operation} failed: ${cause.message}`, { cause });
      // No answer (a timeout, a reset): transient, so the state machine asks again.
      throw new PlatformArtifactNotReadyError(`${PLATFORM} ${operation} got no answer; retrying`, cause);
    }
  }

  /** `GET /v2/{name}`; the name passed the event schema (`conferenceRecords/*\/transcripts/*`). */
  async function meetResource<T>(name: string, schema: z.ZodType<T>, what: string): Promise<T> {
    const path = name.split('/').map(encodeURIComponent).join('/');
    const response = await get(`Meet ${what}`, `${deps.endpoints.meetBaseUrl}/v2/${path}`);
    if (response.status === 404)
      throw new PlatformArtifactNotReadyError(`The Meet ${what} is not available yet.`);
    if (response.status !== 200) {
      throw requestError(PLATFORM, `Meet ${what}`, response.status, statusDetail(response.status));
    }
    return parseJson(schema, response, `Meet ${what}`);
  }

  async function driveContent(operation: string, url: string, maxBytes: number, fallbackType: string) {
    const response = await get(operation, url, { maxBytes, accept: '*/*' });
    if (response.status === 404)
      throw new PlatformArtifactNotReadyError('The Drive file is not available yet.');
    if (response.status !== 200) {
      throw requestError(PLATFORM, operation, response.status, statusDetail(response.status));
    }
    const contentType = response.contentType?.split(';')[0]?.trim() || fallbackType;
    return { body: response.body, contentType };
  }

  return {
    accessToken,

    /** The transcript Google Doc, exported as plain text (at most 10 MB). */
    async transcriptText(transcriptName: string): Promise<GoogleArtifactContent> {
      const transcript = await meetResource(transcriptName, TranscriptSchema, 'transcript');
      const document = transcript.docsDestination?.document;
      if (transcript.state !== 'FILE_GENERATED' || document === undefined) {
        throw new PlatformArtifactNotReadyError('The Meet transcript file has not been generated yet.');
      }
      const url = `${deps.endpoints.driveBaseUrl}/drive/v3/files/${document}/export?mimeType=text%2Fplain`;
      return driveContent('Drive export', url, DRIVE_EXPORT_LIMIT_BYTES, 'text/plain');
    },

    /** The recording (MP4) from the organizer's Drive. */
    async recording(recordingName: string): Promise<GoogleArtifactContent> {
      const recording = await meetResource(recordingName, RecordingSchema, 'recording');
      const file = recording.driveDestination?.file;
      if (recording.state !== 'FILE_GENERATED' || file === undefined) {
        throw new PlatformArtifactNotReadyError('The Meet recording file has not been generated yet.');
      }
      const url = `${deps.endpoints.driveBaseUrl}/drive/v3/files/${file}?alt=media`;
      return driveContent('Drive download', url, deps.maxRecordingBytes, 'video/mp4');
    },
  };
}

export type GoogleClient = ReturnType<typeof createGoogleClient>;

/** The signed JWT of the OAuth 2.0 JWT bearer grant (RFC 7523) for a service account. */
export function serviceAccountAssertion(
  key: GoogleServiceAccountKey,
  subject: string | undefined,
  audience: string,
  nowMs: number,
): string {
  const iat = Math.floor(nowMs / 1000);
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const header = { alg: 'RS256', typ: 'JWT', ...(key.private_key_id ? { kid: key.private_key_id } : {}) };
  const claims = {
    iss: key.client_email,
    ...(subject === undefined ? {} : { sub: subject }),
    scope: GOOGLE_SCOPES.join(' '),
    aud: audience,
    iat,
    exp: iat + ASSERTION_LIFETIME_SECONDS,
  };
  const input = `${part(header)}.${part(claims)}`;
  const signature = createSign('RSA-SHA256').update(input).sign(key.private_key).toString('base64url');
  return `${input}.${signature}`;
}

function parseJson<T>(schema: z.ZodType<T>, response: PlatformResponse, operation: string): T {
  let json: unknown;
  try {
    json = JSON.parse(response.body.toString('utf8'));
  } catch (cause) {
    throw requestError(PLATFORM, operation, response.status, 'the answer is not JSON', cause);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    throw requestError(PLATFORM, operation, response.status, 'the answer lacks expected fields');
  }
  return parsed.data;
}

function statusDetail(status: number): string {
  if (status === 400 || status === 401) {
    return `HTTP ${status} (check the service account key and its domain-wide delegation)`;
  }
  if (status === 403) return 'HTTP 403 (a missing scope or permission, or a Doc over the 10 MB export limit)';
  if (status === 429) return 'HTTP 429 (throttled)';
  return `HTTP ${status}`;
}
