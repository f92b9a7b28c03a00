import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_FOLLOW_UP_DISCLAIMER } from '../../functions/core/firm/firm-settings';
import { startFakeAnthropic } from '../fakes/anthropic-server';
import { asksForDraft, claudeLikeReply, userText } from '../fakes/claude-responder';
import { apiClient } from '../support/api-client';
import { registerFirm } from '../support/identity-helpers';
import { type HostProcess, startHostProcess } from './global-setup';

const GOLDEN = join(import.meta.dirname, '..', '..', '..', 'shared', 'golden');

let fake: Awaited<ReturnType<typeof startFakeAnthropic>>;
let host: HostProcess;
let meetingId: string;
let token: string;
let refuse = false;

beforeAll(async () => {
  fake = await startFakeAnthropic((body) => {
    if (refuse) return { kind: 'refusal' };
    return asksForDraft(body)
      ? {
          kind: 'json',
          output: {
            subject: 'Next steps after our call',
            body: 'Hi Prospect, thank you for your time today.\n\nDisclaimer: one the model made up.',
          },
        }
      : claudeLikeReply(body);
  });
  host = await startHostProcess({
    args: ['--memory'],
    env: {
      PASSWORD_SCRYPT_LOG_N: '14',
      ANTHROPIC_API_KEY: 'sk-ant-fake-key-0123456789',
      ANTHROPIC_BASE_URL: fake.url,
    },
  });
}, 60_000);

afterAll(async () => {
  await host?.stop();
  await fake?.close();
});

/** Uploads golden meeting 02 for `firm`, consents, and waits until the meeting is completed or failed. */
async function processMeeting(firm: {
  token: string;
}): Promise<{ id: string; details: Record<string, unknown> }> {
  const api = apiClient(host.url);
  const file = await readFile(join(GOLDEN, 'meeting-02.vtt'));
  const ticket = await api.post<{ meeting: { id: string }; upload: { url: string } }>(
    '/api/v1/meetings/upload',
    {
      title: 'Prospect intro',
      meeting_date: '2026-02-12',
      client_names: ['Prospect'],
      file_name: 'meeting-02.vtt',
      content_type: 'text/vtt',
      size_bytes: file.byteLength,
    },
    firm.token,
  );
  await api.post(
    `/api/v1/meetings/${ticket.body.meeting.id}/consent`,
    { method: 'written', participant_states: ['CO'] },
    firm.token,
  );
  await fetch(ticket.body.upload.url, {
    method: 'PUT',
    headers: { 'content-type': 'text/vtt' },
    body: file,
  });
  let details: Record<string, unknown> = {};
  for (let i = 0; i < 200 && details.status !== 'completed' && details.status !== 'failed'; i += 1) {
    details = (
      await api.get<Record<string, unknown>>(`/api/v1/meetings/${ticket.body.meeting.id}`, firm.token)
    ).body;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { id: ticket.body.meeting.id, details };
}

describe('the pipeline with Claude (the real SDK against a fake Messages API)', () => {
  it('extracts with one structured-output call per meeting, records its usage and says so', async () => {
    const api = apiClient(host.url);
    const firm = await registerFirm('claude', api);
    const { id, details } = await processMeeting(firm);
    expect(details).toMatchObject({ status: 'completed', extractor: 'claude' });
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0]?.body.output_config).toMatchObject({ format: { type: 'json_schema' } });
    const extraction = details.extraction as { model?: string; action_items: { evidence_status: string }[] };
    expect(extraction.model).toBe('claude-sonnet-5-5');
    // The fake bills 5000 input, 1400 cache-read and 800 output tokens: $0.01828 at Sonnet 5.5 list prices.
    expect(details.llm_usage).toEqual({ calls: 1, tokens: 7200, cost_usd: 0.01828 });
    expect(extraction.action_items[0]?.evidence_status).toBe('verified');
    // The model is never asked for the disclaimer; the firm's is set by code, whatever the model wrote.
    const draft = (details.extraction as { follow_up_email: Record<string, unknown> }).follow_up_email;
    expect(draft).toEqual({
      subject: 'Our meeting',
      body: 'Thank you for meeting.',
      disclaimer: DEFAULT_FOLLOW_UP_DISCLAIMER,
      flags: [],
    });
    const sentExtraction = fake.requests[0]?.body ?? {};
    expect(userText(sentExtraction)).toContain('<transcript>');
    expect(userText(sentExtraction)).not.toContain(DEFAULT_FOLLOW_UP_DISCLAIMER);
    meetingId = id;
    token = firm.token;
  }, 60_000);

  it('regenerates the follow-up draft with one structured-output call that carries the adviser’s instructions', async () => {
    const api = apiClient(host.url);
    const done = await api.patch<{ description: string }>(
      `/api/v1/meetings/${meetingId}/action-items/ai_1`,
      { done: true },
      token,
    );
    expect(done.status).toBe(200);
    const doneItem = done.body.description;
    const before = fake.requests.length;
    const res = await api.post<Record<string, unknown>>(
      `/api/v1/meetings/${meetingId}/follow-up-email/regenerate`,
      { instructions: 'Keep it to three sentences.' },
      token,
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      status: 'draft',
      subject: 'Next steps after our call',
      extractor: 'claude',
      version: 1,
      instructions: 'Keep it to three sentences.',
    });
    // The firm's disclaimer, verbatim, whatever the model put there.
    expect(res.body.disclaimer).toBe(DEFAULT_FOLLOW_UP_DISCLAIMER);
    expect(res.body.body).toBe('Hi Prospect, thank you for your time today.');
    expect(res.body.flags).toEqual([]);
    expect(fake.requests).toHaveLength(before + 1);
    const sent = fake.requests.at(-1)?.body as Record<string, unknown> & {
      system: { cache_control?: unknown }[];
    };
    expect(asksForDraft(sent)).toBe(true);
    expect(sent.system[0]?.cache_control).toEqual({ type: 'ephemeral' });
    // The verified record and the adviser's instructions arrive as two separate, fenced text blocks.
    const blocks = (sent.messages as { content: { type: string; text: string }[] }[])[0]?.content ?? [];
    expect(blocks).toHaveLength(2);
    expect(blocks[0]?.text).toContain('<meeting_record>');
    expect(blocks[0]?.text).not.toContain('Keep it to three sentences.');
    expect(blocks[1]?.text).toContain(
      '<adviser_instructions>\nKeep it to three sentences.\n</adviser_instructions>',
    );
    // The one action item is done: it is not among the open next steps the model is given.
    expect(userText(sent)).not.toContain(doneItem);

    const current = await api.get<Record<string, unknown>>(
      `/api/v1/meetings/${meetingId}/follow-up-email`,
      token,
    );
    expect(current.body).toMatchObject({ version: 1, subject: 'Next steps after our call' });
  }, 60_000);

  it('fails the meeting at once with the reason when the model refuses, without retrying the call', async () => {
    const api = apiClient(host.url);
    const firm = await registerFirm('claude-refusal', api);
    const before = fake.requests.length;
    refuse = true;
    try {
      const { details } = await processMeeting(firm);
      expect(details).toMatchObject({ status: 'failed' });
      expect(String(details.failure_reason ?? details.failureReason)).toContain('declined');
      expect(fake.requests.length - before).toBe(1);
    } finally {
      refuse = false;
    }
  }, 60_000);
});
