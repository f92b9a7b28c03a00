import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalHost, startLocalHost } from '../../lib/local/local-host';
import { findFreePort } from '../../lib/local/port-check';
import { type FakeGoogle, startFakeGoogle } from '../fakes/google-server';
import { type FakeGraph, startFakeGraph } from '../fakes/graph-server';
import { type ApiClient, apiClient } from '../support/api-client';
import { registerFirm } from '../support/identity-helpers';
import { runHostCommand } from './global-setup';

const GOLDEN = join(import.meta.dirname, '..', '..', '..', 'shared', 'golden');
const AZURE_TENANT = randomUUID();
const APP = { tenantId: AZURE_TENANT, clientId: randomUUID(), clientSecret: `secret-${randomUUID()}` };
const CLIENT_STATE = randomBytes(32).toString('hex');
const GRAPH_USER = randomUUID();
const sa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const SA_EMAIL = 'meet-reader@firm.iam.gserviceaccount.com';
const MEET_TOKEN = randomBytes(24).toString('hex');
const ADVISER_GOOGLE = 'renata@firm.example';

let graph: FakeGraph;
let google: FakeGoogle;
let host: LocalHost;
let api: ApiClient;
let firm: Awaited<ReturnType<typeof registerFirm>>;
const saved = { ...process.env };

beforeAll(async () => {
  graph = await startFakeGraph([APP]);
  google = await startFakeGoogle([
    { clientEmail: SA_EMAIL, publicKeyPem: sa.publicKey.export({ format: 'pem', type: 'spki' }).toString() },
  ]);
  const port = await findFreePort();
  Object.assign(process.env, {
    PASSWORD_SCRYPT_LOG_N: '14',
    WEBHOOK_BASE_URL: `http://127.0.0.1:${port}`,
    GRAPH_LOGIN_BASE_URL: graph.loginBaseUrl,
    GRAPH_BASE_URL: graph.graphBaseUrl,
    GOOGLE_TOKEN_URL: google.tokenUrl,
    GOOGLE_MEET_BASE_URL: google.meetBaseUrl,
    GOOGLE_DRIVE_BASE_URL: google.driveBaseUrl,
  });
  // The intake's "not ready" retries wait 200 ms here instead of a minute and more.
  host = await startLocalHost({
    memory: true,
    port,
    print: () => {},
    intakeRetryIntervalOverrides: { FetchPlatformArtifact: 200 },
  });
  api = apiClient(host.url);
  firm = await registerFirm('teamsmeet', api);
}, 120_000);

afterAll(async () => {
  await host?.stop();
  await graph?.close();
  await google?.close();
  process.env = saved;
});

