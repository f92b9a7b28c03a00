import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccessTokenCache } from '../../../../functions/adapters/meeting-platforms/access-token-cache';
import { createPlatformHttp } from '../../../../functions/adapters/meeting-platforms/platform-http';
import {
  PlatformArtifactNotReadyError,
  PlatformFetchError,
} from '../../../../functions/core/platforms/errors';
import {
  createGraphClient,
  type GraphCredentials,
} from '../../../../functions/integrations/teams/graph-client';
import { UrlRefusedError } from '../../../../functions/platform/errors';

import { type FakeGraph, startFakeGraph } from '../../../fakes/graph-server';

const app: GraphCredentials = {
  tenantId: 'tenant-a',
  clientId: 'app-a',
  clientSecret: 'secret-a-0123456789',
};
const VTT = 'WEBVTT\n\n00:00:00.000 --> 00:00:04.000\n<v Renata Okafor>Good morning.</v>\n';
let graph: FakeGraph;

beforeAll(async () => {
  graph = await startFakeGraph([app], { validateEndpoints: false, expiresInSeconds: 3600 });
});
afterAll(async () => graph?.close());

function client(
  options: { now?: () => number; tokens?: AccessTokenCache; credentials?: GraphCredentials } = {},
) {
  return createGraphClient(options.credentials ?? app, {
    http: createPlatformHttp(),
    endpoints: { loginBaseUrl: graph.loginBaseUrl, graphBaseUrl: graph.graphBaseUrl },
    tokens: options.tokens ?? new AccessTokenCache(),
    now: options.now ?? (() => 1_000_000),
    maxRecordingBytes: 1024,
  });
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error,
  );
}

describe('Graph app token', () => {
  it('is fetched by client credentials once and reused until shortly before it expires', async () => {
    let now = 1_000_000;
    const tokens = new AccessTokenCache();
    const before = graph.tokensIssued;
    const c = client({ now: () => now, tokens });
    const first = await c.accessToken();
    expect(await c.accessToken()).toBe(first);
    expect(graph.tokensIssued - before).toBe(1);
    now += 3600_000 - 4 * 60_000; // inside the five-minute margin
    expect(await c.accessToken()).not.toBe(first);
    expect(graph.tokensIssued - before).toBe(2);
  });

  it('fails naming Graph and the token step for a wrong secret, without the secret in the message', async () => {
    const error = await rejection(
      client({ credentials: { ...app, clientSecret: 'wrong-secret-0000' } }).accessToken(),
    );
    expect(error).toBeInstanceOf(PlatformFetchError);
    expect((error as PlatformFetchError).status).toBe(401);
    expect((error as Error).message).toMatch(/^Microsoft Graph token failed: HTTP 401/);
    expect((error as Error).message).not.toContain('wrong-secret');
  });

  it('drops a token Graph refuses and retries once with a fresh one', async () => {
    const tokens = new AccessTokenCache();
    tokens.set('tenant-a\napp-a', { accessToken: 'revoked-early', expiresAtMs: 9e15 });
    graph.addArtifact(
      { userId: 'u-retry', meetingId: 'm', kind: 'transcripts', artifactId: 't' },
      { contentType: 'text/vtt', body: Buffer.from(VTT) },
    );
    const content = await client({ tokens }).transcriptVtt({
      userId: 'u-retry',
      meetingId: 'm',
      artifactId: 't',
    });
    expect(content.body.toString()).toBe(VTT);
  });
});

