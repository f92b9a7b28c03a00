import * as z from 'zod';
import type { AccessTokenCache } from '../../adapters/meeting-platforms/access-token-cache';
import type { PlatformHttp, PlatformResponse } from '../../adapters/meeting-platforms/platform-http';
import { requestError } from '../../adapters/meeting-platforms/platform-request-error';
import { PlatformArtifactNotReadyError, PlatformFetchError } from '../../core/platforms/errors';
import { UrlRefusedError } from '../../platform/errors';
import type { GraphTranscriptSummary } from './graph-subscriptions-port';

/** A firm's Entra app registration (client credentials), decrypted from its Teams integration. */
export interface GraphCredentials {
  tenantId: string;
  clientId: string;
  clientSecret: string;
}

export interface GraphEndpoints {
  /** `https://login.microsoftonline.com` (a fake's URL in tests). */
  loginBaseUrl: string;
  /** `https://graph.microsoft.com/v1.0`. */
  graphBaseUrl: string;
}

export interface GraphClientDeps {
  http: PlatformHttp;
  endpoints: GraphEndpoints;
  tokens: AccessTokenCache;
  now: () => number;
  /** Largest recording downloaded (transcripts are small; Graph serves them as text). */
  maxRecordingBytes: number;
  timeoutMs?: number;
}

/** Where a transcript or recording lives in Graph: the organizer's user id, the meeting and the artifact. */
export interface GraphArtifactLocation {
  userId: string;
  meetingId: string;
  artifactId: string;
}

export interface GraphSubscriptionRequest {
  resource: string;
  notificationUrl: string;
  lifecycleNotificationUrl: string;
  clientState: string;
  expirationDateTime: string;
}

export interface GraphSubscriptionResult {
  id: string;
  expirationDateTime: string;
}

const PLATFORM = 'Microsoft Graph';
const GRAPH_SCOPE = 'https://graph.microsoft.com/.default';
/** A token is renewed this long before Entra says it expires, so it never expires mid-request. */
const TOKEN_MARGIN_MS = 5 * 60_000;
const JSON_LIMIT = 1024 * 1024;
const TRANSCRIPT_LIMIT = 20 * 1024 * 1024;
const DEFAULT_TIMEOUT_MS = 20_000;

const TokenResponseSchema = z.object({
  access_token: z.string().min(1),
  expires_in: z.coerce.number().int().positive(),
});
const SubscriptionSchema = z.looseObject({ id: z.string().min(1), expirationDateTime: z.string().min(1) });
/** `subject` is null for a meeting nobody named (Meet now); `startDateTime` is UTC, often with 7 decimals. */
const OnlineMeetingSchema = z.looseObject({
  subject: z.string().nullish(),
  startDateTime: z.iso.datetime({ offset: true }).nullish(),
});

/**
 * One page of `getAllTranscripts`: ids, creation time and organizer of each transcript (the content is fetched
 * later, by the intake). Bounded so a hostile or broken answer cannot make us admit thousands of meetings.
 */
const TranscriptPageSchema = z.looseObject({
  value: z
    .array(
      z.looseObject({
        id: z.string().min(1).max(1024),
        meetingId: z.string().min(1).max(1024),
        createdDateTime: z.iso.datetime({ offset: true }).nullish(),
        meetingOrganizer: z
          .looseObject({ user: z.looseObject({ id: z.string().max(320).nullish() }).nullish() })
          .nullish(),
      }),
    )
    .max(1000),
  '@odata.nextLink': z.string().min(1).max(8192).optional(),
});

/** What the intake reads of an online meeting: its subject and scheduled start, nothing else. */
export interface GraphOnlineMeeting {
  subject: string | undefined;
  startDateTime: string | undefined;
}

/** What Graph gives back for one artifact: the bytes and their media type. */
export interface GraphArtifactContent {
  body: Buffer;
  contentType: string;
}

/**
 * Microsoft Graph for one firm's app registration: an app-only token by client credentials (cached until shortly
 * before it expires, renewed once on a 401), Teams transcripts as WebVTT, recordings, the online meeting's
 * subject and start, an organizer's recent transcripts, and change-notification subscriptions. An artifact
 * Graph does not have yet (404) is `PlatformArtifactNotReadyError`: the state machine waits and asks again; no
 * Lambda sleeps.
 */