const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${host.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

async function meetingsOf(...titles: string[]) {
  const list = await api.get<{ items: { id: string; title: string; status: string }[] }>(
    '/api/v1/meetings?limit=100',
    firm.token,
  );
  return list.body.items.filter((m) => titles.includes(m.title));
}

async function waitForStatus(meetingId: string, wanted: string) {
  let details: Record<string, unknown> = {};
  for (let i = 0; i < 300 && details.status !== wanted; i += 1) {
    details = (await api.get<Record<string, unknown>>(`/api/v1/meetings/${meetingId}`, firm.token)).body;
    if (details.status === 'failed' && wanted !== 'failed') break;
    await new Promise((r) => setTimeout(r, 100));
  }
  expect(details.status, JSON.stringify(details.failure_reason ?? details.failure ?? '')).toBe(wanted);
  return details;
}

async function consentAndComplete(meetingId: string) {
  await waitForStatus(meetingId, 'awaiting_consent');
  const consent = await api.post(
    `/api/v1/meetings/${meetingId}/consent`,
    { method: 'written', participant_states: ['NY'] },
    firm.token,
  );
  expect(consent.status).toBe(200);
  return waitForStatus(meetingId, 'completed');
}

describe('Teams on the local host (fake Graph)', () => {
  const notification = (transcriptId: string, clientState = CLIENT_STATE) => ({
    value: [
      {
        subscriptionId: [...graph.subscriptions.keys()][0] ?? 'none',
        clientState,
        changeType: 'created',
        resource: `users('${GRAPH_USER}')/onlineMeetings('MSo${transcriptId}')/transcripts('${transcriptId}')`,
        tenantId: AZURE_TENANT,
        resourceData: { '@odata.type': '#Microsoft.Graph.callTranscript', id: transcriptId },
      },
    ],
  });

  it('answers Graph’s validation with the token as text/plain, on both URLs', async () => {
    const token = 'Validation: Testing client application reachability <&> 100%';
    for (const path of ['/webhooks/teams', '/webhooks/teams/lifecycle']) {
      const res = await fetch(`${host.url}${path}?validationToken=${encodeURIComponent(token)}`, {
        method: 'POST',
        headers: { 'content-type': 'text/plain; charset=utf-8' },
      });
      // Graph requires exactly 200 with the token as text/plain, within 10 s.
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
      expect(await res.text()).toBe(token);
    }
  });

  it('connects the firm and subscribes its organizer (Graph validates both URLs first)', async () => {
    const saved = await api.put(
      '/api/v1/integrations/teams',
      {
        platform: 'teams',
        azure_tenant_id: AZURE_TENANT,
        client_id: APP.clientId,
        client_secret: APP.clientSecret,
        client_state: CLIENT_STATE,
        advisor_mappings: [{ platform_user: GRAPH_USER, advisor_user_id: firm.userId }],
      },
      firm.token,
    );
    expect(saved.status).toBe(200);
    const subscribed = await api.post<{ created: unknown[] }>(
      '/api/v1/integrations/teams/subscriptions',
      {},
      firm.token,
    );
    expect(subscribed.status).toBe(200);
    expect(subscribed.body.created).toHaveLength(1);
    const [subscription] = graph.subscriptions.values();
    expect(subscription).toMatchObject({
      resource: `users/${GRAPH_USER}/onlineMeetings/getAllTranscripts`,
      clientState: CLIENT_STATE,
      notificationUrl: `${host.url}/webhooks/teams`,
      lifecycleNotificationUrl: `${host.url}/webhooks/teams/lifecycle`,
    });
  });

  it('refuses a notification with another clientState: 401, no meeting', async () => {
    const res = await post('/webhooks/teams', notification('forged', randomBytes(32).toString('hex')));
    expect(res.status).toBe(401);
    const bad = await post('/webhooks/teams', '{"value":[{"subscriptionId":1}]}');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { issues: { path: string }[] } }).error.issues[0]?.path).toMatch(
      /^body\.value\.0/,
    );
    expect(await meetingsOf('Microsoft Teams meeting')).toEqual([]);
  });

  it('takes a transcript in once, waits while Graph says 404, takes the meeting’s subject and start, then runs it to completed', async () => {
    const vtt = await readFile(join(GOLDEN, 'meeting-02.vtt'));
    const transcript = graph.addArtifact(
      { userId: GRAPH_USER, meetingId: 'MSot1', kind: 'transcripts', artifactId: 't1' },
      { contentType: 'text/vtt', body: vtt, notReadyFor: 3 },
    );
    // Less than a day before the notification, so its UTC date is the notification's or the day before: the
    // intake takes it either way (an older start is a recurring series' and is not taken).
    const start = new Date(Date.now() - 23 * 3_600_000);
    const subject = 'Okafor household — annual review';
    const onlineMeeting = graph.addOnlineMeeting(
      { userId: GRAPH_USER, meetingId: 'MSot1' },
      { subject: `  ${subject}  `, startDateTime: start.toISOString() },
    );
    expect((await post('/webhooks/teams', notification('t1'))).status).toBe(200);
    expect((await post('/webhooks/teams', notification('t1'))).status).toBe(200); // Graph redelivers
    // The intake may already have renamed it.
    // One listing: the intake may retitle the meeting from the placeholder to the subject between two reads.
    const meetings = await meetingsOf('Microsoft Teams meeting', subject);
    expect(meetings).toHaveLength(1);
    const details = await consentAndComplete(meetings[0]?.id ?? '');
    expect(transcript.requests).toBeGreaterThanOrEqual(4);
    expect(details).toMatchObject({
      status: 'completed',
      title: subject,
      meeting_date: start.toISOString().slice(0, 10),
    });
    // One read of the meeting, however often the transcript was asked for.
    expect(onlineMeeting.requests).toBe(1);
    expect(await meetingsOf(subject)).toHaveLength(1);
    expect(await meetingsOf('Microsoft Teams meeting')).toEqual([]);
  }, 90_000);
});

