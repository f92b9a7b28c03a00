import { describe, expect, it } from 'vitest';
import type { Principal } from '../../../../functions/contracts/principal';
import type { Meeting } from '../../../../functions/core/meetings/meeting';
import { meetingTranscript } from '../../../../functions/core/meetings/meeting-transcript';
import type { MeetingDeps } from '../../../../functions/core/meetings/ports';
import { NotFoundError } from '../../../../functions/platform/errors';

const advisor: Principal = { userId: 'adv-1', tenantId: 'firm-a', role: 'advisor' };
const meeting: Meeting = {
  meetingId: 'm-1',
  tenantId: 'firm-a',
  ownerUserId: 'adv-1',
  createdBy: 'adv-1',
  title: 'Review',
  meetingDate: '2026-01-20',
  clientNames: ['Doug'],
  status: 'completed',
  source: {
    type: 'upload',
    kind: 'transcript',
    extension: 'vtt',
    contentType: 'text/vtt',
    objectKey: 'k',
    sizeBytes: 1,
  },
  transcriptKey: 'tenants/firm-a/meetings/m-1/transcript.json',
  createdAt: '2026-01-20T10:00:00.000Z',
  updatedAt: '2026-01-20T10:00:00.000Z',
};
const transcript = {
  source: 'webvtt',
  utterances: [{ index: 0, speaker: 'Ann', startMs: 0, endMs: 1000, text: 'Hello there.' }],
  durationMs: 1000,
  speakers: ['Ann'],
};

function deps(auditFails = false) {
  const audited: string[] = [];
  return {
    audited,
    deps: {
      meetings: { get: async () => meeting },
      users: { getUser: async () => undefined },
      extractions: { getJson: async () => transcript },
      audit: {
        append: async (_t: string | null, entry: { action: string }) => {
          if (auditFails) throw new Error('audit unavailable');
          audited.push(entry.action);
        },
      },
    } as unknown as Pick<MeetingDeps, 'meetings' | 'users' | 'extractions' | 'audit'>,
  };
}

describe('meetingTranscript', () => {
  it('returns the transcript and audits the read', async () => {
    const { deps: d, audited } = deps();
    expect(
      (await meetingTranscript({ actor: advisor, ip: '203.0.113.7', meetingId: 'm-1' }, d)).utterances,
    ).toHaveLength(1);
    expect(audited).toEqual(['meeting.transcript_read']);
  });

  it('shows nothing when the read cannot be audited', async () => {
    const { deps: d } = deps(true);
    await expect(
      meetingTranscript({ actor: advisor, ip: '203.0.113.7', meetingId: 'm-1' }, d),
    ).rejects.toThrow('audit unavailable');
  });

  it('answers another advisor as if the meeting did not exist', async () => {
    const { deps: d, audited } = deps();
    await expect(
      meetingTranscript({ actor: { ...advisor, userId: 'adv-2' }, ip: '203.0.113.7', meetingId: 'm-1' }, d),
    ).rejects.toBeInstanceOf(NotFoundError);
    expect(audited).toEqual([]);
  });
});