describe('Teams transcript download', () => {
  it('is not ready while Graph answers 404, then returns the WebVTT', async () => {
    const where = { userId: 'user-a', meetingId: 'MSo1N2E/Zg==', artifactId: 'VHJ/0Q==' };
    const artifact = graph.addArtifact(
      { ...where, kind: 'transcripts' },
      { contentType: 'text/vtt; charset=utf-8', body: Buffer.from(VTT), notReadyFor: 2 },
    );
    const c = client();
    for (let i = 0; i < 2; i += 1) {
      expect(await rejection(c.transcriptVtt(where))).toBeInstanceOf(PlatformArtifactNotReadyError);
    }
    const content = await c.transcriptVtt(where);
    expect(content).toEqual({ body: Buffer.from(VTT), contentType: 'text/vtt' });
    expect(artifact.requests).toBe(3);
    // Ids with `/` and `=` travel percent-encoded inside their own path segment.
    expect(graph.requests.at(-1)?.path).toBe(
      '/v1.0/users/user-a/onlineMeetings/MSo1N2E%2FZg%3D%3D/transcripts/VHJ%2F0Q%3D%3D/content',
    );
  });
});

describe('Teams recording download (SSRF guard on redirects)', () => {
  it.each([
    ['the metadata address', 'https://169.254.169.254/latest/meta-data/', 'private_address'],
    ['a loopback host', 'https://127.0.0.1/rec.mp4', 'private_address'],
    ['a non-https port', 'https://storage.example.com:8443/rec.mp4', 'port'],
    ['plain http', 'http://storage.example.com/rec.mp4', 'scheme'],
    ['a private network', 'https://10.0.0.5/rec.mp4', 'private_address'],
  ])('refuses a redirect to %s', async (_, location, reason) => {
    const where = { userId: 'user-a', meetingId: 'm-ssrf', artifactId: reason + location.length };
    graph.addArtifact(
      { ...where, kind: 'recordings' },
      { contentType: 'video/mp4', body: Buffer.alloc(0), redirectTo: location },
    );
    // The guard's refusal itself: its message becomes the meeting's failure reason.
    const error = await rejection(client().recording(where));
    expect(error).toBeInstanceOf(UrlRefusedError);
    expect((error as UrlRefusedError).reason).toBe(reason);
  });

  it('refuses a recording larger than the limit', async () => {
    const where = { userId: 'user-a', meetingId: 'm-big', artifactId: 'r' };
    graph.addArtifact(
      { ...where, kind: 'recordings' },
      { contentType: 'video/mp4', body: Buffer.alloc(2048) },
    );
    expect((await rejection(client().recording(where))) as Error).toBeInstanceOf(PlatformFetchError);
  });

  it('treats throttling and server errors as not ready (the state machine retries), other refusals as final', async () => {
    const c = createGraphClient(app, {
      http: async (request) =>
        request.url.includes('/oauth2/')
          ? {
              status: 200,
              contentType: 'application/json',
              body: Buffer.from('{"access_token":"t","expires_in":3600}'),
            }
          : {
              status: Number(new URL(request.url).pathname.split('/')[5]),
              contentType: undefined,
              body: Buffer.alloc(0),
            },
      endpoints: { loginBaseUrl: 'https://login.example', graphBaseUrl: 'https://graph.example/v1.0' },
      tokens: new AccessTokenCache(),
      now: () => 0,
      maxRecordingBytes: 10,
    });
    const at = (status: number) => c.recording({ userId: 'u', meetingId: String(status), artifactId: 'r' });
    expect(await rejection(at(429))).toBeInstanceOf(PlatformArtifactNotReadyError);
    expect(await rejection(at(503))).toBeInstanceOf(PlatformArtifactNotReadyError);
    const forbidden = await rejection(at(403));
    expect(forbidden).toBeInstanceOf(PlatformFetchError);
    expect((forbidden as Error).message).toMatch(/application access policy/);
  });
});