describe('Teams subscription lifecycle on the local host', () => {
  const lifecycle = (subscriptionId: string, event: string, clientState = CLIENT_STATE) => ({
    value: [
      {
        subscriptionId,
        subscriptionExpirationDateTime: new Date(Date.now() + 3_600_000).toISOString(),
        tenantId: AZURE_TENANT,
        clientState,
        lifecycleEvent: event,
      },
    ],
  });

  it('renews on reauthorizationRequired, refuses a forged one, and recreates a removed subscription', async () => {
    const [subscription] = graph.subscriptions.values();
    if (subscription === undefined) throw new Error('no subscription');
    const before = subscription.expirationDateTime;
    await new Promise((r) => setTimeout(r, 5));
    const forged = await post(
      '/webhooks/teams/lifecycle',
      lifecycle(subscription.id, 'reauthorizationRequired', randomBytes(32).toString('hex')),
    );
    expect(forged.status).toBe(401);
    expect(subscription.expirationDateTime).toBe(before);

    const renewed = await post(
      '/webhooks/teams/lifecycle',
      lifecycle(subscription.id, 'reauthorizationRequired'),
    );
    expect(renewed.status).toBe(200);
    expect(Date.parse(subscription.expirationDateTime)).toBeGreaterThan(Date.parse(before));

    graph.subscriptions.delete(subscription.id); // Graph removed it
    const removed = await post(
      '/webhooks/teams/lifecycle',
      lifecycle(subscription.id, 'subscriptionRemoved'),
    );
    expect(removed.status).toBe(200);
    const [replacement] = graph.subscriptions.values();
    expect(replacement).toMatchObject({
      resource: `users/${GRAPH_USER}/onlineMeetings/getAllTranscripts`,
      clientState: CLIENT_STATE,
    });
    expect(replacement?.id).not.toBe(subscription.id);
  });

  it('on missed, takes in a transcript whose notification never came, once, through Graph’s listing', async () => {
    const [subscription] = graph.subscriptions.values();
    if (subscription === undefined) throw new Error('no subscription');
    const vtt = await readFile(join(GOLDEN, 'meeting-02.vtt'));
    graph.addArtifact(
      { userId: GRAPH_USER, meetingId: 'MSot2', kind: 'transcripts', artifactId: 't2' },
      { contentType: 'text/vtt', body: vtt },
    );
    const subject = 'Pruitt household — missed notification';
    graph.addOnlineMeeting(
      { userId: GRAPH_USER, meetingId: 'MSot2' },
      { subject, startDateTime: new Date(Date.now() - 2 * 3_600_000).toISOString() },
    );
    const all = async () =>
      (await api.get<{ items: { id: string }[] }>('/api/v1/meetings?limit=100', firm.token)).body.items;
    const before = (await all()).length;
    const listed = () => graph.requests.filter((r) => r.path.includes('getAllTranscripts')).length;

    // No change notification for t2 is ever posted: Graph dropped it and says so.
    expect((await post('/webhooks/teams/lifecycle', lifecycle(subscription.id, 'missed'))).status).toBe(200);
    expect(listed()).toBe(1);
    // One listing: the intake may retitle the meeting from the placeholder to the subject between two reads.
    const meetings = await meetingsOf('Microsoft Teams meeting', subject);
    expect(meetings).toHaveLength(1);
    await waitForStatus(meetings[0]?.id ?? '', 'awaiting_consent');
    // t1, admitted by its notification earlier, was listed too and found a duplicate.
    expect((await all()).length).toBe(before + 1);

    expect((await post('/webhooks/teams/lifecycle', lifecycle(subscription.id, 'missed'))).status).toBe(200);
    expect(listed()).toBe(2);
    expect((await all()).length).toBe(before + 1);
    expect(await meetingsOf(subject)).toHaveLength(1);
  }, 90_000);
});

