import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type FakeRedtail, startFakeRedtail } from '../fakes/redtail-server';
import { type FakeSalesforce, startFakeSalesforce } from '../fakes/salesforce-server';
import { type FakeWealthbox, startFakeWealthbox } from '../fakes/wealthbox-server';
import { type ApiClient, apiClient } from '../support/api-client';
import { addUser, registerFirm } from '../support/identity-helpers';
import { type HostProcess, startHostProcess } from './global-setup';

const GOLDEN = join(import.meta.dirname, '..', '..', '..', 'shared', 'golden');

let wealthbox: FakeWealthbox;
let redtail: FakeRedtail;
let salesforce: FakeSalesforce;
let host: HostProcess;
let api: ApiClient;

beforeAll(async () => {
  [wealthbox, redtail, salesforce] = await Promise.all([
    startFakeWealthbox({
      contacts: [
        { id: 301, first_name: 'Kiran', last_name: 'Batra', emails: ['kiran@example.com'] },
        { id: 302, first_name: 'Margaret', last_name: 'Okafor', emails: [] },
        { id: 303, first_name: 'Margaret', last_name: 'Okafor', emails: [] },
      ],
    }),
    startFakeRedtail({
      contacts: [
        { id: 401, first_name: 'Kiran', last_name: 'Batra' },
        { id: 402, first_name: 'Margaret', last_name: 'Okafor' },
        { id: 403, first_name: 'Dana', last_name: 'Quill' },
      ],
    }),
    startFakeSalesforce({
      contacts: [{ Id: '003000000000000501', FirstName: 'Kiran', LastName: 'Batra', Email: null }],
    }),
  ]);
  host = await startHostProcess({
    args: ['--memory'],
    env: {
      PASSWORD_SCRYPT_LOG_N: '14',
      RATE_LIMIT_AUTH: '10000/60',
      CRM_WEALTHBOX_BASE_URL: wealthbox.baseUrl,
      CRM_REDTAIL_BASE_URL: redtail.baseUrl,
      CRM_SALESFORCE_BASE_URL: salesforce.baseUrl,
      CRM_TIMEOUT_MS: '2000',
      CRM_MAX_ATTEMPTS: '2',
      APP_BASE_URL: 'https://app.example.com',
      // A CRM branch retries 3× from 60 s; here every retry waits 50 ms.
      SMARTAD_PIPELINE_RETRY_INTERVAL_MS: '50',
    },
  });
  api = apiClient(host.url);
}, 90_000);

afterAll(async () => {
  await host?.stop();
  await Promise.all([wealthbox?.close(), redtail?.close(), salesforce?.close()]);
});

afterEach(() => {
  for (const fake of [wealthbox, redtail, salesforce]) {
    fake.clearFaults();
    fake.refuseCredentials(false);
  }
});

const CREDENTIALS = {
  wealthbox: () => ({ api_token: wealthbox.apiToken }),
  redtail: () => ({ api_key: redtail.apiKey, username: redtail.username, password: redtail.password }),
  salesforce: () => ({
    client_id: salesforce.clientId,
    client_secret: salesforce.clientSecret,
    my_domain_url: 'https://acme.my.salesforce.com',
  }),
} as const;
type Provider = keyof typeof CREDENTIALS;

async function advisorWith(label: string, providers: readonly Provider[]) {
  const admin = await registerFirm(label, api);
  const advisor = await addUser(admin.token, 'advisor', `${label}-adv`, api);
  for (const provider of providers) {
    const res = await api.post(`/api/v1/crm/connections/${provider}`, CREDENTIALS[provider](), advisor.token);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  }
  return { admin, advisor };
}

interface CrmResult {
  connection_id: string;
  provider: string;
  status: string;
  reason?: string;
  attempts?: number;
  contact?: { status: string; id?: string; reason?: string; candidates?: { id: string; name: string }[] };
  remote_ids?: { note?: string; tasks: string[] };
}
interface MeetingBody {
  id: string;
  status: string;
  crm?: CrmResult[];
  extraction?: { action_items: { evidence_status: string }[] };
}

/** A golden transcript uploaded with consent, awaited until the pipeline ends. */
async function completedMeeting(token: string, clientNames: string[]): Promise<MeetingBody> {
  const file = await readFile(join(GOLDEN, 'meeting-02.vtt'));
  const ticket = await api.post<{ meeting: { id: string }; upload: { url: string } }>(
    '/api/v1/meetings/upload',
    {
      title: 'Planning review',
      meeting_date: '2026-02-12',
      client_names: clientNames,
      file_name: 'meeting-02.vtt',
      content_type: 'text/vtt',
      size_bytes: file.byteLength,
    },
    token,
  );
  expect(ticket.status).toBe(201);
  const id = ticket.body.meeting.id;
  await api.post(`/api/v1/meetings/${id}/consent`, { method: 'written', participant_states: ['CO'] }, token);
  const put = await fetch(ticket.body.upload.url, {
    method: 'PUT',
    headers: { 'content-type': 'text/vtt' },
    body: file,
  });
  await put.text();
  let meeting: MeetingBody = { id, status: 'pending' };
  for (let i = 0; i < 300 && meeting.status !== 'completed' && meeting.status !== 'failed'; i += 1) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    meeting = (await api.get<MeetingBody>(`/api/v1/meetings/${id}`, token)).body;
  }
  expect(meeting.status).toBe('completed');
  return meeting;
}

