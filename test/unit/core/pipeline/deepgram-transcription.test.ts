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
import {
  DEEPGRAM_CALLBACK_MAX_BYTES,
  transcriptionWebhookRoutes,
} from '../../../../functions/http/routes/transcription-webhook-routes';
import {
  createDeepgramProvider,
  listenUrl,
  retryAfterSeconds,
} from '../../../../functions/integrations/deepgram/deepgram-provider';
import {
  NO_DEEPGRAM_CALLBACK_MESSAGE,
  NO_DEEPGRAM_KEY_MESSAGE,
} from '../../../../functions/integrations/deepgram/deepgram-transcription';
import { parseConfig } from '../../../../functions/platform/config/config';
import { webhookAuthValue } from '../../../../functions/platform/crypto/webhook-auth';
import { ConfigError } from '../../../../functions/platform/errors';
import { createHttpHandler } from '../../../../functions/platform/http/http-handler';
import { TaskTokenRegistry } from '../../../../lib/local/task-token-registry';
import { type FakeDeepgram, startFakeDeepgram } from '../../../fakes/deepgram-server';
import { apiEvent, lambdaContext } from '../../../support/api-event';
import { applyTestEnv, TEST_ENV } from '../../../support/test-env';
import { MemoryMeetings, meetingFixture, TENANT } from '../../../support/transcription-fixtures';

const SECRET = 'b'.repeat(64);
const NOW = Date.parse('2026-11-23T12:00:00.000Z');
const PATH = '/webhooks/transcription/deepgram';

let fake: FakeDeepgram;
let meetings: MemoryMeetings;
let blobs: Map<string, unknown>;
let registry: TaskTokenRegistry;
let sleeps: number[];
let provider: TranscriptionProvider;
let deps: TranscriptionCallbackDeps;
let nextMeeting = 0;

const providerWith = (overrides: Partial<Parameters<typeof createDeepgramProvider>[0]> = {}) =>
  createDeepgramProvider({
    apiKey: fake.apiKey,
    baseUrl: fake.baseUrl,
    model: 'nova-3',
    projectId: fake.projectId,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    ...overrides,
  });

beforeAll(async () => {
  applyTestEnv();
  fake = await startFakeDeepgram();
});
afterAll(() => fake.close());