describe('Teams subscription renewal job against the local host’s table and the fake Graph', () => {
  it('renews every subscription inside the window through Graph and moves its expiry in the table', async () => {
    // Imported here: the module builds its runtime from the environment the host has set by now.
    const { renewTeamsSubscriptionsJob } = await import('../../functions/events/renew-teams-subscriptions');
    const { teamsRuntime } = await import('../../functions/composition/teams-runtime');
    const runtime = teamsRuntime();
    const [before] = await runtime.subscriptions.listForFirm(firm.tenantId);
    if (before === undefined) throw new Error('no subscription');
    const lines: string[] = [];
    const log = { info: (m: string) => lines.push(m), warn: (m: string) => lines.push(`warn ${m}`) };
    // A window wider than the lifetime: every live subscription is due.
    const settings = {
      notificationUrl: runtime.settings.notificationUrl,
      lifecycleNotificationUrl: runtime.settings.lifecycleNotificationUrl,
      lifetimeMinutes: runtime.settings.lifetimeMinutes,
      renewWithinMinutes: 10_000,
      batchSize: 10,
    };
    const later = Date.now() + 60_000;
    await renewTeamsSubscriptionsJob({ ...runtime, settings, clock: { now: () => later } }, log as never)();
    expect(lines).toEqual(['teams subscriptions renewed']);
    const [after] = await runtime.subscriptions.listForFirm(firm.tenantId);
    expect(after?.subscriptionId).toBe(before.subscriptionId);
    expect(after?.expiresAt).toBe(new Date(later + settings.lifetimeMinutes * 60_000).toISOString());
    expect(graph.subscriptions.get(before.subscriptionId)?.expirationDateTime).toBe(after?.expiresAt);
  });
});

describe('Teams renewal schedule run end to end on the local host', () => {
  it('smartad run-schedule renews a subscription about to lapse through the fake Graph and records it', async () => {
    const { teamsRuntime } = await import('../../functions/composition/teams-runtime');
    const runtime = teamsRuntime();
    const [current] = await runtime.subscriptions.listForFirm(firm.tenantId);
    if (current === undefined) throw new Error('no subscription');
    // As if the hours had passed: the subscription lapses in 30 minutes, inside TEAMS_RENEW_WITHIN_MINUTES.
    const lapsing = new Date(Date.now() + 30 * 60_000).toISOString();
    await runtime.subscriptions.put({ ...current, expiresAt: lapsing });
    const graphSubscription = graph.subscriptions.get(current.subscriptionId);
    if (graphSubscription) graphSubscription.expirationDateTime = lapsing;

    const before = Date.now();
    const result = await runHostCommand(['run-schedule', 'renew-teams-subscriptions'], {
      SMARTAD_HOME: host.home,
    });
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/^schedule renew-teams-subscriptions succeeded in \d+ ms\n$/);
    expect(result.code).toBe(0);

    const [after] = await runtime.subscriptions.listForFirm(firm.tenantId);
    expect(after?.subscriptionId).toBe(current.subscriptionId);
    const lifetimeMs = runtime.settings.lifetimeMinutes * 60_000;
    expect(Date.parse(after?.expiresAt ?? '')).toBeGreaterThanOrEqual(before + lifetimeMs - 1000);
    expect(graph.subscriptions.get(current.subscriptionId)?.expirationDateTime).toBe(after?.expiresAt);
  });

  it('refuses an unknown schedule, listing the known ones, without running anything', async () => {
    const result = await runHostCommand(['run-schedule', 'renew-everything'], { SMARTAD_HOME: host.home });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      'unknown schedule "renew-everything"; the topology\'s schedules: renew-teams-subscriptions',
    );
  });
});

