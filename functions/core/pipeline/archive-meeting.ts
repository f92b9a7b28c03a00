import { createHash } from 'node:crypto';
import { ConflictError } from '../../platform/errors';
import { effectiveFirmSettings } from '../firm/firm-settings';
import type { Meeting } from '../meetings/meeting';
import { meetingAuditEntry, nowIso, pipelineMeeting } from './meeting-transitions';
import type { ArchiveWriteOutcome, MeetingRef, PipelineDeps } from './ports';

const DAY_MS = 24 * 60 * 60 * 1000;
export const ARCHIVE_RECORD_FORMAT = 'smart-advisor-os/meeting-archive/v1';

/** `meetings/{tenant}/{yyyy}/{mm}/{meetingId}.json`, dated by the meeting date so every retry names one key. */
export function archiveKeyOf(meeting: Pick<Meeting, 'tenantId' | 'meetingId' | 'meetingDate'>): string {
  const [yyyy, mm] = meeting.meetingDate.split('-');
  return `meetings/${meeting.tenantId}/${yyyy}/${mm}/${meeting.meetingId}.json`;
}

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/**
 * The WORM record: the meeting, its extraction and (only when the firm's settings say so; off by default) its
 * transcript, each as a JSON string, plus a SHA-256 manifest of
 * those exact strings so a reader can prove no part changed. A recording URL is left out (it may carry tokens).
 */
export function archiveRecord(
  meeting: Meeting,
  parts: { extraction: unknown; transcript?: unknown },
  archivedAt: string,
): string {
  const { source } = meeting;
  const record = {
    ...meeting,
    source: source.type === 'url' ? { type: source.type, kind: source.kind } : source,
  };
  const serialised: Record<string, string> = {
    meeting: JSON.stringify(record),
    extraction: JSON.stringify(parts.extraction),
    ...(parts.transcript === undefined ? {} : { transcript: JSON.stringify(parts.transcript) }),
  };
  const manifest = Object.fromEntries(
    Object.entries(serialised).map(([name, text]) => [
      name,
      { sha256: sha256(text), bytes: Buffer.byteLength(text) },
    ]),
  );
  return JSON.stringify({
    format: ARCHIVE_RECORD_FORMAT,
    tenantId: meeting.tenantId,
    meetingId: meeting.meetingId,
    archivedAt,
    transcriptIncluded: parts.transcript !== undefined,
    manifest: { algorithm: 'SHA-256', parts: manifest },
    parts: serialised,
  });
}

/**
 * The `Archive` step: writes the meeting's WORM record once (Object Lock COMPLIANCE until now + retention days),
 * then records `archiveStatus: archived` and the key. A retry after a write whose answer was lost finds the
 * object there and records the same outcome.
 */
export async function archiveMeeting(
  ref: MeetingRef,
  deps: Pick<PipelineDeps, 'meetings' | 'blobs' | 'archive' | 'clock' | 'settings' | 'firmSettings'>,
): Promise<{ archiveKey: string; outcome: ArchiveWriteOutcome }> {
  const meeting = await pipelineMeeting(ref, deps);
  if (!meeting.extractionKey) {
    throw new ConflictError(`Meeting ${meeting.meetingId} has no saved extraction to archive.`);
  }
  const extraction = await deps.blobs.getJson(meeting.tenantId, meeting.extractionKey);
  const transcript =
    (await effectiveFirmSettings(meeting.tenantId, deps.firmSettings)).archiveIncludesTranscript &&
    meeting.transcriptKey
      ? await deps.blobs.getJson(meeting.tenantId, meeting.transcriptKey)
      : undefined;
  const now = deps.clock.now();
  const archiveKey = archiveKeyOf(meeting);
  const body = archiveRecord(
    meeting,
    { extraction, ...(transcript === undefined ? {} : { transcript }) },
    nowIso(deps),
  );
  const outcome = await deps.archive.write({
    key: archiveKey,
    body: new TextEncoder().encode(body),
    retainUntil: new Date(now + deps.settings.archiveRetentionDays * DAY_MS),
  });
  if (meeting.archiveStatus !== 'archived' || meeting.archiveKey !== archiveKey) {
    await deps.meetings.replace(
      { ...meeting, archiveStatus: 'archived', archiveKey, updatedAt: nowIso(deps) },
      { status: ['processing'], updatedAt: meeting.updatedAt },
      meetingAuditEntry(meeting, 'meeting.archived', 'success', { archiveKey, outcome }),
    );
  }
  return { archiveKey, outcome };
}
