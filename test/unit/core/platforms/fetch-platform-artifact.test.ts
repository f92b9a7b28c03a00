import { describe, expect, it } from 'vitest';
import { createZoomArtifactFetcher } from '../../../../functions/adapters/platforms/zoom-artifact-fetcher';
import type { AuditEntry } from '../../../../functions/core/audit/audit-entry';
import type { Meeting } from '../../../../functions/core/meetings/meeting';
import {
  ARTIFACT_NEVER_READY_REASON,
  failPlatformIntake,
} from '../../../../functions/core/platforms/fail-platform-intake';
import { fetchPlatformArtifact } from '../../../../functions/core/platforms/fetch-platform-artifact';
import type { FetchArtifactDeps, PlatformIntake } from '../../../../functions/core/platforms/ports';
import {
  ConflictError,
  PlatformArtifactNotReadyError,
  PlatformFetchError,
  UrlRefusedError,
} from '../../../../functions/platform/errors';
import { ADVISOR, NOW, TENANT, zoomIntegration } from '../../../fakes/platform-deps';

const meeting: Meeting = {
  meetingId: 'm-1',
  tenantId: TENANT,
  ownerUserId: ADVISOR,
  createdBy: ADVISOR,
  title: 'Annual review',
  meetingDate: '2026-01-20',
  clientNames: [],
  status: 'pending_upload',
  source: { type: 'platform', platform: 'zoom', kind: 'transcript', externalMeetingId: 'uuid-1' },
  createdAt: '2026-01-21T01:30:00.000Z',
  updatedAt: '2026-01-21T01:30:00.000Z',
};

const intake: PlatformIntake = {
  tenantId: TENANT,
  meetingId: 'm-1',
  platform: 'zoom',
  descriptor: {
    platform: 'zoom',
    downloadUrl: 'https://zoom.us/rec/download/t.vtt',
    downloadToken: 'dl-token',
    fileType: 'TRANSCRIPT',
    extension: 'vtt',
    kind: 'transcript',
  },
  createdAt: meeting.createdAt,
  expiresAt: 1,
};

type Download = Parameters<typeof createZoomArtifactFetcher>[0];

function setup(download: Download, options: { consentMeanwhile?: boolean } = {}) {
  const meetings = new Map([[meeting.meetingId, meeting]]);
  const intakes = new Map([[intake.meetingId, intake]]);
  const objects = new Map<string, { bytes: Uint8Array; contentType: string }>();
  const calls: { url: string; headers: Readonly<Record<string, string>> }[] = [];
  const audit: AuditEntry[] = [];
  let raced = !options.consentMeanwhile;
  const deps: FetchArtifactDeps = {
    meetings: {
      get: async (_t, id) => meetings.get(id),
      replace: async (next, expected) => {
        const current = meetings.get(next.meetingId) as Meeting;
        if (!raced) {
          // Consent is recorded between our read and our write.
          raced = true;
          meetings.set(current.meetingId, {
            ...current,
            consent: {
              grantedBy: ADVISOR,
              grantedAt: '2026-01-21T01:31:00.000Z',
              method: 'written',
              participantStates: ['OH'],
              allPartyConsentStates: [],
            },
            updatedAt: '2026-01-21T01:31:00.000Z',
          });
          throw new ConflictError('changed');
        }
        if (!expected.status.includes(current.status) || current.updatedAt !== expected.updatedAt) {
          throw new ConflictError('changed');
        }
        meetings.set(next.meetingId, next);
      },
    },
    intakes: {
      get: async (_t, id) => intakes.get(id),
      put: async (next) => void intakes.set(next.meetingId, next),
      delete: async (_t, id) => void intakes.delete(id),
    },
    integrations: { get: async () => zoomIntegration() },
    fetchers: {
      zoom: createZoomArtifactFetcher(async (url, headers) => {
        calls.push({ url, headers });
        return download(url, headers);
      }),
    },
    artifacts: { put: async (key, bytes, contentType) => void objects.set(key, { bytes, contentType }) },
    audit: { append: async (_tenant, entry) => void audit.push(entry) },
    clock: { now: () => NOW },
  };
  return { deps, meetings, intakes, objects, calls, audit };
}

const ok: Download = async () => ({ status: 200, headers: {}, body: Buffer.from('WEBVTT\n\n') });

