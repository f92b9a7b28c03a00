import { describe, expect, it } from 'vitest';
import { attachUpload } from '../../../../functions/core/meetings/attach-upload';
import type { Meeting } from '../../../../functions/core/meetings/meeting';
import type { MeetingDeps, MeetingExpectation } from '../../../../functions/core/meetings/ports';
import { ConflictError } from '../../../../functions/platform/errors';

const KEY = 'uploads/firm-a/2026/01/m-1.vtt';

function setup(meeting: Meeting) {
  const stored = new Map([[meeting.meetingId, meeting]]);
  const started: string[] = [];
  const deps = {
    meetings: {
      create: async () => undefined,
      get: async (_t: string, id: string) => stored.get(id),
      list: async () => ({ items: [] }),
      replace: async (next: Meeting, expected: MeetingExpectation) => {
        const current = stored.get(next.meetingId);
        if (!current || !expected.status.includes(current.status) || current.updatedAt !== expected.updatedAt)
          throw new ConflictError('changed');
        stored.set(next.meetingId, next);
      },
    },
    pipeline: { start: async (input: { meetingId: string }) => void started.push(input.meetingId) },
    clock: { now: () => Date.UTC(2026, 0, 20, 15) },
  } as unknown as MeetingDeps;
  return { deps, stored, started };
}

const meeting = (consented: boolean): Meeting => ({
  meetingId: 'm-1',
  tenantId: 'firm-a',
  ownerUserId: 'adv-1',
  createdBy: 'adv-1',
  title: 'Review',
  meetingDate: '2026-01-20',
  clientNames: ['Doug'],
  status: 'pending_upload',
  source: {
    type: 'upload',
    kind: 'transcript',
    extension: 'vtt',
    contentType: 'text/vtt',
    objectKey: KEY,
    sizeBytes: 10,
  },
  ...(consented
    ? {
        consent: {
          grantedBy: 'adv-1',
          grantedAt: '2026-01-20T14:00:00.000Z',
          method: 'written' as const,
          participantStates: ['OH'],
          allPartyConsentStates: [],
        },
      }
    : {}),
  createdAt: '2026-01-20T10:00:00.000Z',
  updatedAt: '2026-01-20T10:00:00.000Z',
});

describe('attachUpload (the upload trigger)', () => {
  it('moves a meeting without consent to awaiting_consent and starts nothing', async () => {
    const { deps, stored, started } = setup(meeting(false));
    const result = await attachUpload({ key: KEY, sizeBytes: 10 }, deps);
    expect(result.outcome).toBe('attached');
    expect(stored.get('m-1')?.status).toBe('awaiting_consent');
    expect(started).toEqual([]);
  });

  it('starts the pipeline once for a consented meeting, however often S3 delivers the event', async () => {
    const { deps, stored, started } = setup(meeting(true));
    const results = await Promise.all([1, 2, 3].map(() => attachUpload({ key: KEY, sizeBytes: 10 }, deps)));
    expect(results.filter((r) => r.outcome === 'attached')).toHaveLength(1);
    expect(stored.get('m-1')?.status).toBe('pending');
    expect(started).toEqual(['m-1']);
  });

  it('keeps a consent recorded while it ran: re-reads on conflict and starts the pipeline', async () => {
    const { deps, stored, started } = setup(meeting(false));
    const get = deps.meetings.get.bind(deps.meetings);
    let first = true;
    deps.meetings.get = async (tenantId, meetingId) => {
      const snapshot = await get(tenantId, meetingId);
      if (first && snapshot) {
        first = false;
        // Consent lands between the trigger's read and its write.
        stored.set('m-1', { ...meeting(true), updatedAt: '2026-01-20T14:30:00.000Z' });
      }
      return snapshot;
    };
    const result = await attachUpload({ key: KEY, sizeBytes: 10 }, deps);
    expect(result.outcome).toBe('attached');
    expect(stored.get('m-1')?.consent).toBeDefined();
    expect(stored.get('m-1')?.status).toBe('pending');
    expect(started).toEqual(['m-1']);
  });

  it.each([
    ['a key outside uploads/', { key: 'other/firm-a/2026/01/m-1.vtt', sizeBytes: 10 }],
    ['an unknown meeting', { key: 'uploads/firm-a/2026/01/m-2.vtt', sizeBytes: 10 }],
    ['another firm’s prefix', { key: 'uploads/firm-b/2026/01/m-1.vtt', sizeBytes: 10 }],
    ['a size other than the signed one', { key: KEY, sizeBytes: 11 }],
  ])('ignores %s', async (_name, object) => {
    const { deps, stored } = setup(meeting(true));
    const result = await attachUpload(object, deps);
    expect(result.outcome).toBe('ignored');
    expect(stored.get('m-1')?.status).toBe('pending_upload');
  });
});
