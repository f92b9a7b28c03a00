import { describe, expect, it } from 'vitest';
import type { Principal } from '../../../../functions/contracts/principal';
import type { AuditEntry } from '../../../../functions/core/audit/audit-entry';
import type { Meeting } from '../../../../functions/core/meetings/meeting';
import type { MeetingDeps } from '../../../../functions/core/meetings/ports';
import { recordConsent } from '../../../../functions/core/meetings/record-consent';
import { ConflictError, ForbiddenError, NotFoundError } from '../../../../functions/platform/errors';
import { meetingExtras } from '../../../fakes/meeting-extras';

const advisor: Principal = { userId: 'adv-1', tenantId: 'firm-a', role: 'advisor' };

function setup(meeting: Meeting) {
  const stored = new Map([[meeting.meetingId, meeting]]);
  const started: unknown[] = [];
  const audited: string[] = [];
  const entries: AuditEntry[] = [];
  const deps: MeetingDeps = {
    meetings: {
      create: async () => undefined,
      get: async (_t, id) => stored.get(id),
      list: async () => ({ items: [] }),
      replace: async (next, expected, entry) => {
        const current = stored.get(next.meetingId);
        if (!current || !expected.status.includes(current.status) || current.updatedAt !== expected.updatedAt)
          throw new ConflictError('changed');
        stored.set(next.meetingId, next);
        if (entry) {
          audited.push(entry.action);
          entries.push(entry);
        }
      },
    },
    users: { getUser: async () => undefined },
    uploads: { presignPut: async () => ({ url: 'u', headers: {} }) },
    pipeline: { start: async (input) => void started.push(input) },
    audit: { append: async (_t, entry) => void audited.push(entry.action) },
    clock: { now: () => Date.UTC(2026, 0, 20, 15) },
    ids: { uuid: () => 'id', token: () => 't' },
    settings: { uploadMaxBytes: 1, transcriptUploadMaxBytes: 1, uploadUrlTtlSeconds: 1 },
    ...meetingExtras(),
  };
  return { deps, stored, started, audited, entries };
}

const meeting = (status: Meeting['status']): Meeting => ({
  meetingId: 'm-1',
  tenantId: 'firm-a',
  ownerUserId: 'adv-1',
  createdBy: 'adv-1',
  title: 'Review',
  meetingDate: '2026-01-20',
  clientNames: ['Doug'],
  status,
  source: { type: 'url', kind: 'audio', url: 'https://zoom.example/rec' },
  createdAt: '2026-01-20T10:00:00.000Z',
  updatedAt: '2026-01-20T10:00:00.000Z',
});

const input = {
  actor: advisor,
  ip: '203.0.113.7',
  meetingId: 'm-1',
  method: 'written' as const,
  participantStates: ['WA', 'OH', 'WA'],
};

describe('recordConsent', () => {
  it('starts the pipeline once consent arrives for a meeting that has its recording', async () => {
    const { deps, stored, started, audited } = setup(meeting('awaiting_consent'));
    const result = await recordConsent(input, deps);
    expect(result.status).toBe('pending');
    expect(result.consent).toMatchObject({ participantStates: ['WA', 'OH'], allPartyConsentStates: ['WA'] });
    expect(stored.get('m-1')?.status).toBe('pending');
    expect(started).toEqual([
      { tenantId: 'firm-a', meetingId: 'm-1', consentGiven: true, sourceKind: 'audio' },
    ]);
    expect(audited).toEqual(['meeting.consent_recorded']);
  });

  it('starts the pipeline again when consent is on record but the meeting is still pending (a lost start)', async () => {
    const { deps, started } = setup(meeting('awaiting_consent'));
    const failingStart = deps.pipeline.start;
    deps.pipeline.start = async () => {
      throw new Error('the process died before the start');
    };
    await expect(recordConsent(input, deps)).rejects.toThrow(/died/);
    deps.pipeline.start = failingStart;
    await expect(recordConsent(input, deps)).rejects.toBeInstanceOf(ConflictError);
    expect(started).toEqual([
      { tenantId: 'firm-a', meetingId: 'm-1', consentGiven: true, sourceKind: 'audio' },
    ]);
  });

  it('audits who consented, how, and the all-party states, in the same write as the consent', async () => {
    const { deps, entries } = setup(meeting('awaiting_consent'));
    await recordConsent({ ...input, participantStates: ['WA', 'CA', 'OH'] }, deps);
    expect(entries).toEqual([
      {
        action: 'meeting.consent_recorded',
        outcome: 'success',
        actor: { userId: 'adv-1', role: 'advisor' },
        target: { type: 'meeting', id: 'm-1' },
        ip: '203.0.113.7',
        details: { method: 'written', all_party_states: 'WA,CA' },
      },
    ]);
  });

  it('never starts a meeting on a repeated grant unless it is pending (the lost-start case)', async () => {
    for (const status of ['pending_upload', 'processing', 'completed', 'failed'] as const) {
      const { deps, stored, started } = setup(meeting('pending_upload'));
      await recordConsent(input, deps);
      const current = stored.get('m-1') as Meeting;
      stored.set('m-1', { ...current, status });
      await expect(recordConsent(input, deps)).rejects.toThrow(
        new ConflictError('Consent for this meeting is already recorded.'),
      );
      expect(started).toEqual([]);
    }
  });

  it('does not start a meeting still waiting for its upload', async () => {
    const { deps, started } = setup(meeting('pending_upload'));
    expect((await recordConsent(input, deps)).status).toBe('pending_upload');
    expect(started).toEqual([]);
  });

  it('refuses a second grant, another advisor and compliance', async () => {
    const { deps } = setup(meeting('awaiting_consent'));
    await recordConsent(input, deps);
    await expect(recordConsent(input, deps)).rejects.toBeInstanceOf(ConflictError);
    await expect(
      recordConsent({ ...input, actor: { ...advisor, userId: 'adv-2' } }, deps),
    ).rejects.toBeInstanceOf(NotFoundError);
    const fresh = setup(meeting('awaiting_consent'));
    await expect(
      recordConsent({ ...input, actor: { ...advisor, userId: 'c-1', role: 'compliance' } }, fresh.deps),
    ).rejects.toBeInstanceOf(ForbiddenError);
  });
});