describe('fetchPlatformArtifact (Zoom)', () => {
  it('downloads with the Bearer token, tells the meeting its file, stores it under the upload key, forgets the token', async () => {
    const t = setup(ok);
    const result = await fetchPlatformArtifact(
      { tenantId: TENANT, meetingId: 'm-1', platform: 'zoom' },
      t.deps,
    );
    expect(result).toEqual({ outcome: 'stored', kind: 'transcript', sizeBytes: 8 });
    expect(t.calls).toEqual([
      { url: 'https://zoom.us/rec/download/t.vtt', headers: { authorization: 'Bearer dl-token' } },
    ]);
    const key = `uploads/${TENANT}/2026/01/m-1.vtt`;
    expect(t.objects.get(key)?.contentType).toBe('text/vtt');
    expect(t.meetings.get('m-1')?.source).toEqual({
      ...meeting.source,
      artifact: { extension: 'vtt', contentType: 'text/vtt', objectKey: key, sizeBytes: 8 },
    });
    expect(t.meetings.get('m-1')?.status).toBe('pending_upload');
    expect(t.intakes.size).toBe(0);
    expect(t.audit).toMatchObject([
      { action: 'meeting.created', target: { id: 'm-1' }, details: { source: 'platform', platform: 'zoom' } },
    ]);
    // A retry after success changes nothing.
    expect(
      await fetchPlatformArtifact({ tenantId: TENANT, meetingId: 'm-1', platform: 'zoom' }, t.deps),
    ).toEqual({ outcome: 'skipped', reason: 'file already stored' });
  });

  it('keeps a consent recorded while it downloaded', async () => {
    const t = setup(ok, { consentMeanwhile: true });
    await fetchPlatformArtifact({ tenantId: TENANT, meetingId: 'm-1', platform: 'zoom' }, t.deps);
    const stored = t.meetings.get('m-1');
    expect(stored?.consent?.method).toBe('written');
    expect(stored?.source.type === 'platform' && stored.source.artifact?.sizeBytes).toBe(8);
  });

  it.each([
    [503, PlatformArtifactNotReadyError],
    [429, PlatformArtifactNotReadyError],
    [401, PlatformFetchError],
    [404, PlatformFetchError],
  ])('answers Zoom %i with %s and stores nothing', async (status, error) => {
    const t = setup(async () => ({ status, headers: {}, body: Buffer.from('{}') }));
    await expect(
      fetchPlatformArtifact({ tenantId: TENANT, meetingId: 'm-1', platform: 'zoom' }, t.deps),
    ).rejects.toBeInstanceOf(error);
    expect(t.objects.size).toBe(0);
    expect(t.meetings.get('m-1')).toEqual(meeting);
    // The creation is audited once, not once per retry of a file that is not ready.
    await fetchPlatformArtifact({ tenantId: TENANT, meetingId: 'm-1', platform: 'zoom' }, t.deps).catch(
      () => 0,
    );
    expect(t.audit.map((a) => a.action)).toEqual(['meeting.created']);
  });

  it('lets the SSRF guard’s refusal through unchanged, storing nothing', async () => {
    const t = setup(async () => {
      throw new UrlRefusedError('private_address', 'The URL names a private network address.');
    });
    await expect(
      fetchPlatformArtifact({ tenantId: TENANT, meetingId: 'm-1', platform: 'zoom' }, t.deps),
    ).rejects.toBeInstanceOf(UrlRefusedError);
    expect(t.objects.size).toBe(0);
  });

  it('fails with a reason when the integration was removed meanwhile', async () => {
    const t = setup(ok);
    t.deps.integrations = { get: async () => undefined };
    await expect(
      fetchPlatformArtifact({ tenantId: TENANT, meetingId: 'm-1', platform: 'zoom' }, t.deps),
    ).rejects.toThrow(/integration was removed/);
  });
});

describe('failPlatformIntake', () => {
  it('says what a never-ready file means, and keeps any other reason as it is', async () => {
    const stores = () => {
      const meetings = new Map([[meeting.meetingId, meeting]]);
      return {
        meetings,
        deps: {
          meetings: {
            create: async () => undefined,
            list: async () => ({ items: [] }),
            get: async (_t: string, id: string) => meetings.get(id),
            replace: async (next: Meeting) => void meetings.set(next.meetingId, next),
          },
          audit: { append: async () => undefined },
          clock: { now: () => NOW },
        },
      };
    };
    const a = stores();
    await failPlatformIntake(
      { tenantId: TENANT, meetingId: 'm-1', error: { Error: 'PlatformArtifactNotReadyError', Cause: '{}' } },
      a.deps,
    );
    expect(a.meetings.get('m-1')).toMatchObject({
      status: 'failed',
      failureReason: ARTIFACT_NEVER_READY_REASON,
    });
    const b = stores();
    await failPlatformIntake(
      {
        tenantId: TENANT,
        meetingId: 'm-1',
        error: {
          Error: 'UrlRefusedError',
          Cause: JSON.stringify({
            errorType: 'UrlRefusedError',
            errorMessage: 'The URL names a private network address.',
          }),
        },
      },
      b.deps,
    );
    expect(b.meetings.get('m-1')?.failureReason).toBe('The URL names a private network address.');
  });
});
