import { ConflictError } from '../../platform/errors';
import type { Meeting, MeetingSource } from './meeting';
import type { MeetingDepsWithoutWriter } from './ports';
import { storedFileOf } from './stored-file';

/** `uploads/{tenant}/{yyyy}/{mm}/{meetingId}.{ext}`: the only keys presigned uploads and platform intakes write. */
const UPLOAD_KEY = /^uploads\/([A-Za-z0-9_-]{1,64})\/\d{4}\/\d{2}\/([A-Za-z0-9_-]{1,64})\.[a-z0-9]+$/;

const MAX_ATTEMPTS = 3;

export interface UploadedObject {
  key: string;
  sizeBytes: number;
}

export type AttachOutcome =
  | { outcome: 'attached'; meeting: Meeting; started: boolean }
  | { outcome: 'ignored'; reason: string };

/** What attaching an upload needs: the meeting store, the clock and the pipeline starter. */
export type AttachUploadDeps = Pick<MeetingDepsWithoutWriter, 'meetings' | 'clock' | 'pipeline'>;

/**
 * The upload trigger's work: the object named in a presigned upload arrived, so its meeting has its file. With
 * consent recorded the pipeline starts; without, the meeting now awaits consent. S3 delivers events at least
 * once: a duplicate finds the meeting no longer `pending_upload` and changes nothing (and the pipeline start
 * is idempotent by execution name besides). Objects that match no waiting meeting are ignored, not errors.
 */
export async function attachUpload(object: UploadedObject, deps: AttachUploadDeps): Promise<AttachOutcome> {
  const match = UPLOAD_KEY.exec(object.key);
  if (!match?.[1] || !match[2]) return { outcome: 'ignored', reason: 'not an upload key' };
  const [, tenantId, meetingId] = match;
  // A conflict means someone wrote the meeting since we read it (consent recorded meanwhile, or a duplicate
  // event won): read again and decide again, a bounded number of times.
  for (let attempt = 1; ; attempt += 1) {
    const meeting = await deps.meetings.get(tenantId, meetingId);
    const file = meeting ? storedFileOf(meeting.source) : undefined;
    if (!meeting || file?.objectKey !== object.key) {
      return { outcome: 'ignored', reason: 'no meeting expects this object' };
    }
    if (meeting.status !== 'pending_upload') return { outcome: 'ignored', reason: 'already attached' };
    if (object.sizeBytes !== file.sizeBytes) {
      // The signed Content-Length (or the size the intake task stored) makes this unreachable; anything else is suspect.
      return { outcome: 'ignored', reason: 'size differs from the expected file' };
    }
    const now = new Date(deps.clock.now()).toISOString();
    const ready = meeting.consent !== undefined;
    const next: Meeting = {
      ...meeting,
      status: ready ? 'pending' : 'awaiting_consent',
      source: withUploadedAt(meeting.source, now),
      updatedAt: now,
    };
    try {
      await deps.meetings.replace(next, { status: ['pending_upload'], updatedAt: meeting.updatedAt });
    } catch (error) {
      if (error instanceof ConflictError && attempt < MAX_ATTEMPTS) continue;
      throw error;
    }
    if (ready) {
      await deps.pipeline.start({ tenantId, meetingId, consentGiven: true, sourceKind: meeting.source.kind });
    }
    return { outcome: 'attached', meeting: next, started: ready };
  }
}

function withUploadedAt(source: MeetingSource, uploadedAt: string): MeetingSource {
  if (source.type === 'upload') return { ...source, uploadedAt };
  if (source.type === 'platform' && source.artifact) {
    return { ...source, artifact: { ...source.artifact, uploadedAt } };
  }
  return source;
}
