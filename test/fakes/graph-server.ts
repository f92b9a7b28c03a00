import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeGraphApp {
  tenantId: string;
  clientId: string;
  clientSecret: string;
}

export interface FakeGraphSubscription {
  id: string;
  changeType: string;
  resource: string;
  notificationUrl: string;
  lifecycleNotificationUrl: string | undefined;
  clientState: string | undefined;
  expirationDateTime: string;
  tenantId: string;
}

export interface FakeGraphArtifact {
  /** Answered 404 this many times before the content is served (Graph's "not processed yet"). */
  notReadyFor: number;
  contentType: string;
  body: Buffer;
  /** Served as a 302 to this URL instead of the body (Graph's recording content may redirect to storage). */
  redirectTo?: string;
  /** Graph's `createdDateTime` (ISO); when the fake was given the artifact, by default. */
  createdDateTime: string;
  requests: number;
}

export interface FakeGraphOnlineMeeting {
  /** Graph's `subject`: null for a meeting nobody named. */
  subject: string | null;
  /** Graph's `startDateTime` (UTC). */
  startDateTime: string | null;
  /** Answered with this status and a Graph error body instead (403: no OnlineMeetings.Read.All or policy). */
  failWith?: number;
  /** Served as the 200 body instead of the resource (a malformed answer). */
  rawBody?: string;
  requests: number;
}

export interface FakeGraph {
  /** Where `GRAPH_LOGIN_BASE_URL` points: `{loginBaseUrl}/{tenant}/oauth2/v2.0/token`. */
  loginBaseUrl: string;
  /** Where `GRAPH_BASE_URL` points (`…/v1.0`). */
  graphBaseUrl: string;
  apps: FakeGraphApp[];
  subscriptions: Map<string, FakeGraphSubscription>;
  /** Keyed by `{userId}/{meetingId}/{transcripts|recordings}/{artifactId}`. */
  artifacts: Map<string, FakeGraphArtifact>;
  /** Keyed by `{userId}/{meetingId}`. */
  onlineMeetings: Map<string, FakeGraphOnlineMeeting>;
  requests: { method: string; path: string; search: string; authorization: string | undefined }[];
  /** `getAllTranscripts` answers this status with a Graph error instead (403: no permission or policy). */
  transcriptListFailWith: number | undefined;
  tokensIssued: number;
  /** Adds a transcript (WebVTT) or recording that is 404 for its first `notReadyFor` requests. */
  addArtifact(
    where: { userId: string; meetingId: string; kind: 'transcripts' | 'recordings'; artifactId: string },
    artifact: Omit<FakeGraphArtifact, 'requests' | 'notReadyFor' | 'createdDateTime'> & {
      notReadyFor?: number;
      createdDateTime?: string;
    },
  ): FakeGraphArtifact;
  /** Adds the online meeting `GET /users/{userId}/onlineMeetings/{meetingId}` answers (404 for any other). */
  addOnlineMeeting(
    where: { userId: string; meetingId: string },
    meeting: Omit<FakeGraphOnlineMeeting, 'requests'>,
  ): FakeGraphOnlineMeeting;
  /** Answers every token request with 401 from now on (a revoked secret). */
  revokeTokens(): void;
  close(): Promise<void>;
}

/**
 * A loopback Microsoft Graph speaking the documented wire format: the Entra client-credentials token endpoint
 * (form body, `scope=https://graph.microsoft.com/.default`), `POST/PATCH/DELETE /subscriptions[/{id}]` — creating
 * one first validates `notificationUrl` and `lifecycleNotificationUrl` as Graph does (a POST with
 * `?validationToken=`, expecting the token back as text/plain within 10 s) — transcript / recording content
 * under `/users/{id}/onlineMeetings/{id}/…/content`, the online meeting itself (`$select` honoured), and the
 * organizer's transcripts by `getAllTranscripts(meetingOrganizerUserId='…',startDateTime=…)` (paged by `$top`
 * with an absolute `@odata.nextLink`), with a bearer token. Tokens expire after `expires_in`.
 */
