import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalHost } from '../../lib/local/local-host';
import { type FakeZoom, startFakeZoom, zoomHeaders, zoomRecordingEvent } from '../fakes/zoom-server';
import { type ApiClient, apiClient } from '../support/api-client';
import { addUser, registerFirm } from '../support/identity-helpers';
import { startZoomLocalHost } from '../support/zoom-local-host';

const GOLDEN = join(import.meta.dirname, '..', '..', '..', 'shared', 'golden');
const SECRET = 'zoom-secret-token-0123456789';

interface MeetingBody {
  id: string;
  owner_id: string;
  title: string;
  meeting_date: string;
  client_names: string[];
  status: string;
  failure_reason?: string;
  source: { type: string; kind: string; platform?: string };
}

let fake: FakeZoom;
let host: LocalHost;
let api: ApiClient;
let admin: Awaited<ReturnType<typeof registerFirm>>;
let advisor: Awaited<ReturnType<typeof addUser>>;
let accountId: string;
let vtt: Buffer;

const now = () => Math.floor(Date.now() / 1000);

/** Posts a body to /webhooks/zoom exactly as Zoom would: raw bytes, signed with the firm's secret. */
async function deliver(body: unknown, options: { secret?: string; timestamp?: number; raw?: string } = {}) {
  const raw = options.raw ?? JSON.stringify(body);
  const res = await fetch(`${host.url}/webhooks/zoom`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...zoomHeaders(options.secret ?? SECRET, raw, options.timestamp ?? now()),
    },
    body: raw,
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : null };
}

async function meetings(): Promise<MeetingBody[]> {
  const res = await api.get<{ items: MeetingBody[] }>('/api/v1/meetings?limit=100', admin.token);
  expect(res.status).toBe(200);
  return res.body.items;
}

