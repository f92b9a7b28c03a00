import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { findFreePort } from '../../lib/local/port-check';
import { type FakeDeepgram, startFakeDeepgram } from '../fakes/deepgram-server';
import { type ApiClient, apiClient } from '../support/api-client';
import { registerFirm } from '../support/identity-helpers';
import { finishedMeeting, recordedMeeting as uploadRecording } from '../support/recorded-meeting';
import { type HostProcess, startHostProcess } from './global-setup';

const WEBHOOK_SECRET = 'c'.repeat(64);
// The callback's wait and the polls, shortened for the local runner only (the ASL file keeps an hour and 5 min).
const TRANSCRIBE_TIMEOUT_MS = 3000;

let fake: FakeDeepgram;
let host: HostProcess;
let api: ApiClient;
let firm: Awaited<ReturnType<typeof registerFirm>>;

beforeAll(async () => {
  fake = await startFakeDeepgram();
  const port = String(await findFreePort());
  host = await startHostProcess({
    args: ['--memory'],
    env: {
      PORT: port,
      PASSWORD_SCRYPT_LOG_N: '14',
      ANTHROPIC_API_KEY: '',
      TRANSCRIPTION_PROVIDER: 'deepgram',
      DEEPGRAM_API_KEY: fake.apiKey,
      DEEPGRAM_BASE_URL: fake.baseUrl,
      DEEPGRAM_PROJECT_ID: fake.projectId,
      TRANSCRIPTION_WEBHOOK_SECRET: WEBHOOK_SECRET,
      // The host calls back on itself: the fake Deepgram delivers to this URL.
      WEBHOOK_BASE_URL: `http://127.0.0.1:${port}`,
      SMARTAD_TRANSCRIBE_TIMEOUT_MS: String(TRANSCRIBE_TIMEOUT_MS),
      SMARTAD_TRANSCRIPTION_POLL_WAIT_MS: '200',
      SMARTAD_PIPELINE_RETRY_INTERVAL_MS: '100',
    },
  });
  api = apiClient(host.url);
  firm = await registerFirm('deepgram', api);
}, 60_000);

afterEach(async () => {
  await fake.settled();
  fake.callbackMode = 'deliver';
  fake.callbackDelayMs = 20;
  fake.failNext(0);
  fake.jobs.clear();
  fake.requests.length = 0;
});

afterAll(async () => {
  await host?.stop();
  await fake?.close();
});

const recordedMeeting = (title: string) => uploadRecording(api, firm.token, title);
const finished = (id: string) => finishedMeeting(api, firm.token, id);

const onlyJob = () => {
  expect(fake.jobs.size).toBe(1);
  return [...fake.jobs.values()][0];
};