describe('Google Meet on the local host (fake Google)', () => {
  const push = (type: string, data: unknown, id = randomUUID()) => ({
    message: {
      attributes: {
        'ce-type': type,
        'ce-id': id,
        'ce-specversion': '1.0',
        'ce-time': '2026-02-12T16:00:00Z',
      },
      data: Buffer.from(JSON.stringify(data)).toString('base64'),
      messageId: id,
      message_id: id,
      publishTime: '2026-02-12T16:00:01Z',
    },
    subscription: 'projects/p/subscriptions/meet-push',
  });

  it('connects the firm’s service account and path token', async () => {
    const saved = await api.put(
      '/api/v1/integrations/meet',
      {
        platform: 'meet',
        service_account: {
          type: 'service_account',
          client_email: SA_EMAIL,
          private_key: sa.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
        },
        delegated_user: ADVISER_GOOGLE,
        path_token: MEET_TOKEN,
        advisor_mappings: [{ platform_user: ADVISER_GOOGLE, advisor_user_id: firm.userId }],
      },
      firm.token,
    );
    expect(saved.status).toBe(200);
  });

  it('refuses a wrong or malformed path token (401) and a malformed push (400), creating nothing', async () => {
    const transcript = { transcript: { name: 'conferenceRecords/cr9/transcripts/t9' } };
    const type = 'google.workspace.meet.transcript.v2.fileGenerated';
    expect(
      (await post(`/webhooks/meet/${randomBytes(24).toString('hex')}`, push(type, transcript))).status,
    ).toBe(401);
    expect((await post(`/webhooks/meet/${MEET_TOKEN.slice(0, -1)}x`, push(type, transcript))).status).toBe(
      401,
    );
    expect((await post('/webhooks/meet/short', push(type, transcript))).status).toBe(401);
    const bad = await post(`/webhooks/meet/${MEET_TOKEN}`, { message: { data: 'e30=' } });
    expect(bad.status).toBe(400);
    expect(await meetingsOf('Google Meet meeting')).toEqual([]);
  });

  it('acknowledges and ignores an event type it does not handle', async () => {
    const res = await post(
      `/webhooks/meet/${MEET_TOKEN}`,
      push('google.workspace.meet.conference.v2.ended', {
        conferenceRecord: { name: 'conferenceRecords/cr1' },
      }),
    );
    expect(res.status).toBe(200);
    expect(await meetingsOf('Google Meet meeting')).toEqual([]);
  });

  it('turns a transcript fileGenerated push into one meeting, exported from Drive, completed after consent', async () => {
    google.addArtifact({
      name: 'conferenceRecords/cr1/transcripts/t1',
      driveFileId: 'doc-cr1-t1',
      contentType: 'text/plain; charset=utf-8',
      content: Buffer.from(
        [
          'Annual review (2026-02-12 11:00 GMT-5) - Transcript',
          'Attendees',
          'Renata Okafor, Doug Pruitt',
          'Transcript',
          '00:00:00',
          '',
          'Renata Okafor: Good morning Doug, thanks for coming in to review the retirement plan.',
          'Doug Pruitt: Happy to. We want to put twenty thousand dollars toward the roof this spring.',
          '00:05:00',
          '',
          'Renata Okafor: I will send you the updated projection by Friday.',
          'Meeting ended after 00:06:12',
        ].join('\n'),
      ),
      endedFor: 2,
    });
    const message = push('google.workspace.meet.transcript.v2.fileGenerated', {
      transcript: { name: 'conferenceRecords/cr1/transcripts/t1' },
    });
    expect((await post(`/webhooks/meet/${MEET_TOKEN}`, message)).status).toBe(200);
    expect((await post(`/webhooks/meet/${MEET_TOKEN}`, message)).status).toBe(200); // at-least-once delivery
    const meetings = await meetingsOf('Google Meet meeting');
    expect(meetings).toHaveLength(1);
    await consentAndComplete(meetings[0]?.id ?? '');
    expect(google.assertions.at(-1)).toMatchObject({ iss: SA_EMAIL, sub: ADVISER_GOOGLE });
    const transcript = await api.get<{ utterances?: { speaker: string }[] }>(
      `/api/v1/meetings/${meetings[0]?.id}/transcript`,
      firm.token,
    );
    expect(JSON.stringify(transcript.body)).toContain('Doug Pruitt');
    expect(JSON.stringify(transcript.body)).not.toContain('Attendees');
  }, 90_000);
});