/** The pipeline and the intake run asynchronously, as on AWS: poll for the status the meeting should reach. */
async function eventually(meetingId: string, wanted: string, timeoutMs = 20_000): Promise<MeetingBody> {
  const deadline = Date.now() + timeoutMs;
  let meeting: MeetingBody | undefined;
  while (Date.now() < deadline) {
    meeting = (await api.get<MeetingBody>(`/api/v1/meetings/${meetingId}`, admin.token)).body;
    if (meeting.status === wanted) return meeting;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(
    `meeting ${meetingId} is ${meeting?.status}, not ${wanted}: ${meeting?.failure_reason ?? ''}`,
  );
}

function transcriptEvent(uuid: string, path = `/rec/download/${uuid}/transcript`, held?: Promise<void>) {
  const token = `dl-${randomUUID()}`;
  const url = fake.addFile(path, { body: vtt, contentType: 'text/vtt', token, ...(held ? { held } : {}) });
  return zoomRecordingEvent({
    accountId,
    uuid,
    hostEmail: advisor.email.toUpperCase(),
    topic: 'Pruitt annual review',
    // 01:30 UTC on the 21st is the 20th in New York.
    startTime: '2026-01-21T01:30:00Z',
    timezone: 'America/New_York',
    downloadToken: token,
    files: [
      { file_type: 'MP4', file_extension: 'MP4', download_url: `${fake.origin}/rec/none.mp4` },
      { file_type: 'M4A', file_extension: 'M4A', download_url: `${fake.origin}/rec/none.m4a` },
      {
        file_type: 'TRANSCRIPT',
        file_extension: 'VTT',
        recording_type: 'audio_transcript',
        download_url: url,
      },
    ],
  });
}

beforeAll(async () => {
  vtt = await readFile(join(GOLDEN, 'meeting-01.vtt'));
  fake = await startFakeZoom();
  host = await startZoomLocalHost(fake);
  api = apiClient(host.url);
  admin = await registerFirm('zoom', api);
  advisor = await addUser(admin.token, 'advisor', 'zoom-adv', api);
  accountId = `acct${randomUUID().replaceAll('-', '').slice(0, 18)}`;
  const put = await api.put(
    '/api/v1/integrations/zoom',
    {
      platform: 'zoom',
      account_id: accountId,
      webhook_secret_token: SECRET,
      advisor_mappings: [{ platform_user: advisor.email, advisor_user_id: advisor.userId }],
    },
    admin.token,
  );
  expect(put.status).toBe(200);
}, 90_000);

afterAll(async () => {
  await host?.stop();
  await fake?.close();
});

describe('Zoom webhook → meeting → consent → completed, on the local host', () => {
  it('creates the advisor’s meeting awaiting consent, fetched with the download token, and completes after consent', async () => {
    const uuid = `${randomUUID()}==`;
    // Zoom wants its answer within 3 s, so the answer must not wait for the download: with the file held
    // back, the 200 still arrives (were the download awaited, this would hang until the test times out).
    let releaseDownload = () => {};
    const held = new Promise<void>((resolve) => {
      releaseDownload = resolve;
    });
    const answer = await deliver(transcriptEvent(uuid, undefined, held));
    releaseDownload();
    expect(answer).toEqual({ status: 200, body: { received: true } });

    const [created] = (await meetings()).filter((m) => m.title === 'Pruitt annual review');
    expect(created).toMatchObject({
      owner_id: advisor.userId,
      meeting_date: '2026-01-20',
      client_names: [],
      source: { type: 'platform', platform: 'zoom' },
    });
    const waiting = await eventually(created?.id ?? '', 'awaiting_consent');
    expect(waiting.source).toEqual({ type: 'platform', kind: 'transcript', platform: 'zoom' });
    // The transcript file was chosen over the recordings, and fetched with the Bearer download token.
    const fetched = fake.requests.filter((r) => r.path.includes(uuid));
    expect(fetched).toHaveLength(1);
    expect(fetched[0]?.authorization).toMatch(/^Bearer dl-/);
    expect(JSON.stringify(waiting)).not.toContain('dl-');

    const consent = await api.post(
      `/api/v1/meetings/${waiting.id}/consent`,
      { method: 'verbal_at_start', participant_states: ['OH'] },
      advisor.token,
    );
    expect(consent.status).toBe(200);
    const done = await eventually(waiting.id, 'completed', 30_000);
    expect(done.status).toBe('completed');
  });

  it('creates one meeting for a redelivered event, and one for concurrent deliveries of another', async () => {
    const uuid = `${randomUUID()}`;
    const event = transcriptEvent(uuid);
    expect((await deliver(event)).status).toBe(200);
    // Zoom's retry: the same event, signed again with a fresh timestamp.
    expect((await deliver(event, { timestamp: now() + 1 })).status).toBe(200);

    const burstUuid = randomUUID();
    const burst = transcriptEvent(burstUuid);
    const answers = await Promise.all(Array.from({ length: 12 }, () => deliver(burst)));
    expect(answers.map((a) => a.status)).toEqual(Array(12).fill(200));

    const all = await meetings();
    expect(all.filter((m) => m.title === 'Pruitt annual review')).toHaveLength(3);
    // The concurrent deliveries started one intake: the file was fetched once.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(fake.requests.filter((r) => r.path.includes(burstUuid))).toHaveLength(1);
    expect(await meetings()).toHaveLength(all.length);
  });

  it.each([
    ['a private address', 'https://10.0.0.5/rec/download/x', 'private'],
    ['the cloud metadata address', 'https://169.254.169.254/latest/meta-data/iam/', 'link-local'],
    ['loopback', 'https://127.0.0.1/rec/download/x', 'loopback'],
    ['plain http', 'http://zoom-files.example.com/rec/download/x', 'https://'],
  ])(
    'fails the meeting with a reason, fetching nothing, for a download URL on %s',
    async (_name, url, reason) => {
      const uuid = randomUUID();
      const requestsBefore = fake.requests.length;
      const event = zoomRecordingEvent({
        accountId,
        uuid,
        hostEmail: advisor.email,
        topic: `ssrf ${uuid}`,
        downloadToken: 'dl-token',
        files: [{ file_type: 'M4A', file_extension: 'M4A', download_url: url }],
      });
      expect((await deliver(event)).status).toBe(200);
      const created = (await meetings()).find((m) => m.title === `ssrf ${uuid}`);
      const failed = await eventually(created?.id ?? '', 'failed');
      expect(failed.failure_reason?.toLowerCase()).toContain(reason);
      expect(failed.failure_reason).not.toContain('dl-token');
      expect(fake.requests.length).toBe(requestsBefore);
    },
  );
});

describe('Zoom webhook refusals on the local host: 4xx, nothing created', () => {
  const count = async () => (await meetings()).length;

  it('answers URL validation for the firm named in the endpoint URL', async () => {
    const integration = await api.get<{ integration_id: string; webhook_path: string }>(
      '/api/v1/integrations/zoom',
      admin.token,
    );
    const raw = JSON.stringify({
      event: 'endpoint.url_validation',
      payload: { plainToken: 'qgg8vlvZRS6UYooatFL8Aw' },
      event_ts: 1,
    });
    const res = await fetch(`${host.url}${integration.body.webhook_path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...zoomHeaders(SECRET, raw, now()) },
      body: raw,
    });
    const { createHmac } = await import('node:crypto');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      plainToken: 'qgg8vlvZRS6UYooatFL8Aw',
      encryptedToken: createHmac('sha256', SECRET).update('qgg8vlvZRS6UYooatFL8Aw').digest('hex'),
    });
  });

  it.each([
    ['a tampered body', (raw: string) => ({ raw: raw.replace('Pruitt', 'Prvitt') }), 401],
    ['a wrong secret', () => ({ secret: 'another-secret-token-000000' }), 401],
    ['a stale timestamp', () => ({ timestamp: now() - 301 }), 401],
    ['a future timestamp', () => ({ timestamp: now() + 301 }), 401],
  ])('refuses %s', async (_name, change, status) => {
    const before = await count();
    const event = transcriptEvent(randomUUID());
    const signedRaw = JSON.stringify(event);
    const tweak = change(signedRaw) as { raw?: string; secret?: string; timestamp?: number };
    const timestamp = tweak.timestamp ?? now();
    // A tampered body keeps the signature of the original.
    const headers = zoomHeaders(tweak.secret ?? SECRET, signedRaw, timestamp);
    const res = await fetch(`${host.url}/webhooks/zoom`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: tweak.raw ?? signedRaw,
    });
    expect(res.status).toBe(status);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('webhook_rejected');
    expect(await count()).toBe(before);
  });

  it('refuses an unknown account like a bad signature, and a malformed body with 400', async () => {
    const before = await count();
    const unknown = transcriptEvent(randomUUID());
    unknown.payload.account_id = 'someone-elses-account';
    expect((await deliver(unknown)).status).toBe(401);
    expect((await deliver(null, { raw: '{"event": "recording.completed", ' })).status).toBe(400);
    const missing = await deliver({ event: 'recording.completed' });
    expect(missing.status).toBe(400);
    expect(await count()).toBe(before);
  });

  it('acknowledges and ignores a signed event it does not handle', async () => {
    const before = await count();
    const res = await deliver({ event: 'meeting.started', payload: { account_id: accountId, object: {} } });
    expect(res).toEqual({ status: 200, body: { received: true } });
    expect(await count()).toBe(before);
  });
});
