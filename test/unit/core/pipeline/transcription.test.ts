import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { withStaleTokenMapping } from '../../../../functions/adapters/pipeline/task-callbacks';
import { providerChoice } from '../../../../functions/composition/transcription-runtime';
import { pollTranscription } from '../../../../functions/core/pipeline/collect-transcript';
import {
  TranscriptionFailedError,
  TranscriptionProviderUnavailableError,
  TranscriptionRejectedError,
  TranscriptionUnavailableError,
} from '../../../../functions/core/pipeline/errors';
import { startTranscription } from '../../../../functions/core/pipeline/start-transcription';
import type {
  TranscriptionCallbackDeps,
  TranscriptionProvider,
} from '../../../../functions/core/pipeline/transcription-ports';
import { TranscriptSchema } from '../../../../functions/core/transcript/transcript';
import { transcriptionWebhookImplementations } from '../../../../functions/http/implementations/transcription-webhook';
import { transcriptionWebhookRoutes } from '../../../../functions/http/routes/transcription-webhook-routes';
import {
  classifyAssemblyAiError,
  createAssemblyAiProvider,
  redactProviderReason,
} from '../../../../functions/integrations/assemblyai/assemblyai-provider';
import { NO_ASSEMBLYAI_KEY_MESSAGE } from '../../../../functions/integrations/assemblyai/assemblyai-transcription';
import { parseConfig } from '../../../../functions/platform/config/config';
import { webhookAuthValue } from '../../../../functions/platform/crypto/webhook-auth';
import { ConfigError } from '../../../../functions/platform/errors';
import { createHttpHandler } from '../../../../functions/platform/http/http-handler';
import { TaskTokenRegistry } from '../../../../lib/local/task-token-registry';
import { type FakeAssemblyAi, startFakeAssemblyAi } from '../../../fakes/assemblyai-server';
import { apiEvent, lambdaContext } from '../../../support/api-event';
import { applyTestEnv, TEST_ENV } from '../../../support/test-env';
import { MemoryMeetings, meetingFixture, TENANT } from '../../../support/transcription-fixtures';

const SECRET = 'a'.repeat(64);
const NOW = Date.parse('2026-11-23T12:00:00.000Z');
const HEADER = 'x-smartad-webhook-secret';

let fake: FakeAssemblyAi;
let meetings: MemoryMeetings;
let blobs: Map<string, unknown>;
let registry: TaskTokenRegistry;
let provider: TranscriptionProvider;
let deps: TranscriptionCallbackDeps;
let nextMeeting = 0;

beforeAll(async () => {
  applyTestEnv();
  fake = await startFakeAssemblyAi();
});
afterAll(() => fake.close());

beforeEach(() => {
  meetings = new MemoryMeetings();
  blobs = new Map();
  registry = new TaskTokenRegistry();
  provider = createAssemblyAiProvider({
    apiKey: fake.apiKey,
    baseUrl: fake.baseUrl,
    speechModels: ['universal-3-pro', 'universal-2'],
    rateLimitDelayMs: 1,
  });
  deps = {
    meetings,
    provider: () => ({ provider }),
    recordings: { presignGet: async (key) => `https://uploads.example.com/${key}?X-Amz-Signature=secret` },
    blobs: {
      putJson: async (ref, name, value) => {
        const key = `tenants/${ref.tenantId}/meetings/${ref.meetingId}/${name}`;
        blobs.set(key, value);
        return key;
      },
    },
    clock: { now: () => NOW },
    settings: {
      webhookBaseUrl: 'https://api.example.com',
      webhookSecret: async () => SECRET,
      recordingLinkTtlSeconds: 3600,
    },
    callbacks: withStaleTokenMapping(registry),
  };
});

afterEach(() => {
  fake.jobs.clear();
  fake.requests.length = 0;
});

/** A meeting submitted with a fresh task token: its id, job and the task's outcome. */
async function submitted() {
  const meetingId = `meeting-${++nextMeeting}`;
  await meetings.create(meetingFixture(meetingId));
  const { taskToken, outcome } = registry.issue('Transcribe');
  const { jobId } = await startTranscription({ tenantId: TENANT, meetingId, taskToken }, deps);
  return { meetingId, jobId, taskToken, outcome };
}

let handler: ReturnType<typeof createHttpHandler> | undefined;
// Built after the test environment is applied; the implementation resolves each test's deps per call.
const webhook: ReturnType<typeof createHttpHandler> = (event, context) => {
  handler ??= createHttpHandler('transcription-webhooks', transcriptionWebhookRoutes, {
    assemblyAiTranscriptionCallback: (request) =>
      transcriptionWebhookImplementations(deps).assemblyAiTranscriptionCallback(request),
    deepgramTranscriptionCallback: (request) =>
      transcriptionWebhookImplementations(deps).deepgramTranscriptionCallback(request),
  });
  return handler(event, context);
};