export function createGraphClient(credentials: GraphCredentials, deps: GraphClientDeps) {
  const timeoutMs = deps.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const cacheKey = `${credentials.tenantId}\n${credentials.clientId}`;

  async function accessToken(requestTimeoutMs = timeoutMs): Promise<string> {
    const cached = deps.tokens.get(cacheKey, deps.now());
    if (cached !== undefined) return cached;
    const url = `${deps.endpoints.loginBaseUrl}/${encodeURIComponent(credentials.tenantId)}/oauth2/v2.0/token`;
    const response = await send('token', {
      method: 'POST',
      url,
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({
        client_id: credentials.clientId,
        client_secret: credentials.clientSecret,
        scope: GRAPH_SCOPE,
        grant_type: 'client_credentials',
      }).toString(),
      maxBytes: JSON_LIMIT,
      timeoutMs: requestTimeoutMs,
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

  /** A Graph call with the app token; a 401 (a token revoked early) drops it and tries once more. */
  async function graph(
    operation: string,
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
    path: string,
    options: {
      body?: unknown;
      accept?: string;
      maxBytes?: number;
      followRedirectsSafely?: boolean;
      timeoutMs?: number;
    } = {},
  ): Promise<PlatformResponse> {
    for (let attempt = 0; ; attempt += 1) {
      const token = await accessToken(options.timeoutMs);
      const response = await send(operation, {
        method,
        url: `${deps.endpoints.graphBaseUrl}${path}`,
        headers: {
          authorization: `Bearer ${token}`,
          accept: options.accept ?? 'application/json',
          ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
        maxBytes: options.maxBytes ?? JSON_LIMIT,
        timeoutMs: options.timeoutMs ?? timeoutMs,
        followRedirectsSafely: options.followRedirectsSafely ?? false,
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

  /** A next link is followed only under the Graph base URL, as a path; anything else is a broken answer. */
  function nextPath(nextLink: string | undefined, operation: string): string | undefined {
    if (nextLink === undefined) return undefined;
    const base = `${deps.endpoints.graphBaseUrl}/`;
    if (!nextLink.startsWith(base)) {
      throw requestError(PLATFORM, operation, 200, 'the next link leaves the Graph base URL');
    }
    return nextLink.slice(base.length - 1);
  }

  const meetingPath = (where: GraphArtifactLocation, collection: 'transcripts' | 'recordings') =>
    `/users/${encodeURIComponent(where.userId)}/onlineMeetings/${encodeURIComponent(where.meetingId)}/${collection}/${encodeURIComponent(where.artifactId)}/content`;

  return {
    accessToken,

    /** The transcript as WebVTT (`<v Speaker>` cues), Graph's preferred transcript format. */
    async transcriptVtt(where: GraphArtifactLocation): Promise<GraphArtifactContent> {
      const response = await graph(
        'transcript download',
        'GET',
        `${meetingPath(where, 'transcripts')}?$format=text/vtt`,
        {
          accept: 'text/vtt',
          maxBytes: TRANSCRIPT_LIMIT,
          followRedirectsSafely: true,
        },
      );
      return artifactContent(response, 'transcript download', 'text/vtt');
    },

    /** The recording's media (MP4); Graph may redirect to storage, which the SSRF guard vets. */
    async recording(where: GraphArtifactLocation): Promise<GraphArtifactContent> {
      const response = await graph('recording download', 'GET', meetingPath(where, 'recordings'), {
        accept: 'video/mp4, */*',
        maxBytes: deps.maxRecordingBytes,
        followRedirectsSafely: true,
      });
      return artifactContent(response, 'recording download', 'video/mp4');
    },

    /**
     * The online meeting's subject and start (`$select`: neither participants nor join details are fetched).
     * Needs `OnlineMeetings.Read.All` besides the artifact permissions, under the same application access policy;
     * a 404 or 403 is a `PlatformFetchError` with that status.
     */
    async onlineMeeting(where: Omit<GraphArtifactLocation, 'artifactId'>): Promise<GraphOnlineMeeting> {
      const response = await graph(
        'online meeting read',
        'GET',
        `/users/${encodeURIComponent(where.userId)}/onlineMeetings/${encodeURIComponent(where.meetingId)}?$select=subject,startDateTime`,
      );
      if (response.status !== 200) {
        throw requestError(PLATFORM, 'online meeting read', response.status, statusDetail(response.status));
      }
      const meeting = parseJson(OnlineMeetingSchema, response, 'online meeting read');
      return { subject: meeting.subject ?? undefined, startDateTime: meeting.startDateTime ?? undefined };
    },

    /**
     * `GET /users/{id}/onlineMeetings/getAllTranscripts(meetingOrganizerUserId='{id}',startDateTime=…)` with
     * `$top` as the page size, following `@odata.nextLink` (only back to the Graph base URL: the bearer token
     * goes nowhere else) until `maxTranscripts` are in hand. `timeoutMs` bounds the whole listing, token
     * included: what is in hand when it runs out is returned as `truncated`. App-only; needs
     * OnlineMeetingTranscript.Read.All under the application access policy, as fetching the content does.
     */
    async transcriptsByOrganizer(request: {
      userId: string;
      createdSince: string;
      pageSize: number;
      maxTranscripts: number;
      timeoutMs: number;
    }): Promise<{ transcripts: GraphTranscriptSummary[]; truncated: boolean }> {
      const operation = 'transcript list';
      const user = encodeURIComponent(request.userId);
      // An OData string literal doubles its quotes; the DateTimeOffset literal is unquoted, to the second.
      const organizer = encodeURIComponent(request.userId.replaceAll("'", "''"));
      const since = `${new Date(Date.parse(request.createdSince)).toISOString().slice(0, 19)}Z`;
      let path: string | undefined =
        `/users/${user}/onlineMeetings/getAllTranscripts(meetingOrganizerUserId='${organizer}',startDateTime=${since})?$top=${request.pageSize}`;
      const transcripts: GraphTranscriptSummary[] = [];
      const endMs = deps.now() + request.timeoutMs;
      // Graph may answer short or empty pages with a next link: the pages are bounded too.
      for (
        let pages = Math.ceil(request.maxTranscripts / request.pageSize) + 2;
        path !== undefined;
        pages -= 1
      ) {
        const remainingMs = endMs - deps.now();
        if (pages === 0 || remainingMs <= 0) return { transcripts, truncated: true };
        const response = await graph(operation, 'GET', path, { timeoutMs: remainingMs });
        if (response.status !== 200) {
          throw requestError(PLATFORM, operation, response.status, statusDetail(response.status));
        }
        const page = parseJson(TranscriptPageSchema, response, operation);
        for (const item of page.value) {
          if (transcripts.length === request.maxTranscripts) return { transcripts, truncated: true };
          transcripts.push({
            id: item.id,
            meetingId: item.meetingId,
            createdDateTime: item.createdDateTime ?? undefined,
            organizerId: item.meetingOrganizer?.user?.id ?? undefined,
          });
        }
        const next = page['@odata.nextLink'];
        if (transcripts.length === request.maxTranscripts) {
          return { transcripts, truncated: next !== undefined };
        }
        path = nextPath(next, operation);
      }
      return { transcripts, truncated: false };
    },

    async createSubscription(request: GraphSubscriptionRequest): Promise<GraphSubscriptionResult> {
      const response = await graph('subscription create', 'POST', '/subscriptions', {
        body: { changeType: 'created', ...request },
      });
      if (response.status !== 201 && response.status !== 200) {
        throw requestError(PLATFORM, 'subscription create', response.status, statusDetail(response.status));
      }
      return parseJson(SubscriptionSchema, response, 'subscription create');
    },

    /** Extends a subscription; `gone` when Graph no longer has it (removed, or expired before renewal). */
    async renewSubscription(
      id: string,
      expirationDateTime: string,
    ): Promise<GraphSubscriptionResult | 'gone'> {
      const response = await graph(
        'subscription renew',
        'PATCH',
        `/subscriptions/${encodeURIComponent(id)}`,
        {
          body: { expirationDateTime },
        },
      );
      if (response.status === 404) return 'gone';
      if (response.status !== 200) {
        throw requestError(PLATFORM, 'subscription renew', response.status, statusDetail(response.status));
      }
      return parseJson(SubscriptionSchema, response, 'subscription renew');
    },

    async deleteSubscription(id: string): Promise<void> {
      const response = await graph(
        'subscription delete',
        'DELETE',
        `/subscriptions/${encodeURIComponent(id)}`,
      );
      if (response.status !== 204 && response.status !== 200 && response.status !== 404) {
        throw requestError(PLATFORM, 'subscription delete', response.status, statusDetail(response.status));
      }
    },
  };
}

export type GraphClient = ReturnType<typeof createGraphClient>;

function artifactContent(
  response: PlatformResponse,
  operation: string,
  fallbackType: string,
): GraphArtifactContent {
  // Graph answers 404 until the transcript or recording has been processed after the meeting.
  if (response.status === 404) {
    throw new PlatformArtifactNotReadyError(`The Teams ${operation.split(' ')[0]} is not available yet.`);
  }
  if (response.status !== 200) {
    throw requestError(PLATFORM, operation, response.status, statusDetail(response.status));
  }
  if (response.body.length === 0) {
    throw new PlatformArtifactNotReadyError(`The Teams ${operation.split(' ')[0]} is empty so far.`);
  }
  const contentType = response.contentType?.split(';')[0]?.trim() || fallbackType;
  return { body: response.body, contentType };
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
  if (status === 400 || status === 401)
    return `HTTP ${status} (check the app registration's tenant, id and secret)`;
  if (status === 403) return 'HTTP 403 (the app lacks the permission or the application access policy)';
  if (status === 429) return 'HTTP 429 (throttled)';
  return `HTTP ${status}`;
}
