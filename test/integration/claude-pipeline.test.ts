import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_FOLLOW_UP_DISCLAIMER } from '../../functions/core/firm/firm-settings';
import { startFakeAnthropic } from '../fakes/anthropic-server';
import { apiClient } from '../support/api-client';
import { registerFirm } from '../support/identity-helpers';
import { type HostProcess, startHostProcess } from './global-setup';

const GOLDEN = join(import.meta.dirname, '..', '..', '..', 'shared', 'golden');

/** Answers like Claude would: a valid extraction that quotes the transcript it was sent (lines `#N [..] who: text`). */
function extractionFor(body: Record<string, unknown>) {
  const messages = body.messages as { content: string }[];
  const lines = messages[0]?.content.split('\n').filter((l) => /^#\d+ /.test(l)) ?? [];
  const cite = (line: string | undefined) => {
    const index = Number(/^#(\d+)/.exec(line ?? '')?.[1] ?? 0);
    const text = (line ?? '').replace(/^#\d+ (\[[^\]]*\] )?[^:]+: /, '');
    return { utterance_index: index, quote: text.split(' ').slice(0, 6).join(' ') };
  };
  return {
    notes: {
      summary: [{ text: 'A prospect introduction meeting.', evidence: [cite(lines[3])] }],
      financial_situation: [],
      goals_and_concerns: [],
      recommendations: [],
      next_steps: [],
    },
    action_items: [
      {
        description: 'Send the prospect the onboarding packet.',
        owner: 'advisor',
        due_date: null,
        priority: 'medium',
        evidence: [cite(lines[5])],
      },
    ],
    client_facts: [],
    follow_up_email: {
      subject: 'Thank you',
      body: 'Thank you for meeting with us.\n\nDisclaimer: a disclaimer the model altered.',
      disclaimer: 'A disclaimer the model altered.',
    },
    compliance_flags: [],
  };
}

let fake: Awaited<ReturnType<typeof startFakeAnthropic>>;
let host: HostProcess;
let meetingId: string;
let token: string;

beforeAll(async () => {
  fake = await startFakeAnthropic((body) =>
    (body.tool_choice as { name?: string } | undefined)?.name === 'record_follow_up_email'
      ? {
          kind: 'tool_use',
          input: {
            subject: 'Next steps after our call',
            body: 'Hi Prospect, thank you for your time today.',
            disclaimer: 'A disclaimer the model made up.',
          },
        }
      : { kind: 'tool_use', input: extractionFor(body) },
  );
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

describe('the pipeline with Claude (the real SDK against a fake Messages API)', () => {
  it('extracts with one forced tool call per meeting and says so', async () => {
    const api = apiClient(host.url);
    const firm = await registerFirm('claude', api);
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
    expect(details).toMatchObject({ status: 'completed', extractor: 'claude' });
    expect(fake.requests).toHaveLength(1);
    const extraction = details.extraction as { model?: string; action_items: { evidence_status: string }[] };
    expect(extraction.model).toBe('claude-sonnet-4-6');
    expect(extraction.action_items[0]?.evidence_status).toBe('verified');
    // The model is never asked for the disclaimer; the firm's is set by code, whatever the model sent.
    const draft = (details.extraction as { follow_up_email: Record<string, unknown> }).follow_up_email;
    expect(draft).toEqual({
      subject: 'Thank you',
      body: 'Thank you for meeting with us.',
      disclaimer: DEFAULT_FOLLOW_UP_DISCLAIMER,
      flags: [],
    });
    const sentExtraction = fake.requests[0]?.body as { messages: { content: string }[] };
    expect(sentExtraction.messages[0]?.content).toContain('<transcript>');
    expect(sentExtraction.messages[0]?.content).not.toContain(DEFAULT_FOLLOW_UP_DISCLAIMER);
    meetingId = ticket.body.meeting.id;
    token = firm.token;
  }, 60_000);

  it('regenerates the follow-up draft with one forced tool call that carries the adviser’s instructions', async () => {
    const api = apiClient(host.url);
    const done = await api.patch(`/api/v1/meetings/${meetingId}/action-items/ai_1`, { done: true }, token);
    expect(done.status).toBe(200);
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
    expect(res.body.flags).toEqual([]);
    expect(fake.requests).toHaveLength(before + 1);
    const sent = fake.requests.at(-1)?.body as {
      tool_choice: { type: string; name: string };
      system: { cache_control?: unknown }[];
      messages: { content: string }[];
    };
    expect(sent.tool_choice).toEqual({ type: 'tool', name: 'record_follow_up_email' });
    expect(sent.system[0]?.cache_control).toEqual({ type: 'ephemeral' });
    expect(sent.messages[0]?.content).toContain(
      '<adviser_instructions>\nKeep it to three sentences.\n</adviser_instructions>',
    );
    expect(sent.messages[0]?.content).toContain('<meeting_record>');
    // The one action item is done: it is not among the open next steps the model is given.
    expect(sent.messages[0]?.content).not.toContain('onboarding packet');

    const current = await api.get<Record<string, unknown>>(
      `/api/v1/meetings/${meetingId}/follow-up-email`,
      token,
    );
    expect(current.body).toMatchObject({ version: 1, subject: 'Next steps after our call' });
  }, 60_000);
});