function callback(meetingId: string, jobId: string, header: string | undefined, status = 'completed') {
  return webhook(
    apiEvent('POST', '/webhooks/transcription/assemblyai', {
      query: { tenant: TENANT, meeting: meetingId },
      headers: header === undefined ? {} : { [HEADER]: header },
      body: JSON.stringify({ transcript_id: jobId, status }),
    }),
    lambdaContext(),
  );
}

const headerFor = (meetingId: string) =>
  webhookAuthValue(SECRET, { provider: 'assemblyai', tenantId: TENANT, meetingId });

describe('transcription configuration', () => {
  it('without a key, audio fails with a reason naming ASSEMBLYAI_API_KEY', async () => {
    const choice = providerChoice(parseConfig(TEST_ENV));
    expect(choice).toHaveProperty('unavailable');
    deps.provider = () => choice;
    await meetings.create(meetingFixture('no-key'));
    const start = startTranscription({ tenantId: TENANT, meetingId: 'no-key', taskToken: 't' }, deps);
    await expect(start).rejects.toBeInstanceOf(TranscriptionUnavailableError);
    await expect(start).rejects.toThrow(NO_ASSEMBLYAI_KEY_MESSAGE);
    expect(NO_ASSEMBLYAI_KEY_MESSAGE).toMatch(/^ASSEMBLYAI_API_KEY is not set/);
    expect(fake.requests).toEqual([]);
  });

  it('refuses a key without a webhook secret, naming the setting', () => {
    expect(() => parseConfig({ ...TEST_ENV, ASSEMBLYAI_API_KEY: 'k' })).toThrow(ConfigError);
    expect(() => parseConfig({ ...TEST_ENV, ASSEMBLYAI_API_KEY: 'k' })).toThrow(
      /TRANSCRIPTION_WEBHOOK_SECRET/,
    );
    const cfg = parseConfig({ ...TEST_ENV, ASSEMBLYAI_API_KEY: 'k', TRANSCRIPTION_WEBHOOK_SECRET: SECRET });
    expect(cfg.transcription.assemblyAi.speechModels).toEqual(['universal-3-pro', 'universal-2']);
    expect(cfg.transcription.provider).toBe('assemblyai');
    expect(providerChoice(cfg)).toHaveProperty('provider');
  });
});

describe('the fake AssemblyAI', () => {
  it('requires the raw key (no Bearer) and speech_models', async () => {
    const post = (headers: Record<string, string>, body: unknown) =>
      fetch(`${fake.baseUrl}/v2/transcript`, { method: 'POST', headers, body: JSON.stringify(body) });
    expect((await post({ authorization: `Bearer ${fake.apiKey}` }, { audio_url: 'https://a' })).status).toBe(
      401,
    );
    const noModels = await post({ authorization: fake.apiKey }, { audio_url: 'https://a' });
    expect(noModels.status).toBe(400);
    expect(await noModels.json()).toEqual({ error: expect.stringMatching(/speech_models/) });
  });
});

describe('startTranscription', () => {
  it('submits the recording with speech models, labels, entities and a per-meeting webhook', async () => {
    const { meetingId, jobId, taskToken } = await submitted();
    const request = fake.jobs.get(jobId)?.request;
    expect(request).toMatchObject({
      audio_url: `https://uploads.example.com/uploads/${TENANT}/${meetingId}/recording.mp3?X-Amz-Signature=secret`,
      speech_models: ['universal-3-pro', 'universal-2'],
      speaker_labels: true,
      entity_detection: true,
      webhook_url: `https://api.example.com/webhooks/transcription/assemblyai?tenant=${TENANT}&meeting=${meetingId}`,
      webhook_auth_header_name: HEADER,
      webhook_auth_header_value: headerFor(meetingId),
    });
    expect(fake.requests[0]?.authorization).toBe(fake.apiKey);
    const meeting = await meetings.get(TENANT, meetingId);
    expect(meeting).toMatchObject({
      status: 'processing',
      processingStartedAt: new Date(NOW).toISOString(),
      transcription: { provider: 'assemblyai', jobId, taskToken, submittedAt: new Date(NOW).toISOString() },
    });
  });

  it('does not submit twice for a retried invocation with the same token', async () => {
    const { meetingId, taskToken } = await submitted();
    const again = await startTranscription({ tenantId: TENANT, meetingId, taskToken }, deps);
    expect(again.outcome).toBe('already_submitted');
    expect(fake.jobs.size).toBe(1);
  });

  it('retries a rate-limited submission', async () => {
    fake.rateLimitNext(1);
    const { jobId } = await submitted();
    expect(fake.jobs.has(jobId)).toBe(true);
    expect(fake.requests.map((r) => r.method)).toEqual(['POST', 'POST']);
  });

  it('submits without a webhook when there is no public URL', async () => {
    deps.settings = { ...deps.settings, webhookBaseUrl: undefined };
    const { jobId } = await submitted();
    expect(fake.jobs.get(jobId)?.request).not.toHaveProperty('webhook_url');
  });
});

