import { UPLOAD_FORMATS } from '../../../core/meetings/upload-formats';
import type { PlatformArtifactFetcher } from '../../../core/platforms/ports';
import { PlatformFetchError } from '../../../platform/errors';
import { createGraphClient, type GraphClientDeps } from './graph-client';

/**
 * Teams artifacts through Microsoft Graph with the firm's app registration: the transcript as WebVTT (preferred:
 * no transcription needed) or the recording (MP4, transcribed by the pipeline). Graph answers 404 until the
 * artifact exists, which the client turns into `PlatformArtifactNotReadyError` for the state machine to wait on.
 */
export function createTeamsArtifactFetcher(deps: GraphClientDeps): PlatformArtifactFetcher<'teams'> {
  return {
    platform: 'teams',
    async fetch(descriptor, credentials) {
      const graph = createGraphClient(
        {
          tenantId: credentials.azureTenantId,
          clientId: credentials.clientId,
          clientSecret: credentials.clientSecret,
        },
        deps,
      );
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
  };
}
