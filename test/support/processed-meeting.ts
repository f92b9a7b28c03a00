import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { ApiClient } from './api-client';

const GOLDEN = join(import.meta.dirname, '..', '..', '..', 'shared', 'golden');

/**
 * A golden meeting uploaded as WebVTT through a presigned PUT (not yet consented); returns its id. The meeting is
 * the Pruitts' annual review on 2026-01-20 unless `title` says otherwise.
 */
export async function uploadedTranscript(
  api: ApiClient,
  token: string,
  golden: string,
  title = 'Annual review',
): Promise<string> {
  const file = await readFile(join(GOLDEN, `${golden}.vtt`));
  const ticket = await api.post<{ meeting: { id: string }; upload: { url: string } }>(
    '/api/v1/meetings/upload',
    {
      title,
      meeting_date: '2026-01-20',
      client_names: ['Doug Pruitt', 'Melanie Pruitt'],
      file_name: `${golden}.vtt`,
      content_type: 'text/vtt',
      size_bytes: file.byteLength,
    },
    token,
  );
  expect(ticket.status).toBe(201);
  const put = await fetch(ticket.body.upload.url, {
    method: 'PUT',
    headers: { 'content-type': 'text/vtt' },
    body: file,
  });
  expect(put.status).toBe(200);
  return ticket.body.meeting.id;
}

/**
 * A golden meeting (01 by default: the Pruitts' annual review, dated 2026-01-20) uploaded as WebVTT, consented
 * and processed to `completed` on the local host; returns its id.
 */
export async function processedMeeting(
  api: ApiClient,
  token: string,
  golden = 'meeting-01',
  title?: string,
): Promise<string> {
  const id = await uploadedTranscript(api, token, golden, title);
  let consented = false;
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const { body } = await api.get<{ status: string }>(`/api/v1/meetings/${id}`, token);
    if (body.status === 'completed') return id;
    if (body.status === 'failed') throw new Error('the meeting failed');
    if (body.status === 'awaiting_consent' && !consented) {
      const consent = await api.post(
        `/api/v1/meetings/${id}/consent`,
        { method: 'written', participant_states: ['OH'] },
        token,
      );
      expect(consent.status).toBe(200);
      consented = true;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('the meeting did not complete in time');
}
