import { describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../../../functions/core/audit/audit-entry';
import type { Meeting } from '../../../../functions/core/meetings/meeting';
import {
  PlatformArtifactNotReadyError,
  PlatformFetchError,
} from '../../../../functions/core/platforms/errors';
import {
  ARTIFACT_NEVER_READY_REASON,
  failPlatformIntake,
} from '../../../../functions/core/platforms/fail-platform-intake';
import { fetchPlatformArtifact } from '../../../../functions/core/platforms/fetch-platform-artifact';
import {
  type PlatformMeetingDetails,
  TEAMS_MEETING_TITLE,
} from '../../../../functions/core/platforms/platform-meeting-details';
import type {
  FetchArtifactDeps,
  PlatformArtifactFetcher,
  PlatformIntake,
} from '../../../../functions/core/platforms/ports';
import { createZoomArtifactFetcher } from '../../../../functions/integrations/zoom/zoom-artifact-fetcher';
import { ConflictError, UrlRefusedError } from '../../../../functions/platform/errors';
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

/**
 * Meetings in a map with the store's optimistic replace. With `interfere`, the first replace loses a race: the
 * stored meeting becomes `interfere(current)` and the replace conflicts, as another writer's change would make it.
 */
function racingMeetings(
  meetings: Map<string, Meeting>,
  interfere?: (current: Meeting) => Meeting,
): FetchArtifactDeps['meetings'] {
  let raced = interfere === undefined;
  return {
    get: async (_t, id) => meetings.get(id),
    replace: async (next, expected) => {
      const current = meetings.get(next.meetingId) as Meeting;
      if (!raced && interfere) {
        raced = true;
        meetings.set(current.meetingId, interfere(current));
        throw new ConflictError('changed');
      }
      if (!expected.status.includes(current.status) || current.updatedAt !== expected.updatedAt) {
        throw new ConflictError('changed');
      }
      meetings.set(next.meetingId, next);
    },
  };
}

function mapIntakes(intakes: Map<string, PlatformIntake>): FetchArtifactDeps['intakes'] {
  return {
    get: async (_t, id) => intakes.get(id),
    put: async (next) => void intakes.set(next.meetingId, next),
    delete: async (_t, id) => void intakes.delete(id),
  };
}

function setup(download: Download, options: { consentMeanwhile?: boolean } = {}) {
  const meetings = new Map([[meeting.meetingId, meeting]]);
  const intakes = new Map([[intake.meetingId, intake]]);
  const objects = new Map<string, { bytes: Uint8Array; contentType: string }>();
  const calls: { url: string; headers: Readonly<Record<string, string>> }[] = [];
  const audit: AuditEntry[] = [];
  const deps: FetchArtifactDeps = {
    // Consent is recorded between our read and our write.
    meetings: racingMeetings(
      meetings,
      options.consentMeanwhile
        ? (current) => ({
            ...current,
            consent: {
              grantedBy: ADVISOR,
              grantedAt: '2026-01-21T01:31:00.000Z',
              method: 'written',
              participantStates: ['OH'],
              allPartyConsentStates: [],
            },
            updatedAt: '2026-01-21T01:31:00.000Z',
          })
        : undefined,
    ),
    intakes: mapIntakes(intakes),
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

describe('fetchPlatformArtifact (Teams: the meeting’s own title and date)', () => {
  const AZURE = '0b7f6e7c-3a57-4f0e-9d8e-1f2a3b4c5d6e';
  const teamsMeeting: Meeting = {
    ...meeting,
    title: TEAMS_MEETING_TITLE,
    meetingDate: '2026-01-21',
    source: { type: 'platform', platform: 'teams', kind: 'transcript', externalMeetingId: 'MSo1' },
  };
  const teamsIntake: PlatformIntake = {
    ...intake,
    platform: 'teams',
    descriptor: { platform: 'teams', userId: 'organizer-1', onlineMeetingId: 'MSo1', transcriptId: 't1' },
  };
  const SUBJECT = 'Okafor family — annual review';
  const good = async (): Promise<PlatformMeetingDetails> => ({
    title: `  ${SUBJECT} `,
    startDateTime: '2026-01-20T22:00:00Z',
  });

  function setupTeams(
    details: () => Promise<PlatformMeetingDetails>,
    options: { start?: Meeting; renameMeanwhile?: boolean; notReady?: boolean } = {},
  ) {
    const meetings = new Map([[teamsMeeting.meetingId, options.start ?? teamsMeeting]]);
    const intakes = new Map([[teamsIntake.meetingId, teamsIntake]]);
    const objects = new Map<string, Uint8Array>();
    const detailCalls: unknown[] = [];
    const fetcher: PlatformArtifactFetcher<'teams'> = {
      platform: 'teams',
      fetch: async () => {
        if (options.notReady) throw new PlatformArtifactNotReadyError('not yet');
        return {
          bytes: Buffer.from('WEBVTT\n\n'),
          contentType: 'text/vtt',
          extension: 'vtt',
          kind: 'transcript',
        };
      },
      meetingDetails: async (descriptor, credentials) => {
        detailCalls.push({ descriptor, credentials: credentials.azureTenantId });
        return details();
      },
    };
    const deps: FetchArtifactDeps = {
      // The adviser renames the meeting between our read and our write.
      meetings: racingMeetings(
        meetings,
        options.renameMeanwhile
          ? (current) => ({
              ...current,
              title: 'Renamed by the adviser',
              updatedAt: '2026-01-21T01:31:00.000Z',
            })
          : undefined,
      ),
      intakes: mapIntakes(intakes),
      integrations: {
        get: async () =>
          zoomIntegration({
            platform: 'teams',
            credentials: {
              platform: 'teams',
              azureTenantId: AZURE,
              clientId: AZURE,
              clientSecret: 'teams-secret',
              clientState: 'c'.repeat(32),
              advisorMappings: [{ platformUser: 'organizer-1', advisorUserId: ADVISOR }],
            },
          }),
      },
      fetchers: { teams: fetcher },
      artifacts: { put: async (key, bytes) => void objects.set(key, bytes) },
      audit: { append: async () => undefined },
      clock: { now: () => NOW },
    };
    const run = () => fetchPlatformArtifact({ tenantId: TENANT, meetingId: 'm-1', platform: 'teams' }, deps);
    return { run, meetings, objects, detailCalls };
  }

  it('takes the subject as title and the start’s UTC date in the same write as the file, asking once', async () => {
    const t = setupTeams(good);
    const result = await t.run();
    expect(result).toEqual({
      outcome: 'stored',
      kind: 'transcript',
      sizeBytes: 8,
      meetingDetails: { outcome: 'applied' },
    });
    const stored = t.meetings.get('m-1');
    expect(stored).toMatchObject({ title: SUBJECT, meetingDate: '2026-01-20', status: 'pending_upload' });
    expect(stored?.source.type === 'platform' && stored.source.artifact?.sizeBytes).toBe(8);
    expect(t.detailCalls).toEqual([{ descriptor: teamsIntake.descriptor, credentials: AZURE }]);
  });

  it('keeps the generic title for an empty subject, taking the start’s date', async () => {
    const t = setupTeams(async () => ({ title: '', startDateTime: '2026-01-21T00:15:00Z' }));
    await t.run();
    expect(t.meetings.get('m-1')).toMatchObject({ title: TEAMS_MEETING_TITLE, meetingDate: '2026-01-21' });
  });

  it('does not ask about a meeting the adviser already renamed', async () => {
    const renamed = { ...teamsMeeting, title: 'Estate planning', meetingDate: '2026-01-19' };
    const t = setupTeams(good, { start: renamed });
    const result = await t.run();
    expect(result).toEqual({ outcome: 'stored', kind: 'transcript', sizeBytes: 8 });
    expect(t.detailCalls).toEqual([]);
    expect(t.meetings.get('m-1')).toMatchObject({ title: 'Estate planning', meetingDate: '2026-01-19' });
  });

  it('keeps a title the adviser gives the meeting while the task runs, and the file still lands', async () => {
    const t = setupTeams(good, { renameMeanwhile: true });
    const result = await t.run();
    expect(result).toMatchObject({ outcome: 'stored', meetingDetails: { outcome: 'kept' } });
    expect(t.meetings.get('m-1')).toMatchObject({
      title: 'Renamed by the adviser',
      meetingDate: '2026-01-21',
    });
    expect(t.objects.size).toBe(1);
  });

  it.each([
    [
      '404',
      new PlatformFetchError('Microsoft Graph online meeting read failed: HTTP 404', { status: 404 }),
      404,
    ],
    [
      '403',
      new PlatformFetchError('Microsoft Graph online meeting read failed: HTTP 403', { status: 403 }),
      403,
    ],
    ['a malformed answer', new PlatformFetchError('…the answer lacks expected fields', { status: 200 }), 200],
    [
      'a timeout',
      new PlatformArtifactNotReadyError('Microsoft Graph online meeting read got no answer'),
      undefined,
    ],
    ['a bug', new TypeError(`cannot read ${SUBJECT}`), undefined],
  ])(
    'stores the file under the generic title when reading the meeting fails with %s',
    async (_, error, status) => {
      const t = setupTeams(async () => {
        throw error;
      });
      const result = await t.run();
      expect(result).toEqual({
        outcome: 'stored',
        kind: 'transcript',
        sizeBytes: 8,
        meetingDetails: {
          outcome: 'unavailable',
          error: error.name,
          ...(status === undefined ? {} : { status }),
        },
      });
      // The outcome is logged: names and statuses only, never the meeting's text.
      expect(JSON.stringify(result)).not.toContain('Okafor');
      expect(t.meetings.get('m-1')).toMatchObject({ title: TEAMS_MEETING_TITLE, meetingDate: '2026-01-21' });
      expect(t.objects.size).toBe(1);
    },
  );

  it('does not ask while the file is not ready (the retries make no extra calls)', async () => {
    const t = setupTeams(good, { notReady: true });
    await expect(t.run()).rejects.toBeInstanceOf(PlatformArtifactNotReadyError);
    expect(t.detailCalls).toEqual([]);
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