describe('pollTranscription', () => {
  it('reports processing while queued or processing, then stores the transcript where Extract reads it', async () => {
    const { meetingId, jobId } = await submitted();
    const ref = { tenantId: TENANT, meetingId };
    expect(await pollTranscription(ref, deps)).toEqual({ status: 'processing' });
    fake.setStatus(jobId, 'processing');
    expect(await pollTranscription(ref, deps)).toEqual({ status: 'processing' });
    fake.complete(jobId);
    expect(await pollTranscription(ref, deps)).toEqual({ status: 'completed' });

    const key = `tenants/${TENANT}/meetings/${meetingId}/transcript.json`;
    const transcript = TranscriptSchema.parse(blobs.get(key));
    expect(transcript.source).toBe('assemblyai');
    expect(transcript.speakers).toEqual(['Speaker A', 'Speaker B']);
    expect(transcript.utterances[1]).toMatchObject({ startMs: 4300, endMs: 9100 });
    const meeting = await meetings.get(TENANT, meetingId);
    expect(meeting?.transcriptKey).toBe(key);
    expect(meeting?.transcription?.collectedAt).toBe(new Date(NOW).toISOString());
  });

  it('throws TranscriptionFailedError with the provider reason, URLs redacted', async () => {
    const { meetingId, jobId } = await submitted();
    fake.fail(
      jobId,
      'Download error, unable to download https://uploads.example.com/a.mp3?X-Amz-Signature=secret',
    );
    const poll = pollTranscription({ tenantId: TENANT, meetingId }, deps);
    await expect(poll).rejects.toBeInstanceOf(TranscriptionFailedError);
    await expect(poll).rejects.toThrow(
      'Download error, unable to download https://uploads.example.com/a.mp3',
    );
    await expect(poll).rejects.not.toThrow(/Signature/);
    expect(redactProviderReason('  ')).toMatch(/no reason/);
  });
});

describe('the AssemblyAI webhook', () => {
  it('stores the transcript and resumes the execution', async () => {
    const { meetingId, jobId, outcome } = await submitted();
    fake.complete(jobId);
    const response = await callback(meetingId, jobId, headerFor(meetingId));
    expect(response.statusCode).toBe(200);
    expect(JSON.parse(response.body ?? '')).toEqual({ received: true });
    await expect(outcome).resolves.toEqual({});
    expect((await meetings.get(TENANT, meetingId))?.transcriptKey).toBe(
      `tenants/${TENANT}/meetings/${meetingId}/transcript.json`,
    );
  });

  it.each([
    ['a wrong header', () => 'not-the-value'],
    ['no header', () => undefined],
    ["another meeting's header", () => headerFor('meeting-other')],
  ])('answers 401 to %s, with no side effect', async (_label, header) => {
    const { meetingId, jobId, taskToken } = await submitted();
    fake.complete(jobId);
    const before = { requests: fake.requests.length, writes: meetings.writes };
    const response = await callback(meetingId, jobId, header());
    expect(response.statusCode).toBe(401);
    expect(fake.requests.length).toBe(before.requests);
    expect(meetings.writes).toBe(before.writes);
    expect(blobs.size).toBe(0);
    expect(registry.pendingTokens()).toContain(taskToken);
  });

  it('answers a duplicate callback 200 without a second success', async () => {
    const { meetingId, jobId, outcome } = await submitted();
    fake.complete(jobId);
    let successes = 0;
    const send = deps.callbacks.sendTaskSuccess;
    deps.callbacks = {
      ...deps.callbacks,
      sendTaskSuccess: async (t, o) => send(t, o).then(() => void successes++),
    };
    expect((await callback(meetingId, jobId, headerFor(meetingId))).statusCode).toBe(200);
    const getsAfterFirst = fake.requests.filter((r) => r.method === 'GET').length;
    expect((await callback(meetingId, jobId, headerFor(meetingId))).statusCode).toBe(200);
    expect(successes).toBe(1);
    await expect(outcome).resolves.toEqual({});
    // The transcript was collected once; the duplicate did not fetch it again.
    expect(fake.requests.filter((r) => r.method === 'GET').length).toBe(getsAfterFirst);
  });

  it('answers 200 after the fallback poll already resumed the pipeline (timed-out token)', async () => {
    const { meetingId, jobId, taskToken } = await submitted();
    registry.expire(taskToken, 1);
    fake.complete(jobId);
    expect(await pollTranscription({ tenantId: TENANT, meetingId }, deps)).toEqual({ status: 'completed' });
    expect((await callback(meetingId, jobId, headerFor(meetingId))).statusCode).toBe(200);
  });

  it('fails the task with TranscriptionFailedError and the provider reason', async () => {
    const { meetingId, jobId, outcome } = await submitted();
    fake.fail(jobId, 'The audio file contains no speech.');
    expect((await callback(meetingId, jobId, headerFor(meetingId), 'error')).statusCode).toBe(200);
    await expect(outcome).rejects.toMatchObject({
      name: 'TranscriptionFailedError',
      message: 'The audio file contains no speech.',
    });
    expect((await meetings.get(TENANT, meetingId))?.transcriptKey).toBeUndefined();
  });

  it("ignores (200) a job id that is not the meeting's", async () => {
    const { meetingId, taskToken } = await submitted();
    expect((await callback(meetingId, 'some-other-job', headerFor(meetingId))).statusCode).toBe(200);
    expect(registry.pendingTokens()).toContain(taskToken);
  });

  it('answers 5xx (the provider retries) when the job is not finished yet', async () => {
    const { meetingId, jobId, taskToken } = await submitted();
    expect((await callback(meetingId, jobId, headerFor(meetingId))).statusCode).toBe(500);
    expect(registry.pendingTokens()).toContain(taskToken);
  });
});