const byProvider = (meeting: MeetingBody, provider: string) =>
  meeting.crm?.find((c) => c.provider === provider);
const verifiedActions = (meeting: MeetingBody) =>
  meeting.extraction?.action_items.filter((a) => a.evidence_status === 'verified').length ?? 0;

describe('CRM connections API', () => {
  it('connects each provider after one verifying call, lists them without secrets, tests and deletes', async () => {
    for (const fake of [wealthbox, redtail, salesforce]) fake.resetRequests();
    const { advisor } = await advisorWith('crmconn', ['wealthbox', 'redtail', 'salesforce']);
    expect(wealthbox.counts()).toEqual({ 'GET /v1/me': 1 });
    // Redtail: the password is exchanged for a user key, then the key is verified.
    expect(Object.keys(redtail.counts()).sort()).toEqual(['GET /authentication', 'GET /lists/categories']);

    const list = await api.get<{ items: Record<string, unknown>[] }>(
      '/api/v1/crm/connections',
      advisor.token,
    );
    expect(list.status).toBe(200);
    expect(list.body.items.map((c) => c.provider).sort()).toEqual(['redtail', 'salesforce', 'wealthbox']);
    const text = JSON.stringify(list.body);
    for (const secret of [
      wealthbox.apiToken,
      redtail.apiKey,
      redtail.userKey,
      redtail.password,
      salesforce.clientSecret,
    ]) {
      expect(text).not.toContain(secret);
    }

    const again = await api.post('/api/v1/crm/connections/wealthbox', CREDENTIALS.wealthbox(), advisor.token);
    expect(again.status).toBe(409);

    const tested = await api.post<{ ok: boolean }>(
      '/api/v1/crm/connections/wealthbox/test',
      {},
      advisor.token,
    );
    expect(tested.body).toMatchObject({ ok: true, connection: { last_test_outcome: 'ok' } });
    wealthbox.refuseCredentials(true);
    const refused = await api.post<{ ok: boolean; answer?: string }>(
      '/api/v1/crm/connections/wealthbox/test',
      {},
      advisor.token,
    );
    expect(refused.body).toMatchObject({ ok: false, answer: expect.stringContaining('401') });

    const deleted = await api.call('DELETE', '/api/v1/crm/connections/wealthbox', { token: advisor.token });
    expect(deleted.status).toBe(204);
    const gone = await api.call('DELETE', '/api/v1/crm/connections/wealthbox', { token: advisor.token });
    expect(gone.status).toBe(404);
  });

  it.each([
    ['wealthbox', { api_token: 'not-the-token' }, 'body.api_token'],
    ['redtail', { api_key: 'rt-api-key', username: 'avery', password: 'wrong password' }, 'body.password'],
    [
      'salesforce',
      { client_id: 'x', client_secret: 'wrong', my_domain_url: 'https://acme.my.salesforce.com' },
      'body.client_secret',
    ],
  ] as const)(
    'answers refused %s credentials with 400 naming what it said, storing nothing',
    async (provider, body, field) => {
      const { advisor } = await advisorWith(`crmbad${provider}`, []);
      const res = await api.post<{ error: { code: string; message: string; issues: { path: string }[] } }>(
        `/api/v1/crm/connections/${provider}`,
        body,
        advisor.token,
      );
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('crm_credentials_rejected');
      expect(res.body.error.message).toMatch(new RegExp(`^${provider} refused the credentials: .*40[013]`));
      expect(res.body.error.issues[0]?.path).toBe(field);
      const list = await api.get<{ items: unknown[] }>('/api/v1/crm/connections', advisor.token);
      expect(list.body.items).toEqual([]);
    },
  );

  it.each([
    ['wealthbox', {}, 'body.api_token'],
    ['redtail', { api_key: 'k', username: 'u' }, 'body.password'],
    [
      'salesforce',
      { client_id: 'i', client_secret: 's', my_domain_url: 'http://acme.my.salesforce.com' },
      'body.my_domain_url',
    ],
  ] as const)('refuses a %s body %j with 400 naming %s', async (provider, body, field) => {
    const { advisor } = await advisorWith(`crmshape${provider}`, []);
    const res = await api.post<{ error: { issues: { path: string }[] } }>(
      `/api/v1/crm/connections/${provider}`,
      body,
      advisor.token,
    );
    expect(res.status).toBe(400);
    expect(res.body.error.issues.map((i) => i.path)).toContain(field);
  });

  it('answers an unknown provider with 400 naming the path parameter', async () => {
    const { advisor } = await advisorWith('crmunknown', []);
    const res = await api.post<{ error: { issues: { path: string }[] } }>(
      '/api/v1/crm/connections/hubspot',
      {},
      advisor.token,
    );
    expect(res.status).toBe(400);
    expect(res.body.error.issues[0]?.path).toBe('params.provider');
  });

  it('keeps every credential out of the table in plaintext', async () => {
    await advisorWith('crmraw', ['wealthbox', 'redtail', 'salesforce']);
    const raw = DynamoDBDocumentClient.from(
      new DynamoDBClient({
        endpoint: host.state.dynamodb?.endpoint,
        region: 'us-east-1',
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      }),
    );
    const items: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await raw.send(
        new ScanCommand({
          TableName: host.state.tableName ?? '',
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      items.push(...(page.Items ?? []));
      start = page.LastEvaluatedKey;
    } while (start);
    raw.destroy();
    const connections = items.filter((item) => item.entity === 'crm_connection');
    expect(connections.length).toBeGreaterThanOrEqual(3);
    expect(connections.every((c) => c.credentials instanceof Uint8Array)).toBe(true);
    const dump = JSON.stringify(items, (_key, value: unknown) =>
      value instanceof Uint8Array ? Buffer.from(value).toString('latin1') : value,
    );
    for (const secret of [
      wealthbox.apiToken,
      redtail.apiKey,
      redtail.userKey,
      redtail.password,
      salesforce.clientSecret,
    ]) {
      expect(dump).not.toContain(secret);
    }
  });

  it("refuses another advisor's connections and meetings", async () => {
    const { admin, advisor } = await advisorWith('crmcross', ['wealthbox']);
    const other = await addUser(admin.token, 'advisor', 'crmcross-other', api);
    const list = await api.get(`/api/v1/crm/connections?owner_id=${advisor.userId}`, other.token);
    expect(list.status).toBe(403);
    const del = await api.call('DELETE', `/api/v1/crm/connections/wealthbox?owner_id=${advisor.userId}`, {
      token: other.token,
    });
    expect(del.status).toBe(400);
    const own = await api.get<{ items: unknown[] }>('/api/v1/crm/connections', other.token);
    expect(own.body.items).toEqual([]);
    const meeting = await completedMeeting(advisor.token, ['Kiran Batra']);
    const resync = await api.post(`/api/v1/meetings/${meeting.id}/crm-sync`, {}, other.token);
    expect(resync.status).toBe(404);
  }, 60_000);
});

describe('meeting sync to the CRMs', () => {
  it('syncs a meeting to all three providers, linked to the client, within the call budget; re-sync adds nothing', async () => {
    const { advisor } = await advisorWith('crmhappy', ['wealthbox', 'redtail', 'salesforce']);
    for (const fake of [wealthbox, redtail, salesforce]) fake.resetRequests();
    const notesBefore = { wb: wealthbox.notes.length, rt: redtail.notes.length, sf: salesforce.notes.length };
    const meeting = await completedMeeting(advisor.token, ['Kiran Batra']);
    const tasks = verifiedActions(meeting);
    expect(tasks).toBeGreaterThan(0);

    expect(byProvider(meeting, 'wealthbox')).toMatchObject({
      status: 'synced',
      attempts: 1,
      contact: { status: 'matched', id: '301' },
      remote_ids: { note: expect.any(String), tasks: expect.any(Array) },
    });
    expect(byProvider(meeting, 'redtail')).toMatchObject({
      status: 'synced',
      contact: { status: 'matched', id: '401' },
    });
    expect(byProvider(meeting, 'salesforce')).toMatchObject({
      status: 'synced',
      contact: { status: 'matched', id: '003000000000000501' },
    });
    for (const provider of ['wealthbox', 'redtail', 'salesforce']) {
      expect(byProvider(meeting, provider)?.remote_ids?.tasks).toHaveLength(tasks);
    }
    expect(wealthbox.notes.length - notesBefore.wb).toBe(1);
    expect(redtail.notes.length - notesBefore.rt).toBe(1);
    expect(salesforce.notes.length - notesBefore.sf).toBe(1);
    const wbNote = wealthbox.notes.at(-1);
    expect(wbNote?.content).toContain(`https://app.example.com/meetings/${meeting.id}`);
    // Search + note + one per task.
    expect(wealthbox.totalRequests()).toBe(2 + tasks);
    expect(redtail.totalRequests()).toBe(2 + tasks);

    for (const fake of [wealthbox, redtail, salesforce]) fake.resetRequests();
    const resync = await api.post<{ items: CrmResult[] }>(
      `/api/v1/meetings/${meeting.id}/crm-sync`,
      {},
      advisor.token,
    );
    expect(resync.status).toBe(200);
    expect(resync.body.items.map((r) => [r.provider, r.status, r.attempts]).sort()).toEqual([
      ['redtail', 'synced', 2],
      ['salesforce', 'synced', 2],
      ['wealthbox', 'synced', 2],
    ]);
    expect(wealthbox.totalRequests() + redtail.totalRequests() + salesforce.totalRequests()).toBe(0);
    expect(wealthbox.notes.length - notesBefore.wb).toBe(1);
  }, 60_000);

  it('records an ambiguous contact with its candidates, still creating the unlinked Wealthbox note', async () => {
    const { advisor } = await advisorWith('crmambig', ['wealthbox', 'redtail']);
    const meeting = await completedMeeting(advisor.token, ['Maggie Okafor']);
    expect(byProvider(meeting, 'wealthbox')).toMatchObject({
      status: 'synced',
      contact: {
        status: 'not_matched',
        reason: 'ambiguous',
        candidates: [
          { id: '302', name: 'Margaret Okafor' },
          { id: '303', name: 'Margaret Okafor' },
        ],
      },
      remote_ids: { note: expect.any(String) },
    });
    const note = wealthbox.notes.find(
      (n) => String(n.id) === byProvider(meeting, 'wealthbox')?.remote_ids?.note,
    );
    expect(note?.linked_to ?? []).toEqual([]);
    // Redtail has one Margaret Okafor: the nickname matches her.
    expect(byProvider(meeting, 'redtail')).toMatchObject({
      status: 'synced',
      contact: { status: 'matched', id: '402' },
    });
  }, 60_000);

  it('skips Redtail with why and the candidates when the client is not there; Wealthbox keeps an unlinked note', async () => {
    const { advisor } = await advisorWith('crmmissing', ['wealthbox', 'redtail']);
    const meeting = await completedMeeting(advisor.token, ['Zed Quill']);
    expect(byProvider(meeting, 'redtail')).toMatchObject({
      status: 'skipped',
      reason: expect.stringContaining('Contact not matched (not_found)'),
      contact: {
        status: 'not_matched',
        reason: 'not_found',
        candidates: [{ id: '403', name: expect.stringContaining('Quill') }],
      },
    });
    expect(byProvider(meeting, 'wealthbox')).toMatchObject({
      status: 'synced',
      contact: { status: 'not_matched', reason: 'not_found' },
    });
  }, 60_000);

  it('fails only the provider that is down, with why and attempts, and a later re-sync completes it', async () => {
    const { advisor } = await advisorWith('crmdown', ['wealthbox', 'redtail', 'salesforce']);
    const notesBefore = redtail.notes.length;
    redtail.failWith500(1000);
    const meeting = await completedMeeting(advisor.token, ['Kiran Batra']);
    expect(byProvider(meeting, 'wealthbox')?.status).toBe('synced');
    expect(byProvider(meeting, 'salesforce')?.status).toBe('synced');
    expect(byProvider(meeting, 'redtail')).toMatchObject({
      status: 'failed',
      reason: expect.stringContaining('redtail'),
      attempts: 4,
    });
    expect(redtail.notes.length).toBe(notesBefore);

    redtail.clearFaults();
    const resync = await api.post<{ items: CrmResult[] }>(
      `/api/v1/meetings/${meeting.id}/crm-sync`,
      {},
      advisor.token,
    );
    expect(resync.body.items.find((r) => r.provider === 'redtail')).toMatchObject({
      status: 'synced',
      attempts: 5,
    });
    expect(redtail.notes.length).toBe(notesBefore + 1);
    const after = (await api.get<MeetingBody>(`/api/v1/meetings/${meeting.id}`, advisor.token)).body;
    expect(byProvider(after, 'redtail')?.status).toBe('synced');
  }, 90_000);

  it('answers 409 for a meeting that is not completed', async () => {
    const { advisor } = await advisorWith('crm409', ['wealthbox']);
    const created = await api.post<{ meeting: { id: string } }>(
      '/api/v1/meetings/upload',
      {
        title: 'Not yet',
        meeting_date: '2026-02-12',
        client_names: ['Kiran Batra'],
        file_name: 'x.vtt',
        content_type: 'text/vtt',
        size_bytes: 10,
      },
      advisor.token,
    );
    const res = await api.post(`/api/v1/meetings/${created.body.meeting.id}/crm-sync`, {}, advisor.token);
    expect(res.status).toBe(409);
  });
});
