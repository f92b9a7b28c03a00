import { UPLOAD_FORMATS } from '../../core/meetings/upload-formats';
import { PlatformFetchError } from '../../core/platforms/errors';
import type { TeamsCredentials } from '../../core/platforms/integration-credentials';
import type { PlatformArtifactFetcher } from '../../core/platforms/ports';
import { createGraphClient, type GraphClientDeps, type GraphCredentials } from './graph-client';

/**
 * The meeting's subject is a nicety: a slow Graph answer must not hold the file up for the download's whole
 * timeout (the file is already fetched when this is asked).
 */
const MEETING_DETAILS_TIMEOUT_MS = 5_000;

/**
 * Teams artifacts through Microsoft Graph with the firm's app registration: the transcript as WebVTT (preferred:
 * no transcription needed) or the recording (MP4, transcribed by the pipeline). Graph answers 404 until the
 * artifact exists, which the client turns into `PlatformArtifactNotReadyError` for the state machine to wait on.
 * The online meeting's subject and start (which the notification lacks) come from one more GET, with the token
 * the download just cached.
 */
export function createTeamsArtifactFetcher(deps: GraphClientDeps): PlatformArtifactFetcher<'teams'> {
  return {
    platform: 'teams',
    async fetch(descriptor, credentials) {
      const graph = createGraphClient(graphCredentials(credentials), deps);
      const where = { userId: descriptor.userId, meetingId: descriptor.onlineMeetingId };
      if (descriptor.transcriptId !== undefined) {
        const content = await graph.transcriptVtt({ ...where, artifactId: descriptor.transcriptId });
        return {
          bytes: new Uint8Array(content.body),
          contentType: UPLOAD_FORMATS.vtt.contentType,
          extension: 'vtt',
          kind: 'transcript',
        };
      }
      if (descriptor.recordingId !== undefined) {
        const content = await graph.recording({ ...where, artifactId: descriptor.recordingId });
        return {
          bytes: new Uint8Array(content.body),
          contentType: UPLOAD_FORMATS.mp4.contentType,
          extension: 'mp4',
          kind: 'audio',
        };
      }
      throw new PlatformFetchError('The Teams notification named neither a transcript nor a recording.');
    },

    async meetingDetails(descriptor, credentials) {
      const graph = createGraphClient(graphCredentials(credentials), {
        ...deps,
        timeoutMs: Math.min(deps.timeoutMs ?? MEETING_DETAILS_TIMEOUT_MS, MEETING_DETAILS_TIMEOUT_MS),
      });
      const meeting = await graph.onlineMeeting({
        userId: descriptor.userId,
        meetingId: descriptor.onlineMeetingId,
      });
      return {
        ...(meeting.subject === undefined ? {} : { title: meeting.subject }),
        ...(meeting.startDateTime === undefined ? {} : { startDateTime: meeting.startDateTime }),
      };
    },
  };
}

function graphCredentials(credentials: TeamsCredentials): GraphCredentials {
  return {
    tenantId: credentials.azureTenantId,
    clientId: credentials.clientId,
    clientSecret: credentials.clientSecret,
  };
}