describe('AssemblyAI error classification (the SDK drops the status, so its text decides)', () => {
  it.each([
    ['no answer at all', new TypeError('fetch failed')],
    ['a rate limit', new Error('Too Many Requests')],
    ['a body-less 5xx', new Error('HTTP Error: 503 Service Unavailable')],
    ['a server-side failure', new Error('Internal server error')],
  ])('retries %s (TranscriptionProviderUnavailableError)', (_label, error) => {
    expect(classifyAssemblyAiError(error)).toBeInstanceOf(TranscriptionProviderUnavailableError);
  });

  it.each([
    ['a wrong key', new Error('Authentication error, API token missing/invalid')],
    ['a refused request', new Error('speech_models is required')],
    ['an unknown transcript', new Error('Transcript not found')],
    ['a body-less 4xx', new Error('HTTP Error: 403 Forbidden')],
  ])('does not retry %s (TranscriptionRejectedError)', (_label, error) => {
    expect(classifyAssemblyAiError(error)).toBeInstanceOf(TranscriptionRejectedError);
  });

  it('redacts URLs from the reason', () => {
    const error = classifyAssemblyAiError(
      new Error('Cannot access https://u.example.com/a.mp3?X-Amz-Signature=s'),
    );
    expect(error.message).toBe('AssemblyAI refused the request: Cannot access https://u.example.com/a.mp3');
  });

  it('refuses a wrong key without retrying, and a poll of an unknown job fails without retry', async () => {
    const wrongKey = createAssemblyAiProvider({
      apiKey: 'wrong',
      baseUrl: fake.baseUrl,
      speechModels: ['universal-3-pro'],
      rateLimitDelayMs: 1,
    });
    await expect(wrongKey.submit({ audioUrl: 'https://a.example/x.mp3' })).rejects.toBeInstanceOf(
      TranscriptionRejectedError,
    );
    expect(fake.requests).toHaveLength(1);

    const { meetingId } = await submitted();
    const meeting = await meetings.get(TENANT, meetingId);
    if (!meeting?.transcription) throw new Error('no job');
    meetings.items.set(`${TENANT}/${meetingId}`, {
      ...meeting,
      transcription: { ...meeting.transcription, jobId: 'no-such-transcript' },
    });
    await expect(pollTranscription({ tenantId: TENANT, meetingId }, deps)).rejects.toMatchObject({
      name: 'TranscriptionRejectedError',
      message: 'AssemblyAI refused the request: Transcript not found',
    });
  });

  it('gives up on a rate limit that outlasts its retries with a retryable error', async () => {
    const limited = createAssemblyAiProvider({
      apiKey: fake.apiKey,
      baseUrl: fake.baseUrl,
      speechModels: ['universal-3-pro'],
      rateLimitRetries: 0,
    });
    fake.rateLimitNext(1);
    await expect(limited.submit({ audioUrl: 'https://a.example/x.mp3' })).rejects.toBeInstanceOf(
      TranscriptionProviderUnavailableError,
    );
  });
});