describe('Teams online meeting (subject and start)', () => {
  const at = (meetingId: string) => ({ userId: 'user-a', meetingId });

  it('reads the subject and start, asking Graph for those two fields only', async () => {
    graph.addOnlineMeeting(at('MSo/good=='), {
      subject: 'Annual review — Okafor',
      startDateTime: '2026-01-20T15:00:00.5714003Z',
    });
    const before = graph.tokensIssued;
    const urls: string[] = [];
    const http = createPlatformHttp();
    const c = createGraphClient(app, {
      http: (request) => {
        urls.push(request.url);
        return http(request);
      },
      endpoints: { loginBaseUrl: graph.loginBaseUrl, graphBaseUrl: graph.graphBaseUrl },
      tokens: new AccessTokenCache(),
      now: () => 1_000_000,
      maxRecordingBytes: 1024,
    });
    expect(await c.onlineMeeting(at('MSo/good=='))).toEqual({
      subject: 'Annual review — Okafor',
      startDateTime: '2026-01-20T15:00:00.5714003Z',
    });
    expect(urls.at(-1)).toBe(
      `${graph.graphBaseUrl}/users/user-a/onlineMeetings/MSo%2Fgood%3D%3D?$select=subject,startDateTime`,
    );
    // The token the artifact download cached serves this call too.
    await c.onlineMeeting(at('MSo/good=='));
    expect(graph.tokensIssued - before).toBe(1);
  });

  it('gives no subject for an empty or null one, and no start for a null one', async () => {
    graph.addOnlineMeeting(at('m-empty'), { subject: '', startDateTime: '2026-01-20T15:00:00Z' });
    graph.addOnlineMeeting(at('m-null'), { subject: null, startDateTime: null });
    expect(await client().onlineMeeting(at('m-empty'))).toEqual({
      subject: '',
      startDateTime: '2026-01-20T15:00:00Z',
    });
    expect(await client().onlineMeeting(at('m-null'))).toEqual({
      subject: undefined,
      startDateTime: undefined,
    });
  });

  it.each([
    ['an unknown meeting', 'm-unknown', undefined, 404, /HTTP 404/],
    ['a missing permission or access policy', 'm-403', 403, 403, /application access policy/],
  ])(
    'fails for %s with the status, naming the operation',
    async (_, meetingId, failWith, status, message) => {
      if (failWith !== undefined) {
        graph.addOnlineMeeting(at(meetingId), { subject: 'Secret plans', startDateTime: null, failWith });
      }
      const error = await rejection(client().onlineMeeting(at(meetingId)));
      expect(error).toBeInstanceOf(PlatformFetchError);
      expect((error as PlatformFetchError).status).toBe(status);
      expect((error as Error).message).toMatch(/^Microsoft Graph online meeting read failed: /);
      expect((error as Error).message).toMatch(message);
    },
  );

  it.each([
    ['not JSON', '<html>oops</html>'],
    ['a subject that is not text', '{"subject":42,"startDateTime":"2026-01-20T15:00:00Z"}'],
    ['a start that is not a date-time', '{"subject":"Review for Jane Roe","startDateTime":"yesterday"}'],
  ])('refuses an answer that is %s, without quoting it', async (_, rawBody) => {
    graph.addOnlineMeeting(at(`m-bad-${rawBody.length}`), { subject: null, startDateTime: null, rawBody });
    const error = await rejection(client().onlineMeeting(at(`m-bad-${rawBody.length}`)));
    expect(error).toBeInstanceOf(PlatformFetchError);
    expect((error as Error).message).not.toMatch(/Jane Roe|oops|42/);
  });

  it('treats no answer (a timeout) as not ready, like every Graph call', async () => {
    const c = createGraphClient(app, {
      http: async (request) => {
        if (request.url.includes('/oauth2/')) {
          return {
            status: 200,
            contentType: 'application/json',
            body: Buffer.from('{"access_token":"t","expires_in":3600}'),
          };
        }
        throw new DOMException('The operation was aborted due to timeout', 'TimeoutError');
      },
      endpoints: { loginBaseUrl: 'https://login.example', graphBaseUrl: 'https://graph.example/v1.0' },
      tokens: new AccessTokenCache(),
      now: () => 0,
      maxRecordingBytes: 10,
    });
    expect(await rejection(c.onlineMeeting(at('m-slow')))).toBeInstanceOf(PlatformArtifactNotReadyError);
  });
});