describe('the pipeline with Deepgram (TRANSCRIPTION_PROVIDER=deepgram, a fake Deepgram over HTTP)', () => {
  it('transcribes a recording through the callback and completes the meeting', async () => {
    const id = await recordedMeeting('Happy path');
    const details = await finished(id);
    expect(details).toMatchObject({ status: 'completed', extractor: 'offline' });

    const job = onlyJob();
    expect(job?.query).toMatchObject({
      model: ['nova-3'],
      diarize: ['true'],
      punctuate: ['true'],
      utterances: ['true'],
      smart_format: ['true'],
    });
    const callbackUrl = new URL(job?.callbackUrl ?? '');
    expect(`${callbackUrl.origin}${callbackUrl.pathname}`).toBe(
      `${host.url}/webhooks/transcription/deepgram`,
    );
    expect(callbackUrl.searchParams.get('meeting')).toBe(id);
    expect(callbackUrl.searchParams.get('tenant')).toBe(firm.tenantId);
    // Deepgram downloads the recording from a presigned GET of the upload.
    expect(String(job?.body.url)).toMatch(/X-Amz-Signature=/);
    expect(job?.deliveries.map((d) => d.status)).toEqual([200]);

    const transcript = await api.get<{
      source: string;
      speakers: string[];
      utterances: { start_ms: number }[];
    }>(`/api/v1/meetings/${id}/transcript`, firm.token);
    expect(transcript.body).toMatchObject({ source: 'deepgram', speakers: ['Speaker 0', 'Speaker 1'] });
    expect(transcript.body.utterances[0]?.start_ms).toBe(80);
  }, 60_000);

  it('rides out Deepgram answering 500 twice (in-process retries)', async () => {
    fake.failNext(2);
    const id = await recordedMeeting('Vendor 500');
    expect(await finished(id)).toMatchObject({ status: 'completed' });
    expect(fake.requests.slice(0, 3).map((r) => [r.path, r.status])).toEqual([
      ['/v1/listen', 500],
      ['/v1/listen', 500],
      ['/v1/listen', 200],
    ]);
  }, 60_000);

  it('retries the Transcribe state when Deepgram stays down past the in-process retries', async () => {
    fake.failNext(4);
    const id = await recordedMeeting('Vendor 500 four times');
    expect(await finished(id)).toMatchObject({ status: 'completed' });
    expect(fake.requests.slice(0, 5).map((r) => r.status)).toEqual([500, 500, 500, 500, 200]);
    expect(fake.jobs.size).toBe(1);
  }, 60_000);

  it('waits for the Retry-After of a 429, then submits', async () => {
    fake.rateLimitNext(1);
    const id = await recordedMeeting('Rate limited');
    expect(await finished(id)).toMatchObject({ status: 'completed' });
    expect(fake.requests.slice(0, 2).map((r) => r.status)).toEqual([429, 200]);
  }, 60_000);

  it('collects a late callback through the fallback poll after the task timed out', async () => {
    fake.callbackDelayMs = TRANSCRIBE_TIMEOUT_MS + 1500;
    const id = await recordedMeeting('Late callback');
    expect(await finished(id)).toMatchObject({ status: 'completed' });
    const polls = fake.requests.filter((r) => r.method === 'GET');
    // The poll asked Deepgram's request record at least once before the callback came.
    expect(polls.length).toBeGreaterThan(0);
    expect(onlyJob()?.deliveries.map((d) => d.status)).toEqual([200]);
  }, 60_000);

  it('fails the meeting with a reason naming the lost callback when Deepgram never delivers it', async () => {
    fake.callbackMode = 'never';
    const id = await recordedMeeting('Lost callback');
    const details = await finished(id);
    const job = onlyJob();
    expect(details.status).toBe('failed');
    expect(details.failure_reason).toBe(
      `Lost callback: Deepgram finished request ${job?.requestId}, but its callback with the transcript never reached this system (10 attempt(s), last answer 502); Deepgram keeps no copy to fetch, so the recording must be submitted again`,
    );
    // Failed at the first poll: a lost transcript is not retried.
    expect(fake.requests.filter((r) => r.method === 'GET')).toHaveLength(1);
  }, 60_000);

  it('answers 401 to a callback with the wrong callback_secret and leaves the meeting untouched', async () => {
    fake.callbackMode = 'wrong-secret';
    fake.callbackRetryDelayMs = 50;
    const id = await recordedMeeting('Bad callback auth');
    const details = await finished(id);
    const job = onlyJob();
    expect(job?.deliveries.length).toBe(10);
    expect(new Set(job?.deliveries.map((d) => d.status))).toEqual(new Set([401]));
    expect(JSON.parse(job?.deliveries[0]?.body ?? '{}')).toMatchObject({ error: { code: 'unauthorized' } });
    // Nothing was stored from the forged body; the poll then finds Deepgram gave up, and says so.
    expect(details.status).toBe('failed');
    expect(details.failure_reason).toMatch(/^Lost callback: .*\(10 attempt\(s\), last answer 401\)/);
    const transcript = await api.get(`/api/v1/meetings/${id}/transcript`, firm.token);
    expect(transcript.status).toBe(404);
    fake.callbackRetryDelayMs = 100;
  }, 60_000);

  it('answers 400 naming body.metadata.request_id to a malformed callback body', async () => {
    fake.callbackMode = 'malformed';
    fake.callbackRetryDelayMs = 50;
    const id = await recordedMeeting('Malformed callback');
    const details = await finished(id);
    await fake.settled();
    const job = onlyJob();
    expect(new Set(job?.deliveries.map((d) => d.status))).toEqual(new Set([400]));
    const error = JSON.parse(job?.deliveries[0]?.body ?? '{}').error as { issues: { path: string }[] };
    expect(error.issues.map((issue) => issue.path)).toContain('body.metadata.request_id');
    expect(details.status).toBe('failed');
    expect(details.failure_reason).toMatch(/^Lost callback: .*last answer 400\)/);
    fake.callbackRetryDelayMs = 100;
  }, 60_000);
});
