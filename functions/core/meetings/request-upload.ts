import type { Principal } from '../../contracts/principal';
import {
  AppError,
  PayloadTooLargeError,
  UnsupportedMediaTypeError,
  ValidationError,
} from '../../platform/errors';
import type { Meeting } from './meeting';
import { resolveOwner } from './meeting-access';
import type { MeetingDepsWithoutWriter, PresignedUpload } from './ports';
import { UPLOAD_FORMATS, uploadExtensionOf } from './upload-formats';

/**
 * A transcript file larger than a meeting the system extracts (`TRANSCRIPT_UPLOAD_MAX_BYTES`): refused when the
 * upload is asked for (413), not after the file is stored and the meeting has waited for consent.
 */
export class TranscriptFileTooLargeError extends AppError {
  constructor(limitBytes: number, actualBytes: number) {
    const message = `A transcript file may be at most ${limitBytes} bytes (a meeting of about six hours); this one is ${actualBytes} bytes. Split the meeting and upload the parts.`;
    super('payload_too_large', message, {
      issues: [{ path: 'body.size_bytes', message: `must be at most ${limitBytes} for a transcript file` }],
    });
  }
}

export interface RequestUploadInput {
  actor: Principal;
  ip: string;
  fileName: string;
  contentType: string;
  sizeBytes: number;
  title: string;
  meetingDate: string;
  clientNames: string[];
  ownerUserId?: string;
}

export interface UploadTicket {
  meeting: Meeting;
  upload: PresignedUpload & { method: 'PUT'; expiresAt: string };
}

/**
 * Creates a meeting waiting for its file and a presigned PUT for it: key
 * `uploads/{tenant}/{yyyy}/{mm}/{meetingId}.{ext}`, content type and exact length signed, so S3 itself refuses
 * another type or size. The upload trigger attaches the object and starts the pipeline once consent is given.
 */
export async function requestUpload(
  input: RequestUploadInput,
  deps: MeetingDepsWithoutWriter,
): Promise<UploadTicket> {
  const extension = uploadExtensionOf(input.fileName);
  if (!extension) {
    throw new ValidationError('Unsupported file type.', [
      { path: 'body.file_name', message: `must end in one of ${Object.keys(UPLOAD_FORMATS).join(', ')}` },
    ]);
  }
  const format = UPLOAD_FORMATS[extension];
  if (input.contentType.split(';')[0]?.trim().toLowerCase() !== format.contentType) {
    throw new UnsupportedMediaTypeError(
      `${input.contentType} (a .${extension} file must be ${format.contentType})`,
    );
  }
  if (input.sizeBytes > deps.settings.uploadMaxBytes) {
    throw new PayloadTooLargeError(deps.settings.uploadMaxBytes, input.sizeBytes);
  }
  if (format.kind === 'transcript' && input.sizeBytes > deps.settings.transcriptUploadMaxBytes) {
    throw new TranscriptFileTooLargeError(deps.settings.transcriptUploadMaxBytes, input.sizeBytes);
  }
  const ownerUserId = await resolveOwner(input.actor, input.ownerUserId, deps);
  const nowMs = deps.clock.now();
  const now = new Date(nowMs).toISOString();
  const meetingId = deps.ids.uuid();
  const objectKey = `uploads/${input.actor.tenantId}/${now.slice(0, 4)}/${now.slice(5, 7)}/${meetingId}.${extension}`;
  const meeting: Meeting = {
    meetingId,
    tenantId: input.actor.tenantId,
    ownerUserId,
    createdBy: input.actor.userId,
    title: input.title,
    meetingDate: input.meetingDate,
    clientNames: input.clientNames,
    status: 'pending_upload',
    source: {
      type: 'upload',
      kind: format.kind,
      extension,
      contentType: format.contentType,
      objectKey,
      sizeBytes: input.sizeBytes,
    },
    createdAt: now,
    updatedAt: now,
  };
  await deps.meetings.create(meeting, {
    action: 'meeting.created',
    outcome: 'success',
    actor: { userId: input.actor.userId, role: input.actor.role },
    target: { type: 'meeting', id: meetingId },
    ip: input.ip,
    details: { source: 'upload', kind: format.kind, owner: ownerUserId },
  });
  const presigned = await deps.uploads.presignPut({
    key: objectKey,
    contentType: format.contentType,
    contentLength: input.sizeBytes,
    expiresInSeconds: deps.settings.uploadUrlTtlSeconds,
  });
  return {
    meeting,
    upload: {
      ...presigned,
      method: 'PUT',
      expiresAt: new Date(nowMs + deps.settings.uploadUrlTtlSeconds * 1000).toISOString(),
    },
  };
}