describe('Graph subscriptions', () => {
  it('creates, renews and deletes; renewing one Graph no longer has is `gone`', async () => {
    const c = client();
    const created = await c.createSubscription({
      resource: 'users/user-a/onlineMeetings/getAllTranscripts',
      notificationUrl: 'https://api.example.com/webhooks/teams',
      lifecycleNotificationUrl: 'https://api.example.com/webhooks/teams/lifecycle',
      clientState: 'client-state-0123456789',
      expirationDateTime: '2026-01-03T00:00:00.000Z',
    });
    expect(graph.subscriptions.get(created.id)).toMatchObject({
      changeType: 'created',
      clientState: 'client-state-0123456789',
      lifecycleNotificationUrl: 'https://api.example.com/webhooks/teams/lifecycle',
    });
    expect(await c.renewSubscription(created.id, '2026-01-05T00:00:00.000Z')).toEqual(
      expect.objectContaining({ id: created.id, expirationDateTime: '2026-01-05T00:00:00.000Z' }),
    );
    await c.deleteSubscription(created.id);
    expect(graph.subscriptions.has(created.id)).toBe(false);
    expect(await c.renewSubscription(created.id, '2026-01-06T00:00:00.000Z')).toBe('gone');
  });
});

describe('Teams transcripts by organizer (getAllTranscripts)', () => {
  const SINCE = '2026-01-01T00:00:00.000Z';
  const list = (c: ReturnType<typeof client>, userId: string, pageSize: number, maxTranscripts: number) =>
    c.transcriptsByOrganizer({ userId, createdSince: SINCE, pageSize, maxTranscripts, timeoutMs: 1_000 });

  /** A Graph that answers the token and then each listing request with the next canned body. */
  function canned(pages: string[], options: { now?: () => number; timeouts?: number[] } = {}) {
    const urls: string[] = [];
    const c = createGraphClient(app, {
      http: async (request) => {
        options.timeouts?.push(request.timeoutMs);
        if (request.url.includes('/oauth2/')) {
          return {
            status: 200,
            contentType: 'application/json',
            body: Buffer.from('{"access_token":"t","expires_in":3600}'),
          };
        }
        urls.push(request.url);
        return { status: 200, contentType: 'application/json', body: Buffer.from(pages.shift() ?? '{}') };
      },
      endpoints: { loginBaseUrl: 'https://login.example', graphBaseUrl: 'https://graph.example/v1.0' },
      tokens: new AccessTokenCache(),
      now: options.now ?? (() => 0),
      maxRecordingBytes: 10,
    });
    return { c, urls };
  }

  it('asks for the organizer’s transcripts since the window start, a page at a time, following next links', async () => {
    for (const n of [1, 2, 3, 4, 5]) {
      graph.addArtifact(
        { userId: 'org-1', meetingId: `MSo${n}`, kind: 'transcripts', artifactId: `t${n}` },
        { contentType: 'text/vtt', body: Buffer.from(VTT), createdDateTime: `2026-01-0${n}T10:00:00Z` },
      );
    }
    graph.addArtifact(
      { userId: 'org-1', meetingId: 'MSoOld', kind: 'transcripts', artifactId: 'old' },
      { contentType: 'text/vtt', body: Buffer.from(VTT), createdDateTime: '2025-12-31T23:59:59Z' },
    );
    const before = graph.requests.length;
    const result = await list(client(), 'org-1', 2, 50);
    expect(result.truncated).toBe(false);
    expect(result.transcripts.map((t) => t.id)).toEqual(['t1', 't2', 't3', 't4', 't5']);
    expect(result.transcripts[0]).toEqual({
      id: 't1',
      meetingId: 'MSo1',
      createdDateTime: '2026-01-01T10:00:00Z',
      organizerId: 'org-1',
    });
    const listed = graph.requests.slice(before).filter((r) => r.path.includes('getAllTranscripts'));
    expect(listed).toHaveLength(3);
    expect(listed[0]).toMatchObject({
      path: "/v1.0/users/org-1/onlineMeetings/getAllTranscripts(meetingOrganizerUserId='org-1',startDateTime=2026-01-01T00:00:00Z)",
      search: '?$top=2',
    });
    expect(listed.every((r) => r.authorization?.startsWith('Bearer '))).toBe(true);
  });

  it('stops at the cap and says whether Graph had more', async () => {
    expect(await list(client(), 'org-1', 2, 3)).toMatchObject({ truncated: true });
    expect((await list(client(), 'org-1', 2, 3)).transcripts).toHaveLength(3);
    // The cap reached at a page's end: more only if Graph gave a next link.
    expect(await list(client(), 'org-1', 2, 4)).toMatchObject({ truncated: true });
    expect(await list(client(), 'org-1', 5, 5)).toMatchObject({ truncated: false });
  });

  it('quotes the organizer as an OData string literal, percent-encoded', async () => {
    const { c, urls } = canned(['{"value":[]}']);
    await list(c, "o'brien@firm.example", 10, 10);
    expect(urls).toEqual([
      "https://graph.example/v1.0/users/o'brien%40firm.example/onlineMeetings/getAllTranscripts(meetingOrganizerUserId='o''brien%40firm.example',startDateTime=2026-01-01T00:00:00Z)?$top=10",
    ]);
  });

  it('refuses a malformed answer naming the operation, and a next link off the Graph base URL', async () => {
    for (const body of [
      'not json',
      '{"value":[{"id":"t1"}]}',
      '{"value":[{"id":"t1","meetingId":"m1","createdDateTime":"yesterday"}]}',
      '{"items":[]}',
    ]) {
      const error = await rejection(list(canned([body]).c, 'org-1', 10, 10));
      expect(error).toBeInstanceOf(PlatformFetchError);
      expect((error as Error).message).toMatch(/^Microsoft Graph transcript list failed: the answer/);
    }
    const { c, urls } = canned([
      '{"value":[{"id":"t1","meetingId":"m1"}],"@odata.nextLink":"https://evil.example/v1.0/next"}',
    ]);
    const error = await rejection(list(c, 'org-1', 1, 10));
    expect((error as Error).message).toMatch(/next link leaves the Graph base URL/);
    expect(urls).toHaveLength(1);
  });

  it('bounds the pages when Graph keeps answering empty ones with a next link', async () => {
    const empty = '{"value":[],"@odata.nextLink":"https://graph.example/v1.0/users/org-1/next?$skiptoken=x"}';
    const { c, urls } = canned(Array.from({ length: 10 }, () => empty));
    expect(await list(c, 'org-1', 5, 10)).toEqual({ transcripts: [], truncated: true });
    expect(urls).toHaveLength(4);
    expect(urls[1]).toBe('https://graph.example/v1.0/users/org-1/next?$skiptoken=x');
  });

  it('bounds the whole listing, token included, by its timeout: what is in hand comes back truncated', async () => {
    let now = 0;
    const timeouts: number[] = [];
    const page =
      '{"value":[{"id":"t1","meetingId":"m1"}],"@odata.nextLink":"https://graph.example/v1.0/next"}';
    const { c, urls } = canned([page, page, page], {
      now: () => {
        now += 400; // every look at the clock: 400 ms of Graph's time
        return now;
      },
      timeouts,
    });
    const result = await list(c, 'org-1', 1, 10);
    expect(result).toMatchObject({ truncated: true });
    expect(result.transcripts.length).toBeLessThan(3);
    expect(urls.length).toBeLessThan(3);
    expect(Math.max(...timeouts)).toBeLessThanOrEqual(1_000);
  });

  it('fails with the status when Graph refuses (no permission or access policy)', async () => {
    graph.transcriptListFailWith = 403;
    try {
      const error = await rejection(list(client(), 'org-1', 10, 10));
      expect(error).toBeInstanceOf(PlatformFetchError);
      expect((error as PlatformFetchError).status).toBe(403);
      expect((error as Error).message).toMatch(/application access policy/);
    } finally {
      graph.transcriptListFailWith = undefined;
    }
  });
});