export async function startFakeGraph(
  apps: FakeGraphApp[],
  options: { validateEndpoints?: boolean; expiresInSeconds?: number } = {},
): Promise<FakeGraph> {
  const tokens = new Set<string>();
  let revoked = false;
  const fake: Omit<FakeGraph, 'loginBaseUrl' | 'graphBaseUrl' | 'close'> = {
    apps,
    subscriptions: new Map(),
    artifacts: new Map(),
    onlineMeetings: new Map(),
    requests: [],
    transcriptListFailWith: undefined,
    tokensIssued: 0,
    addArtifact(where, artifact) {
      const stored: FakeGraphArtifact = {
        notReadyFor: 0,
        createdDateTime: new Date().toISOString(),
        ...artifact,
        requests: 0,
      };
      fake.artifacts.set(`${where.userId}/${where.meetingId}/${where.kind}/${where.artifactId}`, stored);
      return stored;
    },
    addOnlineMeeting(where, meeting) {
      const stored: FakeGraphOnlineMeeting = { ...meeting, requests: 0 };
      fake.onlineMeetings.set(`${where.userId}/${where.meetingId}`, stored);
      return stored;
    },
    revokeTokens() {
      revoked = true;
    },
  };

  let base = '';
  const json = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const graphError = (res: ServerResponse, status: number, code: string) =>
    json(res, status, { error: { code, message: code } });

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    const body = await readBody(req);
    fake.requests.push({
      method: req.method ?? '',
      path: url.pathname,
      search: url.search,
      authorization: req.headers.authorization,
    });

    const tokenPath = /^\/([^/]+)\/oauth2\/v2\.0\/token$/.exec(url.pathname);
    if (tokenPath && req.method === 'POST') {
      const form = new URLSearchParams(body.toString('utf8'));
      const app = apps.find(
        (a) =>
          a.tenantId === decodeURIComponent(tokenPath[1] ?? '') &&
          a.clientId === form.get('client_id') &&
          a.clientSecret === form.get('client_secret'),
      );
      if (
        revoked ||
        app === undefined ||
        form.get('grant_type') !== 'client_credentials' ||
        form.get('scope') !== 'https://graph.microsoft.com/.default'
      ) {
        json(res, 401, {
          error: 'invalid_client',
          error_description: 'AADSTS7000215: Invalid client secret.',
        });
        return;
      }
      const token = `graph-token-${randomUUID()}`;
      tokens.add(token);
      fake.tokensIssued += 1;
      json(res, 200, {
        token_type: 'Bearer',
        expires_in: options.expiresInSeconds ?? 3599,
        access_token: token,
      });
      return;
    }

    if (!url.pathname.startsWith('/v1.0/')) return graphError(res, 404, 'NotFound');
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (bearer === undefined || !tokens.has(bearer))
      return graphError(res, 401, 'InvalidAuthenticationToken');
    const path = url.pathname.slice('/v1.0'.length);

    if (path === '/subscriptions' && req.method === 'POST') {
      const request = JSON.parse(body.toString('utf8')) as Record<string, string>;
      for (const field of ['changeType', 'notificationUrl', 'resource', 'expirationDateTime'] as const) {
        if (typeof request[field] !== 'string') return graphError(res, 400, `InvalidRequest: ${field}`);
      }
      if (options.validateEndpoints !== false) {
        for (const target of [request.notificationUrl, request.lifecycleNotificationUrl]) {
          if (target !== undefined && !(await endpointEchoes(target))) {
            return graphError(res, 400, 'ValidationError: Subscription validation request failed.');
          }
        }
      }
      const subscription: FakeGraphSubscription = {
        id: randomUUID(),
        changeType: request.changeType as string,
        resource: request.resource as string,
        notificationUrl: request.notificationUrl as string,
        lifecycleNotificationUrl: request.lifecycleNotificationUrl,
        clientState: request.clientState,
        expirationDateTime: request.expirationDateTime as string,
        tenantId: apps[0]?.tenantId ?? 'tenant',
      };
      fake.subscriptions.set(subscription.id, subscription);
      const { clientState: _, ...shown } = subscription;
      return json(res, 201, {
        '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#subscriptions/$entity',
        ...shown,
      });
    }
    const subscriptionPath = /^\/subscriptions\/([^/]+)$/.exec(path);
    if (subscriptionPath) {
      const subscription = fake.subscriptions.get(decodeURIComponent(subscriptionPath[1] ?? ''));
      if (subscription === undefined) return graphError(res, 404, 'ResourceNotFound');
      if (req.method === 'PATCH') {
        const request = JSON.parse(body.toString('utf8')) as { expirationDateTime?: string };
        if (typeof request.expirationDateTime !== 'string') return graphError(res, 400, 'InvalidRequest');
        subscription.expirationDateTime = request.expirationDateTime;
        const { clientState: _, ...shown } = subscription;
        return json(res, 200, shown);
      }
      if (req.method === 'DELETE') {
        fake.subscriptions.delete(subscription.id);
        res.writeHead(204).end();
        return;
      }
    }
    const allTranscripts =
      /^\/users\/([^/]+)\/onlineMeetings\/getAllTranscripts\(meetingOrganizerUserId='([^']*)',startDateTime=([0-9TZ:.+-]+)\)$/.exec(
        decodeURIComponent(path),
      );
    if (allTranscripts && req.method === 'GET') {
      const [, userId, organizer, since] = allTranscripts;
      if (fake.transcriptListFailWith !== undefined) {
        return graphError(res, fake.transcriptListFailWith, 'Forbidden');
      }
      // Graph refuses the function without the organizer, and the app policy binds it to the path's user.
      if (organizer !== userId || Number.isNaN(Date.parse(since ?? ''))) {
        return graphError(res, 400, 'BadRequest');
      }
      const all = [...fake.artifacts.entries()].flatMap(([key, artifact]) => {
        const [owner, meetingId, kind, artifactId] = key.split('/');
        return owner === userId &&
          kind === 'transcripts' &&
          Date.parse(artifact.createdDateTime) >= Date.parse(since ?? '')
          ? [{ meetingId, artifactId, createdDateTime: artifact.createdDateTime }]
          : [];
      });
      const top = Number(url.searchParams.get('$top') ?? '100');
      const skip = Number(url.searchParams.get('$skiptoken') ?? '0');
      const page = all.slice(skip, skip + top);
      const next = new URL(`${base}/v1.0${path}`);
      next.searchParams.set('$top', String(top));
      next.searchParams.set('$skiptoken', String(skip + top));
      return json(res, 200, {
        '@odata.context':
          'https://graph.microsoft.com/v1.0/$metadata#Collection(microsoft.graph.callTranscript)',
        value: page.map((t) => ({
          id: t.artifactId,
          meetingId: t.meetingId,
          callId: randomUUID(),
          contentCorrelationId: randomUUID(),
          transcriptContentUrl: `${base}/v1.0/users/${userId}/onlineMeetings/${t.meetingId}/transcripts/${t.artifactId}/content`,
          createdDateTime: t.createdDateTime,
          endDateTime: t.createdDateTime,
          meetingOrganizer: {
            application: null,
            device: null,
            user: { id: userId, displayName: null, userIdentityType: 'aadUser', tenantId: apps[0]?.tenantId },
          },
        })),
        ...(skip + top < all.length ? { '@odata.nextLink': next.toString() } : {}),
      });
    }
    const content =
      /^\/users\/([^/]+)\/onlineMeetings\/([^/]+)\/(transcripts|recordings)\/([^/]+)\/content$/.exec(path);
    if (content && req.method === 'GET') {
      const [, userId, meetingId, kind, artifactId] = content.map((part) => decodeURIComponent(part ?? ''));
      const artifact = fake.artifacts.get(`${userId}/${meetingId}/${kind}/${artifactId}`);
      if (artifact === undefined) return graphError(res, 404, 'NotFound');
      artifact.requests += 1;
      if (artifact.requests <= artifact.notReadyFor) return graphError(res, 404, 'NotFound');
      if (kind === 'transcripts' && url.searchParams.get('$format') !== 'text/vtt') {
        return graphError(res, 400, 'Only text/vtt is served by this fake');
      }
      if (artifact.redirectTo !== undefined) {
        res.writeHead(302, { location: artifact.redirectTo }).end();
        return;
      }
      res.writeHead(200, { 'content-type': artifact.contentType, 'content-length': artifact.body.length });
      res.end(artifact.body);
      return;
    }
    const onlineMeetingPath = /^\/users\/([^/]+)\/onlineMeetings\/([^/]+)$/.exec(path);
    if (onlineMeetingPath && req.method === 'GET') {
      const [, userId, meetingId] = onlineMeetingPath.map((part) => decodeURIComponent(part ?? ''));
      const meeting = fake.onlineMeetings.get(`${userId}/${meetingId}`);
      if (meeting === undefined) return graphError(res, 404, 'NotFound');
      meeting.requests += 1;
      if (meeting.failWith !== undefined) {
        return graphError(res, meeting.failWith, meeting.failWith === 403 ? 'Forbidden' : 'UnknownError');
      }
      if (meeting.rawBody !== undefined) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(meeting.rawBody);
        return;
      }
      const resource: Record<string, unknown> = {
        id: meetingId,
        subject: meeting.subject,
        startDateTime: meeting.startDateTime,
        endDateTime: meeting.startDateTime,
        joinWebUrl: 'https://teams.microsoft.com/l/meetup-join/fake',
        participants: { organizer: { upn: 'organizer@firm.example' }, attendees: [] },
      };
      // `$select` as Graph honours it: the named properties (and the id) only.
      const select = url.searchParams.get('$select')?.split(',');
      const shown = select
        ? Object.fromEntries(Object.entries(resource).filter(([k]) => k === 'id' || select.includes(k)))
        : resource;
      return json(res, 200, {
        '@odata.context': `https://graph.microsoft.com/v1.0/$metadata#users('${userId}')/onlineMeetings/$entity`,
        ...shown,
      });
    }
    graphError(res, 404, 'NotFound');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return Object.assign(fake, {
    loginBaseUrl: base,
    graphBaseUrl: `${base}/v1.0`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  });
}

/** Graph's endpoint validation: POST `?validationToken=…`, the token must come back as text/plain. */
async function endpointEchoes(target: string): Promise<boolean> {
  const token = `Validation: Testing client application reachability for subscription Request-Id: ${randomUUID()}`;
  const url = new URL(target);
  url.searchParams.set('validationToken', token);
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'text/plain; charset=utf-8' },
      signal: AbortSignal.timeout(10_000),
    });
    return (
      response.status === 200 &&
      (response.headers.get('content-type') ?? '').startsWith('text/plain') &&
      (await response.text()) === token
    );
  } catch {
    return false;
  }
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
