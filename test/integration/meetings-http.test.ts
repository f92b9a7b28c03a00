import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { apiClient } from '../support/api-client';
import { addUser, registerFirm } from '../support/identity-helpers';

const host = inject('localHost');
const api = apiClient(inject('baseUrl'));
const GOLDEN = join(import.meta.dirname, '..', '..', '..', 'shared', 'golden');

interface MeetingBody {
  id: string;
  owner_id: string;
  status: string;
  client_names: string[];
  meeting_date: string;
  consent?: { method: string; all_party_consent_states: string[]; granted_by: string };
}
interface Ticket {
  meeting: MeetingBody;
  upload: { url: string; method: string; headers: Record<string, string>; expires_at: string };
}

const upload = (token: string, overrides: Record<string, unknown> = {}) =>
  api.post<Ticket>(
    '/api/v1/meetings/upload',
    {
      title: 'Annual review',
      meeting_date: '2026-01-20',
      client_names: ['Doug Pruitt', 'Melanie Pruitt'],
      file_name: 'meeting-01.vtt',
      content_type: 'text/vtt',
      size_bytes: 1000,
      ...overrides,
    },
    token,
  );

const s3Client = () =>
  new S3Client({
    region: 'us-east-1',
    endpoint: host.s3Endpoint,
    forcePathStyle: true,
    credentials: { accessKeyId: 'smartadlocal', secretAccessKey: 'smartadlocal' },
  });

