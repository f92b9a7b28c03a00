import { expect } from 'vitest';
import type { ApiClient } from './api-client';

export interface MeetingDetails {
  status: string;
  failure_reason?: string;
  extractor?: string;
}

/** Uploads a (fake) recording with consent given, through the API; the upload trigger starts the pipeline. */
export async function recordedMeeting(api: ApiClient, token: string, title: string): Promise<string> {
  const audio = Buffer.from('ID3 not really an mp3, the fake never listens');
  const ticket = await api.post<{ meeting: { id: string }; upload: { url: string } }>(
    '/api/v1/meetings/upload',
    {
      title,
      meeting_date: '2026-11-20',
      client_names: ['Pat Client'],
      file_name: 'review.mp3',
      content_type: 'audio/mpeg',
      size_bytes: audio.byteLength,
    },
    token,
  );
  expect(ticket.status).toBe(201);
  const id = ticket.body.meeting.id;
  const consent = await api.post(
    `/api/v1/meetings/${id}/consent`,
    { method: 'written', participant_states: ['CO'] },
    token,
  );
  expect(consent.status).toBe(200);
  const put = await fetch(ticket.body.upload.url, {
    method: 'PUT',
    headers: { 'content-type': 'audio/mpeg' },
    body: audio,
  });
  expect(put.status).toBe(200);
  return id;
}

/** The meeting once `completed` or `failed` (or as it stands when `timeoutMs` runs out). */
export async function finishedMeeting(
  api: ApiClient,
  token: string,
  id: string,
  timeoutMs = 40_000,
): Promise<MeetingDetails> {
  const deadline = Date.now() + timeoutMs;
  let details: MeetingDetails = { status: 'unknown' };
  while (Date.now() < deadline) {
    details = (await api.get<MeetingDetails>(`/api/v1/meetings/${id}`, token)).body;
    if (details.status === 'completed' || details.status === 'failed') return details;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return details;
}
