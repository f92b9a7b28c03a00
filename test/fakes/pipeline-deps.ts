import type { AuditEntry } from '../../functions/core/audit/audit-entry';
import type { LlmCall } from '../../functions/core/extraction/llm-call';
import type { FirmSettings } from '../../functions/core/firm/firm-settings';
import type { Meeting } from '../../functions/core/meetings/meeting';
import type { MeetingExpectation } from '../../functions/core/meetings/ports';
import type { MeetingRef, PipelineDeps } from '../../functions/core/pipeline/ports';
import { offlineExtractor } from '../../functions/integrations/offline/offline-extractor';
import { ConflictError, NotFoundError } from '../../functions/platform/errors';

export const NOW = Date.UTC(2026, 0, 20, 15);

/** A meeting ready for the pipeline: a consented WebVTT upload, `pending`. */
export function pipelineMeeting(overrides: Partial<Meeting> = {}): Meeting {
  return {
    meetingId: 'm-1',
    tenantId: 'firm-a',
    ownerUserId: 'adv-1',
    createdBy: 'adv-1',
    title: 'Annual review',
    meetingDate: '2026-01-20',
    clientNames: ['Doug Miller'],
    status: 'pending',
    source: {
      type: 'upload',
      kind: 'transcript',
      extension: 'vtt',
      contentType: 'text/vtt',
      objectKey: 'uploads/firm-a/2026/01/m-1.vtt',
      sizeBytes: 10,
      uploadedAt: '2026-01-20T14:00:00.000Z',
    },
    createdAt: '2026-01-20T10:00:00.000Z',
    updatedAt: '2026-01-20T10:00:00.000Z',
    ...overrides,
  };
}

/** In-memory pipeline ports with the DynamoDB stores' rules (conditional replace). */
export function pipelineDeps(meeting: Meeting, options: { upload?: string } = {}) {
  const meetings = new Map([[meeting.meetingId, meeting]]);
  const blobs = new Map<string, string>();
  const archived = new Map<string, { body: string; retainUntil: Date }>();
  /** Upload keys removed, in order (a removed upload can no longer be read). */
  const removedUploads: string[] = [];
  const audit: AuditEntry[] = [];
  const lines: string[] = [];
  let archiveFailures = 0;
  const llmCalls: LlmCall[] = [];
  /** The firm's stored settings; undefined = the defaults. Tests set it. */
  const firm: { settings: FirmSettings | undefined } = { settings: undefined };
  const firmSettings = { get: async () => firm.settings };
  const deps: PipelineDeps = {
    meetings: {
      create: async () => undefined,
      get: async (_tenant, id) => meetings.get(id),
      list: async () => ({ items: [] }),
      replace: async (next: Meeting, expected: MeetingExpectation, entry?: AuditEntry) => {
        const current = meetings.get(next.meetingId);
        if (!current || !expected.status.includes(current.status) || current.updatedAt !== expected.updatedAt)
          throw new ConflictError('changed');
        meetings.set(next.meetingId, next);
        if (entry) audit.push(entry);
      },
    },
    users: {
      getUser: async () =>
        ({ name: 'Sarah Chen', role: 'advisor' }) as Awaited<ReturnType<PipelineDeps['users']['getUser']>>,
    },
    blobs: {
      putJson: async (ref: MeetingRef, name: string, value: unknown) => {
        const key = `tenants/${ref.tenantId}/meetings/${ref.meetingId}/${name}`;
        blobs.set(key, JSON.stringify(value));
        return key;
      },
      getJson: async (_tenant: string, key: string) => {
        const text = blobs.get(key);
        if (text === undefined) throw new NotFoundError('no blob');
        return JSON.parse(text) as unknown;
      },
      findJson: async (ref: MeetingRef, name: string) => {
        const text = blobs.get(`tenants/${ref.tenantId}/meetings/${ref.meetingId}/${name}`);
        return text === undefined ? undefined : (JSON.parse(text) as unknown);
      },
    },
    uploads: {
      get: async (key) => {
        if (
          options.upload === undefined ||
          meeting.source.type !== 'upload' ||
          key !== meeting.source.objectKey ||
          removedUploads.includes(key)
        ) {
          throw new NotFoundError('no upload');
        }
        return new TextEncoder().encode(options.upload);
      },
      remove: async (key) => {
        removedUploads.push(key);
      },
    },
    archive: {
      write: async ({ key, body, retainUntil }) => {
        if (archived.has(key)) return 'already_archived';
        archived.set(key, { body: new TextDecoder().decode(body), retainUntil });
        return 'written';
      },
    },
    crm: { listActive: async () => [] },
    extractor: offlineExtractor,
    fallbackExtractor: offlineExtractor,
    audit: { append: async (_tenant, entry) => void audit.push(entry) },
    signals: {
      complianceActionRequired: (line) => void lines.push(line),
      archiveFailure: () => void archiveFailures++,
      llmCall: (call) => void llmCalls.push(call),
    },
    clock: { now: () => NOW },
    settings: { archiveRetentionDays: 2190, transcriptMaxChars: 300_000 },
    firmSettings,
  };
  return {
    deps,
    firm,
    meetings,
    blobs,
    archived,
    removedUploads,
    audit,
    lines,
    archiveFailures: () => archiveFailures,
    llmCalls,
    stored: () => meetings.get(meeting.meetingId) as Meeting,
  };
}

export const REF = { tenantId: 'firm-a', meetingId: 'm-1' } as const;

export const WEBVTT = `WEBVTT

00:00:01.000 --> 00:00:05.000
<v Sarah Chen>Thanks for coming in, Doug. Let's review your retirement plan today.

00:00:06.000 --> 00:00:12.000
<v Doug Miller>Sure. We have about 450,000 dollars in the 401k right now.

00:00:13.000 --> 00:00:20.000
<v Sarah Chen>I will send you the rollover paperwork by Friday so we can move it.
`;