/** The upload trigger runs asynchronously, as on AWS: poll the meeting briefly for the status it should reach. */
async function statusEventually(meetingId: string, token: string, wanted: string, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  let status = '';
  while (Date.now() < deadline) {
    status = (await api.get<MeetingBody>(`/api/v1/meetings/${meetingId}`, token)).body.status;
    if (status === wanted) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return status;
}

const issuePaths = (body: unknown) =>
  ((body as { error: { issues: { path: string }[] } }).error.issues ?? []).map((i) => i.path);

let firm: Awaited<ReturnType<typeof registerFirm>>;
let advisorA: Awaited<ReturnType<typeof addUser>>;
let advisorB: Awaited<ReturnType<typeof addUser>>;
let compliance: Awaited<ReturnType<typeof addUser>>;
let assistant: Awaited<ReturnType<typeof addUser>>;

beforeAll(async () => {
  firm = await registerFirm('meet');
  advisorA = await addUser(firm.token, 'advisor', 'adv-a');
  advisorB = await addUser(firm.token, 'advisor', 'adv-b');
  compliance = await addUser(firm.token, 'compliance');
  assistant = await addUser(firm.token, 'assistant');
  const assigned = await api.put(
    `/api/v1/users/${assistant.userId}/advisors`,
    { advisor_ids: [advisorA.userId] },
    firm.token,
  );
  expect(assigned.status).toBe(200);
});

describe('meeting uploads', () => {
  it('creates a meeting awaiting its file and a presigned PUT that stores the transcript', async () => {
    const file = await readFile(join(GOLDEN, 'meeting-01.vtt'));
    const res = await upload(advisorA.token, { size_bytes: file.byteLength });
    expect(res.status).toBe(201);
    expect(res.body.meeting).toMatchObject({ owner_id: advisorA.userId, status: 'pending_upload' });
    expect(res.body.upload.headers).toEqual({
      'content-type': 'text/vtt',
      'content-length': String(file.byteLength),
    });
    const put = await fetch(res.body.upload.url, {
      method: 'PUT',
      headers: { 'content-type': 'text/vtt' },
      body: file,
    });
    expect(put.status).toBe(200);
    const url = new URL(res.body.upload.url);
    const key = decodeURIComponent(url.pathname.split('/').slice(2).join('/'));
    expect(key).toMatch(new RegExp(`^uploads/${firm.tenantId}/\\d{4}/\\d{2}/${res.body.meeting.id}\\.vtt$`));
    const stored = await s3Client().send(new GetObjectCommand({ Bucket: host.buckets.uploads, Key: key }));
    expect(Buffer.from(await (stored.Body?.transformToByteArray() ?? new Uint8Array())).equals(file)).toBe(
      true,
    );
    // The upload trigger (s3rver's event → the same handler Lambda runs) attaches the file: now consent is due.
    expect(await statusEventually(res.body.meeting.id, advisorA.token, 'awaiting_consent')).toBe(
      'awaiting_consent',
    );
  });

  it('refuses an unsupported file type (400, naming the field), a mismatched content type (415) and an oversized file (413)', async () => {
    const exe = await upload(advisorA.token, {
      file_name: 'notes.exe',
      content_type: 'application/octet-stream',
    });
    expect(exe.status).toBe(400);
    expect(issuePaths(exe.body)).toEqual(['body.file_name']);
    expect((await upload(advisorA.token, { content_type: 'audio/mpeg' })).status).toBe(415);
    const big = await upload(advisorA.token, {
      file_name: 'call.mp3',
      content_type: 'audio/mpeg',
      size_bytes: 600 * 1024 * 1024,
    });
    expect(big.status).toBe(413);
  });

  it('rejects malformed fields with 400 naming each', async () => {
    const res = await upload(advisorA.token, {
      meeting_date: '2026-13-45',
      client_names: [],
      size_bytes: -1,
    });
    expect(res.status).toBe(400);
    expect(issuePaths(res.body).sort()).toEqual([
      'body.client_names',
      'body.meeting_date',
      'body.size_bytes',
    ]);
  });

  it('lets compliance review but not create meetings', async () => {
    expect((await upload(compliance.token)).status).toBe(403);
  });

  it('makes an assistant name an advisor it is assigned to', async () => {
    expect((await upload(assistant.token)).status).toBe(400);
    expect((await upload(assistant.token, { owner_id: advisorB.userId })).status).toBe(400);
    const ok = await upload(assistant.token, { owner_id: advisorA.userId });
    expect(ok.status).toBe(201);
    expect(ok.body.meeting.owner_id).toBe(advisorA.userId);
  });
});

describe('meeting access', () => {
  let meetingId: string;

  beforeAll(async () => {
    meetingId = (await upload(advisorA.token, { client_names: ['Access Test Client'] })).body.meeting.id;
  });

  it('shows a meeting to its advisor, the assigned assistant, compliance and the admin', async () => {
    for (const token of [advisorA.token, assistant.token, compliance.token, firm.token]) {
      const res = await api.get<MeetingBody>(`/api/v1/meetings/${meetingId}`, token);
      expect(res.status).toBe(200);
      expect(res.body.client_names).toEqual(['Access Test Client']);
    }
  });

  it('answers another advisor of the same firm, and another firm, exactly like a missing meeting (404)', async () => {
    const other = await registerFirm('meet-other');
    const missing = await api.get('/api/v1/meetings/00000000-0000-4000-8000-000000000000', advisorB.token);
    for (const token of [advisorB.token, other.token]) {
      const res = await api.get(`/api/v1/meetings/${meetingId}`, token);
      expect(res.status).toBe(404);
      expect((res.body as { error: { message: string } }).error.message).toBe(
        (missing.body as { error: { message: string } }).error.message,
      );
    }
  });

  it('lists an advisor’s own meetings only, and the whole firm for compliance', async () => {
    const bMeeting = (await upload(advisorB.token, { client_names: ['B Client'] })).body.meeting.id;
    const own = await api.get<{ items: MeetingBody[] }>('/api/v1/meetings?limit=100', advisorB.token);
    expect(own.body.items.map((m) => m.id)).toEqual([bMeeting]);
    const firmWide = await api.get<{ items: MeetingBody[] }>('/api/v1/meetings?limit=100', compliance.token);
    expect(firmWide.body.items.map((m) => m.id)).toEqual(expect.arrayContaining([bMeeting, meetingId]));
    const foreign = await api.get<{ items: MeetingBody[] }>(
      `/api/v1/meetings?owner_id=${advisorA.userId}`,
      advisorB.token,
    );
    expect(foreign.body.items).toEqual([]);
  });

  it('filters by date range, status and client, newest first', async () => {
    const advisor = await addUser(firm.token, 'advisor', 'filter');
    for (const [date, client] of [
      ['2026-03-01', 'Alpha Client'],
      ['2026-03-15', 'Beta Client'],
      ['2026-04-01', 'Alpha Client'],
    ] as const) {
      expect((await upload(advisor.token, { meeting_date: date, client_names: [client] })).status).toBe(201);
    }
    const march = await api.get<{ items: MeetingBody[] }>(
      '/api/v1/meetings?from=2026-03-01&to=2026-03-31',
      advisor.token,
    );
    expect(march.body.items.map((m) => m.meeting_date)).toEqual(['2026-03-15', '2026-03-01']);
    const alpha = await api.get<{ items: MeetingBody[] }>('/api/v1/meetings?client=alpha', advisor.token);
    expect(alpha.body.items.map((m) => m.meeting_date)).toEqual(['2026-04-01', '2026-03-01']);
    const completed = await api.get<{ items: MeetingBody[] }>(
      '/api/v1/meetings?status=completed',
      advisor.token,
    );
    expect(completed.body.items).toEqual([]);
    expect((await api.get('/api/v1/meetings?status=bogus', advisor.token)).status).toBe(400);
  });
});

describe('recording consent', () => {
  it('records who, when, how and the all-party-consent states, once', async () => {
    const meeting = (await upload(advisorA.token)).body.meeting;
    const res = await api.post<MeetingBody>(
      `/api/v1/meetings/${meeting.id}/consent`,
      { method: 'verbal_at_start', participant_states: ['OH', 'CA', 'PA'] },
      advisorA.token,
    );
    expect(res.status).toBe(200);
    expect(res.body.consent).toMatchObject({
      method: 'verbal_at_start',
      granted_by: advisorA.userId,
      all_party_consent_states: ['CA', 'PA'],
    });
    // The file has not arrived yet: the meeting keeps waiting for it.
    expect(res.body.status).toBe('pending_upload');
    const again = await api.post(
      `/api/v1/meetings/${meeting.id}/consent`,
      { method: 'written', participant_states: ['OH'] },
      advisorA.token,
    );
    expect(again.status).toBe(409);
  });

  it('refuses consent from compliance (403) and from another advisor (404), and bad states (400)', async () => {
    const meeting = (await upload(advisorA.token)).body.meeting;
    const body = { method: 'written', participant_states: ['OH'] };
    expect((await api.post(`/api/v1/meetings/${meeting.id}/consent`, body, compliance.token)).status).toBe(
      403,
    );
    expect((await api.post(`/api/v1/meetings/${meeting.id}/consent`, body, advisorB.token)).status).toBe(404);
    const bad = await api.post(
      `/api/v1/meetings/${meeting.id}/consent`,
      { method: 'shrug', participant_states: ['Ohio'] },
      advisorA.token,
    );
    expect(bad.status).toBe(400);
    expect(issuePaths(bad.body).sort()).toEqual(['body.method', 'body.participant_states.0']);
  });

  it('writes meeting creation and consent to the audit trail', async () => {
    const meeting = (await upload(advisorA.token)).body.meeting;
    await api.post(
      `/api/v1/meetings/${meeting.id}/consent`,
      { method: 'written', participant_states: ['OH'] },
      advisorA.token,
    );
    const audit = await api.settledAudit<{ items: { action: string; target?: { id: string } }[] }>(
      '/api/v1/audit?limit=100',
      compliance.token,
    );
    const actions = audit.body.items.filter((e) => e.target?.id === meeting.id).map((e) => e.action);
    expect(actions.sort()).toEqual(['meeting.consent_recorded', 'meeting.created']);
  });
});

describe('the meeting pipeline, end to end on the local host (transcript upload, offline extractor)', () => {
  it('turns an uploaded transcript and recorded consent into notes, actions, facts, flags, a draft and an archive record', async () => {
    const file = await readFile(join(GOLDEN, 'meeting-02.vtt'));
    const ticket = await upload(advisorA.token, {
      title: 'Prospect intro',
      meeting_date: '2026-02-12',
      client_names: ['Prospect Client'],
      file_name: 'meeting-02.vtt',
      size_bytes: file.byteLength,
    });
    expect(ticket.status).toBe(201);
    const put = await fetch(ticket.body.upload.url, {
      method: 'PUT',
      headers: { 'content-type': 'text/vtt' },
      body: file,
    });
    expect(put.status).toBe(200);
    const meetingId = ticket.body.meeting.id;
    expect(await statusEventually(meetingId, advisorA.token, 'awaiting_consent')).toBe('awaiting_consent');

    const consent = await api.post<MeetingBody>(
      `/api/v1/meetings/${meetingId}/consent`,
      { method: 'verbal_at_start', participant_states: ['CO'] },
      advisorA.token,
    );
    expect(consent.status).toBe(200);
    expect(await statusEventually(meetingId, advisorA.token, 'completed', 30_000)).toBe('completed');

    const details = await api.get<Record<string, unknown>>(`/api/v1/meetings/${meetingId}`, advisorA.token);
    expect(details.body).toMatchObject({
      status: 'completed',
      archive_status: 'archived',
      extractor: 'offline',
    });
    const extraction = details.body.extraction as Record<string, unknown[]> & {
      notes: Record<string, unknown[]>;
    };
    expect(extraction.action_items?.length).toBeGreaterThan(0);
    expect(extraction.compliance_flags?.length).toBeGreaterThan(0);

    // The plain-text upload is gone once the transcript is stored encrypted.
    const uploadKey = decodeURIComponent(
      new URL(ticket.body.upload.url).pathname.split('/').slice(2).join('/'),
    );
    await expect(
      s3Client().send(new GetObjectCommand({ Bucket: host.buckets.uploads, Key: uploadKey })),
    ).rejects.toMatchObject({ name: 'NoSuchKey' });

    // The WORM record: one object per meeting under the tenant's prefix (Object Lock itself is enforced on AWS only).
    const archived = await s3Client().send(
      new GetObjectCommand({
        Bucket: host.buckets.archive,
        Key: `meetings/${firm.tenantId}/2026/02/${meetingId}.json`,
      }),
    );
    const record = JSON.parse(await (archived.Body?.transformToString() ?? Promise.resolve('{}')));
    expect(JSON.stringify(record)).toContain(meetingId);
    expect(extraction.notes.summary?.length).toBeGreaterThan(0);
    expect(extraction).toHaveProperty('follow_up_email');

    const audit = await api.settledAudit<{ items: { action: string; target?: { id: string } }[] }>(
      '/api/v1/audit?limit=100',
      compliance.token,
    );
    const actions = audit.body.items.filter((e) => e.target?.id === meetingId).map((e) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining(['meeting.created', 'meeting.consent_recorded', 'meeting.completed']),
    );

    // The transcript: decrypted for who may read the meeting, every read audited; 404 for anyone else.
    const transcript = await api.get<{
      utterances: { index: number; text: string; speaker: string }[];
      speakers: string[];
    }>(`/api/v1/meetings/${meetingId}/transcript`, compliance.token);
    expect(transcript.status).toBe(200);
    expect(transcript.body.utterances.length).toBeGreaterThan(10);
    expect(transcript.body.utterances[0]?.index).toBe(0);
    expect((await api.get(`/api/v1/meetings/${meetingId}/transcript`, advisorB.token)).status).toBe(404);
    const reads = await api.settledAudit<{
      items: { action: string; target?: { id: string }; actor?: { user_id: string } }[];
    }>('/api/v1/audit?limit=100', compliance.token);
    expect(
      reads.body.items.filter((e) => e.action === 'meeting.transcript_read' && e.target?.id === meetingId),
    ).toEqual([expect.objectContaining({ actor: expect.objectContaining({ user_id: compliance.userId }) })]);

    // The follow-up email: a draft, never sent.
    const email = await api.get<{ status: string; subject: string; body: string; disclaimer: string }>(
      `/api/v1/meetings/${meetingId}/follow-up-email`,
      advisorA.token,
    );
    expect(email.status).toBe(200);
    expect(email.body.status).toBe('draft');
    expect(email.body.subject.length).toBeGreaterThan(0);
  }, 60_000);

  it('answers 404 for the transcript and the email draft of a meeting not yet processed', async () => {
    const pending = (await upload(advisorA.token)).body.meeting.id;
    expect((await api.get(`/api/v1/meetings/${pending}/transcript`, advisorA.token)).status).toBe(404);
    expect((await api.get(`/api/v1/meetings/${pending}/follow-up-email`, advisorA.token)).status).toBe(404);
  });

  it('fails a meeting whose transcript file is malformed, with the parser’s reason', async () => {
    const bad = Buffer.from('WEBVTT\n\n00:00:01.000 --> 00:00:00.500\n<v Ann>Hello there everyone\n');
    const ticket = await upload(advisorA.token, { file_name: 'bad.vtt', size_bytes: bad.byteLength });
    await api.post(
      `/api/v1/meetings/${ticket.body.meeting.id}/consent`,
      { method: 'written', participant_states: ['OH'] },
      advisorA.token,
    );
    await fetch(ticket.body.upload.url, {
      method: 'PUT',
      headers: { 'content-type': 'text/vtt' },
      body: bad,
    });
    expect(await statusEventually(ticket.body.meeting.id, advisorA.token, 'failed', 30_000)).toBe('failed');
    const details = await api.get<{ failure_reason?: string }>(
      `/api/v1/meetings/${ticket.body.meeting.id}`,
      advisorA.token,
    );
    expect(details.body.failure_reason).toMatch(/end|before|start/i);
  }, 60_000);
});

describe('meetings from a recording URL (SSRF-guarded)', () => {
  const create = (token: string, recording_url: string) =>
    api.post<MeetingBody & { source: { type: string } }>(
      '/api/v1/meetings',
      { title: 'Zoom call', meeting_date: '2026-03-05', client_names: ['URL Client'], recording_url },
      token,
    );

  it('accepts an https URL on a public address; the meeting awaits consent', async () => {
    const res = await create(advisorA.token, 'https://93.184.216.34/recordings/call.m4a?token=secret');
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ status: 'awaiting_consent', source: { type: 'url', kind: 'audio' } });
    expect(JSON.stringify(res.body)).not.toContain('secret');
  });

  it.each([
    'https://169.254.169.254/latest/meta-data/',
    'https://127.0.0.1/recording.mp3',
    'https://10.0.0.5/recording.mp3',
    'https://[::1]/recording.mp3',
    'https://2130706433/recording.mp3',
    'https://0x7f.1/recording.mp3',
    'https://[::ffff:192.168.1.1]/recording.mp3',
    'https://100.64.0.1/recording.mp3',
    'https://user:pass@93.184.216.34/recording.mp3',
    'https://93.184.216.34:6379/recording.mp3',
    'http://93.184.216.34/recording.mp3',
    'file:///etc/passwd',
  ])('refuses %s with 400 naming body.recording_url, and creates nothing', async (url) => {
    const before = await api.get<{ items: unknown[] }>('/api/v1/meetings?limit=100', advisorB.token);
    const res = await create(advisorB.token, url);
    expect(res.status).toBe(400);
    expect(issuePaths(res.body)).toContain('body.recording_url');
    const after = await api.get<{ items: unknown[] }>('/api/v1/meetings?limit=100', advisorB.token);
    expect(after.body.items.length).toBe(before.body.items.length);
  });

  it('lets compliance review but not create', async () => {
    expect((await create(compliance.token, 'https://93.184.216.34/call.m4a')).status).toBe(403);
  });

  it('fails an audio meeting with a reason naming the missing transcription key', async () => {
    const meeting = (await create(advisorA.token, 'https://93.184.216.34/call.m4a')).body;
    await api.post(
      `/api/v1/meetings/${meeting.id}/consent`,
      { method: 'written', participant_states: ['AZ'] },
      advisorA.token,
    );
    expect(await statusEventually(meeting.id, advisorA.token, 'failed', 30_000)).toBe('failed');
    const details = await api.get<{ failure_reason?: string }>(
      `/api/v1/meetings/${meeting.id}`,
      advisorA.token,
    );
    expect(details.body.failure_reason).toContain('ASSEMBLYAI_API_KEY');
  }, 60_000);
});