beforeEach(() => {
  meetings = new MemoryMeetings();
  blobs = new Map();
  registry = new TaskTokenRegistry();
  sleeps = [];
  fake.callbackMode = 'manual';
  provider = providerWith();
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

afterEach(async () => {
  await fake.settled();
  fake.jobs.clear();
  fake.requests.length = 0;
  fake.failNext(0);
});

const authFor = (meetingId: string) =>
  webhookAuthValue(SECRET, { provider: 'deepgram', tenantId: TENANT, meetingId });

async function submitted() {
  const meetingId = `dg-meeting-${++nextMeeting}`;
  await meetings.create(meetingFixture(meetingId));
  const { taskToken, outcome } = registry.issue('Transcribe');
  const { jobId } = await startTranscription({ tenantId: TENANT, meetingId, taskToken }, deps);
  return { meetingId, jobId, taskToken, outcome };
}

let handler: ReturnType<typeof createHttpHandler> | undefined;
const webhook: ReturnType<typeof createHttpHandler> = (event, context) => {
  handler ??= createHttpHandler('transcription-webhooks', transcriptionWebhookRoutes, {
    assemblyAiTranscriptionCallback: (request) =>
      transcriptionWebhookImplementations(deps).assemblyAiTranscriptionCallback(request),
    deepgramTranscriptionCallback: (request) =>
      transcriptionWebhookImplementations(deps).deepgramTranscriptionCallback(request),
  });
  return handler(event, context);
};

/** The callback Deepgram would POST for `jobId`: its whole response, `metadata.extra` as given. */
function deepgramBody(jobId: string, extra: Record<string, string> | undefined, results?: unknown) {
  return {
    metadata: { request_id: jobId, duration: 9.1, channels: 1, ...(extra ? { extra } : {}) },
    results: results ?? {
      utterances: [
        { start: 0.08, end: 4.2, transcript: 'Thanks for coming in.', speaker: 0, confidence: 0.9 },
        { start: 4.32, end: 9.1, transcript: 'I want to retire at sixty-two.', speaker: 1, confidence: 0.9 },
      ],
    },
  };
}

function callback(meetingId: string, body: unknown, query: Record<string, string> = {}) {
  return webhook(
    apiEvent('POST', PATH, {
      query: { tenant: TENANT, meeting: meetingId, ...query },
      body: JSON.stringify(body),
    }),
    lambdaContext(),
  );
}

describe('the Deepgram provider', () => {
  it('submits the presigned recording with the options in the query and the auth value in extra', async () => {
    const { meetingId, jobId } = await submitted();
    const job = fake.jobs.get(jobId);
    expect(job?.body).toEqual({
      url: `https://uploads.example.com/uploads/${TENANT}/${meetingId}/recording.mp3?X-Amz-Signature=secret`,
    });
    expect(job?.query).toEqual({
      model: ['nova-3'],
      diarize: ['true'],
      punctuate: ['true'],
      utterances: ['true'],
      smart_format: ['true'],
      callback: [`https://api.example.com${PATH}?tenant=${TENANT}&meeting=${meetingId}`],
      extra: [`callback_secret:${authFor(meetingId)}`],
    });
    expect(job?.extra).toEqual({ callback_secret: authFor(meetingId) });
    expect(fake.requests[0]).toMatchObject({ method: 'POST', authorization: `Token ${fake.apiKey}` });
    // The secret itself never leaves: only the meeting's HMAC does.
    expect(JSON.stringify(job)).not.toContain(SECRET);
    expect(await meetings.get(TENANT, meetingId)).toMatchObject({
      status: 'processing',
      transcription: { provider: 'deepgram', jobId },
    });
  });

  it('encodes a callback URL with its own query so Deepgram gets it whole', () => {
    const url = listenUrl('https://api.deepgram.com', 'nova-3', {
      url: 'https://api.example.com/webhooks/transcription/deepgram?tenant=t&meeting=m',
      authValue: 'v',
    });
    expect(url.toString()).toContain(
      'callback=https%3A%2F%2Fapi.example.com%2Fwebhooks%2Ftranscription%2Fdeepgram%3Ftenant%3Dt%26meeting%3Dm',
    );
    expect(url.searchParams.get('callback')).toBe(
      'https://api.example.com/webhooks/transcription/deepgram?tenant=t&meeting=m',
    );
  });

  it('refuses to submit without a callback (Deepgram would transcribe synchronously)', async () => {
    await expect(providerWith().submit({ audioUrl: 'https://a.example/x.mp3' })).rejects.toThrow(
      /WEBHOOK_BASE_URL/,
    );
    expect(fake.requests).toEqual([]);
  });

  it('does not retry a refused key, and says what Deepgram said (401 INVALID_AUTH)', async () => {
    const submit = providerWith({ apiKey: 'wrong' }).submit({
      audioUrl: 'https://a.example/x.mp3',
      webhook: { url: 'https://api.example.com/cb', authValue: 'v' },
    });
    await expect(submit).rejects.toBeInstanceOf(TranscriptionRejectedError);
    await expect(submit).rejects.toMatchObject({
      status: 401,
      message: 'Deepgram refused POST /v1/listen: 401 (INVALID_AUTH: Invalid credentials.)',
    });
    expect(fake.requests).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it('retries 500s with exponential backoff and then succeeds', async () => {
    fake.failNext(2);
    const { jobId } = await submitted();
    expect(fake.jobs.has(jobId)).toBe(true);
    expect(fake.requests.map((r) => r.status)).toEqual([500, 500, 200]);
    expect(sleeps).toEqual([1000, 2000]);
  });

  it('gives up after its retries with a retryable TranscriptionProviderUnavailableError', async () => {
    fake.failNext(3);
    const meetingId = 'dg-down';
    await meetings.create(meetingFixture(meetingId));
    const start = startTranscription({ tenantId: TENANT, meetingId, taskToken: 't' }, deps);
    await expect(start).rejects.toBeInstanceOf(TranscriptionProviderUnavailableError);
    await expect(start).rejects.toMatchObject({ name: 'TranscriptionProviderUnavailableError', status: 500 });
    expect(fake.requests).toHaveLength(3);
    // Nothing recorded: the state machine's retry submits afresh.
    expect((await meetings.get(TENANT, meetingId))?.transcription).toBeUndefined();
  });

  it("waits for a 429's Retry-After before trying again", async () => {
    fake.rateLimitNext(3);
    const { jobId } = await submitted();
    expect(fake.jobs.has(jobId)).toBe(true);
    expect(fake.requests.map((r) => r.status)).toEqual([429, 200]);
    expect(sleeps).toEqual([3000]);
  });

  it('leaves a long Retry-After to the state machine instead of sleeping through it', async () => {
    fake.rateLimitNext(120);
    const submit = provider.submit({
      audioUrl: 'https://a.example/x.mp3',
      webhook: { url: 'https://api.example.com/cb', authValue: 'v' },
    });
    await expect(submit).rejects.toMatchObject({
      name: 'TranscriptionProviderUnavailableError',
      status: 429,
    });
    expect(sleeps).toEqual([]);
    expect(fake.requests).toHaveLength(1);
  });

  it('stops retrying when another wait would overrun its time budget (the function would be killed)', async () => {
    let clock = 0;
    const budgeted = providerWith({
      budgetMs: 2500,
      now: () => clock,
      sleep: async (ms) => {
        sleeps.push(ms);
        clock += ms;
      },
    });
    fake.failNext(3);
    const submit = budgeted.submit({
      audioUrl: 'https://a.example/x.mp3',
      webhook: { url: 'https://api.example.com/cb', authValue: 'v' },
    });
    await expect(submit).rejects.toThrow(
      'Deepgram POST /v1/listen answered 500 (INTERNAL_SERVER_ERROR: Internal server error.) after 2 attempt(s)',
    );
    expect(sleeps).toEqual([1000]);
  });

  it('treats no answer (a timeout) as retryable', async () => {
    const timeouts = providerWith({
      fetch: async () => {
        throw new DOMException('The operation was aborted due to timeout', 'TimeoutError');
      },
    });
    const submit = timeouts.submit({
      audioUrl: 'https://a.example/x.mp3',
      webhook: { url: 'https://api.example.com/cb', authValue: 'v' },
    });
    await expect(submit).rejects.toBeInstanceOf(TranscriptionProviderUnavailableError);
    await expect(submit).rejects.toThrow('Deepgram POST /v1/listen timed out after 3 attempt(s)');
    expect(sleeps).toEqual([1000, 2000]);
  });

  it('does not resubmit when Deepgram accepts without a request_id (a second job would be billed too)', async () => {
    const odd = providerWith({
      fetch: async () => new Response(JSON.stringify({ accepted: true }), { status: 200 }),
    });
    const submit = odd.submit({
      audioUrl: 'https://a.example/x.mp3',
      webhook: { url: 'https://api.example.com/cb', authValue: 'v' },
    });
    await expect(submit).rejects.toBeInstanceOf(TranscriptionRejectedError);
    await expect(submit).rejects.toThrow('without a request_id');
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    expect(retryAfterSeconds('7')).toBe(7);
    expect(retryAfterSeconds('Mon, 23 Nov 2026 12:00:30 GMT', NOW)).toBe(30);
    expect(retryAfterSeconds('soon')).toBeUndefined();
    expect(retryAfterSeconds(null)).toBeUndefined();
  });
});

describe("the Deepgram fallback poll (Deepgram's request record)", () => {
  it('waits while the callback may still come', async () => {
    const { meetingId } = await submitted();
    expect(await pollTranscription({ tenantId: TENANT, meetingId }, deps)).toEqual({ status: 'processing' });
    expect(fake.requests.at(-1)).toMatchObject({
      method: 'GET',
      path: expect.stringMatching(/^\/v1\/projects\/project-1\/requests\//),
    });
  });

  it('fails the meeting naming the lost callback once Deepgram has given up delivering it', async () => {
    fake.callbackMode = 'never';
    const { meetingId, jobId } = await submitted();
    const poll = pollTranscription({ tenantId: TENANT, meetingId }, deps);
    await expect(poll).rejects.toBeInstanceOf(TranscriptionFailedError);
    await expect(poll).rejects.toThrow(
      `Lost callback: Deepgram finished request ${jobId}, but its callback with the transcript never reached this system (10 attempt(s), last answer 502)`,
    );
  });

  it('reports a request Deepgram could not process with its status code', async () => {
    provider = providerWith({
      fetch: async () =>
        new Response(
          JSON.stringify({ request: { response: { code: 400, completed: '2026-11-23T12:00:00Z' } } }),
          {
            status: 200,
          },
        ),
    });
    const state = await provider.job('req-1');
    expect(state).toEqual({
      status: 'error',
      reason: 'Deepgram could not transcribe the recording: request req-1 ended with HTTP 400',
    });
  });

  it('treats a request record not found yet as still processing', async () => {
    expect(await provider.job('unknown-request')).toEqual({ status: 'processing' });
  });

  it('without a project id only waits, asking Deepgram nothing (it keeps no transcript to fetch)', async () => {
    const { meetingId } = await submitted();
    provider = providerWith({ projectId: undefined });
    const before = fake.requests.length;
    expect(await pollTranscription({ tenantId: TENANT, meetingId }, deps)).toEqual({ status: 'processing' });
    expect(fake.requests.length).toBe(before);
  });
});

describe('the Deepgram callback', () => {
  it('stores the delivered transcript (seconds become ms) and resumes the execution', async () => {
    const { meetingId, jobId, outcome } = await submitted();
    const gets = fake.requests.length;
    const response = await callback(meetingId, deepgramBody(jobId, { callback_secret: authFor(meetingId) }));
    expect(response.statusCode).toBe(200);
    expect(JSON.parse(response.body ?? '')).toEqual({ received: true });
    await expect(outcome).resolves.toEqual({});
    const key = `tenants/${TENANT}/meetings/${meetingId}/transcript.json`;
    const transcript = TranscriptSchema.parse(blobs.get(key));
    expect(transcript.source).toBe('deepgram');
    expect(transcript.speakers).toEqual(['Speaker 0', 'Speaker 1']);
    expect(transcript.utterances[0]).toMatchObject({ startMs: 80, endMs: 4200 });
    expect((await meetings.get(TENANT, meetingId))?.transcriptKey).toBe(key);
    // The transcript came with the callback: Deepgram was not asked again.
    expect(fake.requests.length).toBe(gets);
  });

  it.each([
    ['a wrong callback_secret', (id: string) => ({ callback_secret: `${authFor(id)}x` })],
    ['no extra at all', () => undefined],
    ['extra without callback_secret', () => ({ other: 'x' })],
    ["another meeting's value", () => ({ callback_secret: authFor('dg-meeting-other') })],
    ['the webhook secret itself', () => ({ callback_secret: SECRET })],
  ])('answers 401 to %s, with no side effect', async (_label, extra) => {
    const { meetingId, jobId, taskToken } = await submitted();
    const writes = meetings.writes;
    const response = await callback(meetingId, deepgramBody(jobId, extra(meetingId)));
    expect(response.statusCode).toBe(401);
    expect(meetings.writes).toBe(writes);
    expect(blobs.size).toBe(0);
    expect(registry.pendingTokens()).toContain(taskToken);
  });

  it.each([
    ['body.metadata.request_id', (body: ReturnType<typeof deepgramBody>) => ({ ...body, metadata: {} })],
    ['body.metadata', (body: ReturnType<typeof deepgramBody>) => ({ results: body.results })],
    [
      'body.metadata.extra.callback_secret',
      (body: ReturnType<typeof deepgramBody>) => ({
        ...body,
        metadata: { ...body.metadata, extra: { callback_secret: 42 } },
      }),
    ],
    ['body.results', (body: ReturnType<typeof deepgramBody>) => ({ ...body, results: 'none' })],
  ])('answers 400 naming %s for a malformed body, with no side effect', async (field, mangle) => {
    const { meetingId, jobId, taskToken } = await submitted();
    const writes = meetings.writes;
    const body = mangle(deepgramBody(jobId, { callback_secret: authFor(meetingId) }));
    const response = await callback(meetingId, body);
    expect(response.statusCode).toBe(400);
    const issues = JSON.parse(response.body ?? '').error.issues as { path: string }[];
    expect(issues.map((issue) => issue.path)).toContain(field);
    expect(meetings.writes).toBe(writes);
    expect(registry.pendingTokens()).toContain(taskToken);
  });

  it('answers 400 naming query.tenant without the ids in the URL', async () => {
    const response = await webhook(
      apiEvent('POST', PATH, { query: { meeting: 'm' }, body: JSON.stringify(deepgramBody('r', undefined)) }),
      lambdaContext(),
    );
    expect(response.statusCode).toBe(400);
    expect(JSON.parse(response.body ?? '').error.issues[0].path).toBe('query.tenant');
  });

  it('fails the task with the parser reason for an authentic but unreadable transcript', async () => {
    const { meetingId, jobId, outcome } = await submitted();
    const results = { utterances: [{ start: 5, end: 2, transcript: 'backwards', speaker: 0 }] };
    const response = await callback(
      meetingId,
      deepgramBody(jobId, { callback_secret: authFor(meetingId) }, results),
    );
    expect(response.statusCode).toBe(200);
    await expect(outcome).rejects.toMatchObject({
      name: 'MalformedTranscriptError',
      message: 'Deepgram results.utterances[0]: end (2 s) is before start (5 s)',
    });
    expect(blobs.size).toBe(0);
  });

  it('answers 5xx when the callback outruns Transcribe recording the job, then resumes on the retry', async () => {
    const meetingId = 'dg-early';
    await meetings.create(meetingFixture(meetingId));
    const early = await callback(
      meetingId,
      deepgramBody('req-early', { callback_secret: authFor(meetingId) }),
    );
    expect(early.statusCode).toBe(500);
    expect(blobs.size).toBe(0);

    const { taskToken, outcome } = registry.issue('Transcribe');
    const { jobId } = await startTranscription({ tenantId: TENANT, meetingId, taskToken }, deps);
    const retried = await callback(meetingId, deepgramBody(jobId, { callback_secret: authFor(meetingId) }));
    expect(retried.statusCode).toBe(200);
    await expect(outcome).resolves.toEqual({});
  });

  it('keeps a late callback (the task timed out) so the fallback poll completes without Deepgram', async () => {
    const { meetingId, jobId, taskToken } = await submitted();
    registry.expire(taskToken, 1);
    await new Promise((resolve) => setTimeout(resolve, 10));
    const response = await callback(meetingId, deepgramBody(jobId, { callback_secret: authFor(meetingId) }));
    expect(response.statusCode).toBe(200);
    const before = fake.requests.length;
    expect(await pollTranscription({ tenantId: TENANT, meetingId }, deps)).toEqual({ status: 'completed' });
    expect(fake.requests.length).toBe(before);
  });

  it('answers a duplicate delivery 200 with one success and one stored transcript', async () => {
    const { meetingId, jobId, outcome } = await submitted();
    let successes = 0;
    const send = deps.callbacks.sendTaskSuccess;
    deps.callbacks = {
      ...deps.callbacks,
      sendTaskSuccess: async (t, o) => send(t, o).then(() => void successes++),
    };
    const body = deepgramBody(jobId, { callback_secret: authFor(meetingId) });
    expect((await callback(meetingId, body)).statusCode).toBe(200);
    const writes = meetings.writes;
    expect((await callback(meetingId, body)).statusCode).toBe(200);
    expect(successes).toBe(1);
    expect(meetings.writes).toBe(writes);
    await expect(outcome).resolves.toEqual({});
  });

  it('accepts a long meeting past the 1 MiB API default, and refuses one past Lambda’s payload limit', async () => {
    const { meetingId, jobId, outcome } = await submitted();
    const utterance = (i: number) => ({
      start: i * 5,
      end: i * 5 + 4.5,
      transcript: `Utterance ${i}: we talked about the portfolio, the rebalancing and the retirement income plan.`,
      speaker: i % 2,
    });
    const long = deepgramBody(
      jobId,
      { callback_secret: authFor(meetingId) },
      {
        utterances: Array.from({ length: 20_000 }, (_, i) => utterance(i)),
      },
    );
    const size = JSON.stringify(long).length;
    expect(size).toBeGreaterThan(1024 * 1024);
    expect(size).toBeLessThan(DEEPGRAM_CALLBACK_MAX_BYTES);
    expect((await callback(meetingId, long)).statusCode).toBe(200);
    await expect(outcome).resolves.toEqual({});

    const tooLong = deepgramBody(
      jobId,
      { callback_secret: authFor(meetingId) },
      {
        utterances: Array.from({ length: 60_000 }, (_, i) => utterance(i)),
      },
    );
    expect(JSON.stringify(tooLong).length).toBeGreaterThan(DEEPGRAM_CALLBACK_MAX_BYTES);
    expect((await callback(meetingId, tooLong)).statusCode).toBe(413);
  });

  it("ignores (200) a request id that is not the meeting's job", async () => {
    const { meetingId, taskToken } = await submitted();
    const response = await callback(
      meetingId,
      deepgramBody('req-other', { callback_secret: authFor(meetingId) }),
    );
    expect(response.statusCode).toBe(200);
    expect(registry.pendingTokens()).toContain(taskToken);
    expect(blobs.size).toBe(0);
  });
});

describe('Deepgram configuration', () => {
  const DEEPGRAM = { ...TEST_ENV, TRANSCRIPTION_PROVIDER: 'deepgram' };

  it('without a key, audio fails with a reason naming DEEPGRAM_API_KEY', async () => {
    const choice = providerChoice(parseConfig(DEEPGRAM));
    expect(choice).toEqual({ unavailable: expect.any(TranscriptionUnavailableError) });
    expect(choice).toMatchObject({
      unavailable: { setting: 'DEEPGRAM_API_KEY', message: NO_DEEPGRAM_KEY_MESSAGE },
    });
    expect(NO_DEEPGRAM_KEY_MESSAGE).toMatch(/^DEEPGRAM_API_KEY is not set/);
  });

  it('without a public callback origin, audio fails with a reason naming WEBHOOK_BASE_URL', () => {
    const choice = providerChoice(
      parseConfig({ ...DEEPGRAM, DEEPGRAM_API_KEY: 'k', TRANSCRIPTION_WEBHOOK_SECRET: SECRET }),
    );
    expect(choice).toMatchObject({
      unavailable: { setting: 'WEBHOOK_BASE_URL', message: NO_DEEPGRAM_CALLBACK_MESSAGE },
    });
  });

  it('refuses a key without a webhook secret, naming the setting', () => {
    expect(() => parseConfig({ ...DEEPGRAM, DEEPGRAM_API_KEY: 'k' })).toThrow(ConfigError);
    expect(() => parseConfig({ ...DEEPGRAM, DEEPGRAM_API_KEY: 'k' })).toThrow(
      /TRANSCRIPTION_WEBHOOK_SECRET: is required when DEEPGRAM_API_KEY is set/,
    );
  });

  it('refuses a callback origin on a port Deepgram will not call, unless a fake stands in for Deepgram', () => {
    const env = {
      ...DEEPGRAM,
      DEEPGRAM_API_KEY: 'k',
      TRANSCRIPTION_WEBHOOK_SECRET: SECRET,
      WEBHOOK_BASE_URL: 'https://hooks.example.com:3000',
    };
    expect(() => parseConfig(env)).toThrow(
      /WEBHOOK_BASE_URL: Deepgram calls back only on ports 80, 443, 8080, 8443/,
    );
    expect(
      parseConfig({ ...env, WEBHOOK_BASE_URL: 'https://hooks.example.com:8443' }).transcription
        .webhookBaseUrl,
    ).toBe('https://hooks.example.com:8443');
    expect(
      parseConfig({ ...env, WEBHOOK_BASE_URL: 'https://hooks.example.com' }).transcription.webhookBaseUrl,
    ).toBe('https://hooks.example.com');
    expect(() => parseConfig({ ...env, DEEPGRAM_BASE_URL: 'http://127.0.0.1:4000' })).not.toThrow();
  });

  it('defaults the model to nova-3 and builds the provider from the configuration', () => {
    const cfg = parseConfig({
      ...DEEPGRAM,
      DEEPGRAM_API_KEY: 'k',
      TRANSCRIPTION_WEBHOOK_SECRET: SECRET,
      WEBHOOK_BASE_URL: 'https://hooks.example.com',
    });
    expect(cfg.transcription.deepgram).toEqual({
      apiKey: 'k',
      baseUrl: undefined,
      model: 'nova-3',
      projectId: undefined,
    });
    expect(providerChoice(cfg)).toMatchObject({ provider: { name: 'deepgram' } });
  });
});
