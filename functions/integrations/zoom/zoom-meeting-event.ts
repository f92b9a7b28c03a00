import { UPLOAD_FORMATS, type UploadExtension } from '../../core/meetings/upload-formats';
import type { PlatformMeetingEvent } from '../../core/platforms/platform-meeting-event';
import type { ZoomRecordingEvent, ZoomRecordingFile } from './zoom-event';

/** Zoom file types we take, best first: the transcript (no transcription needed), then audio, then video. */
const PREFERENCE: readonly { fileType: string; extension: UploadExtension }[] = [
  { fileType: 'TRANSCRIPT', extension: 'vtt' },
  { fileType: 'M4A', extension: 'm4a' },
  { fileType: 'MP4', extension: 'mp4' },
];

/** The file to fetch: the VTT transcript when present, else the audio (M4A), else the video (MP4). */
export function chooseZoomFile(
  files: readonly ZoomRecordingFile[],
): { file: ZoomRecordingFile & { download_url: string }; extension: UploadExtension } | undefined {
  const usable = files.filter(
    (f): f is ZoomRecordingFile & { download_url: string } =>
      f.download_url !== undefined && (f.status === undefined || f.status.toLowerCase() === 'completed'),
  );
  for (const { fileType, extension } of PREFERENCE) {
    const file = usable.find(
      (f) =>
        f.file_type?.toUpperCase() === fileType ||
        (fileType === 'TRANSCRIPT' && f.recording_type === 'audio_transcript'),
    );
    if (file) return { file, extension };
  }
  return undefined;
}

/**
 * The calendar date of `startTime` in the meeting's time zone (a 9 pm Pacific meeting is that day's, not the
 * next day's in UTC). An unknown zone falls back to UTC.
 */
export function meetingDateIn(startTime: string, timeZone: string | undefined): string {
  const instant = new Date(startTime);
  try {
    if (timeZone) {
      // en-CA formats as YYYY-MM-DD.
      return new Intl.DateTimeFormat('en-CA', {
        timeZone,
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
      }).format(instant);
    }
  } catch {
    // RangeError for a zone this runtime does not know: use UTC below.
  }
  return instant.toISOString().slice(0, 10);
}

/**
 * A Zoom recording event as a platform meeting event, or `undefined` when it has no file we can use. One
 * meeting per Zoom meeting instance: the dedup id is the account and the instance `uuid`, so
 * `recording.completed` and a later `recording.transcript_completed` of the same instance, and Zoom's retries
 * of either, create one meeting (whichever arrives first decides the file).
 */
export function zoomMeetingEvent(
  tenantId: string,
  event: ZoomRecordingEvent,
): PlatformMeetingEvent | undefined {
  const { object, account_id: accountId } = event.payload;
  const choice = chooseZoomFile(object.recording_files);
  if (!choice) return undefined;
  const topic = object.topic?.trim().slice(0, 300);
  return {
    platform: 'zoom',
    tenantId,
    eventId: `${accountId}:${object.uuid}`,
    hostIdentities: [object.host_email, object.host_id].filter(
      (identity): identity is string => identity !== undefined && identity.trim() !== '',
    ),
    // Zoom requires a topic; an empty one still names the platform rather than inventing a title.
    title: topic ? topic : 'Zoom meeting',
    meetingDate: meetingDateIn(object.start_time, object.timezone),
    externalMeetingId: object.uuid,
    descriptor: {
      platform: 'zoom',
      downloadUrl: choice.file.download_url,
      ...(event.download_token ? { downloadToken: event.download_token } : {}),
      fileType: choice.file.file_type ?? 'TRANSCRIPT',
      extension: choice.extension,
      kind: UPLOAD_FORMATS[choice.extension].kind,
    },
  };
}
