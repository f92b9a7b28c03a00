import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findFreePort } from '../../lib/local/port-check';
import { type FakeDeepgram, startFakeDeepgram } from '../fakes/deepgram-server';
import { type ApiClient, apiClient } from '../support/api-client';
import { registerFirm } from '../support/identity-helpers';
import { finishedMeeting, recordedMeeting } from '../support/recorded-meeting';
import { type HostProcess, startHostProcess } from './global-setup';

// Without DEEPGRAM_PROJECT_ID the poll cannot ask Deepgram anything (it keeps no transcript to fetch), so a lost
// callback can only be waited out: the meeting fails after the poll limit, with a reason naming the lost callback.
let fake: FakeDeepgram;
let host: HostProcess;
let api: ApiClient;

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
      DEEPGRAM_PROJECT_ID: '',
      TRANSCRIPTION_WEBHOOK_SECRET: 'e'.repeat(64),
      WEBHOOK_BASE_URL: `http://127.0.0.1:${port}`,
      SMARTAD_TRANSCRIBE_TIMEOUT_MS: '1500',
      SMARTAD_TRANSCRIPTION_POLL_WAIT_MS: '100',
      SMARTAD_PIPELINE_RETRY_INTERVAL_MS: '100',
    },
  });
  api = apiClient(host.url);
}, 60_000);

afterAll(async () => {
  await host?.stop();
  await fake?.close();
});

describe('a lost Deepgram callback without DEEPGRAM_PROJECT_ID', () => {
  it('waits out the fallback polls, then fails the meeting with a reason naming the lost callback', async () => {
    const firm = await registerFirm('deepgram-lost', api);
    fake.callbackMode = 'never';
    const id = await recordedMeeting(api, firm.token, 'Lost callback, no project id');
    const details = await finishedMeeting(api, firm.token, id, 50_000);
    expect(details.status).toBe('failed');
    expect(details.failure_reason).toBe(
      'Lost callback: no transcription callback arrived within the task timeout, and the provider had no finished transcript after 12 more polls.',
    );
    // The poll asked Deepgram nothing: there is nothing to ask without the project id.
    expect(fake.requests.map((r) => r.path)).toEqual(['/v1/listen']);
  }, 80_000);
});
