import type { ArtifactDownload } from '../../adapters/meeting-platforms/artifact-download';
import { UPLOAD_FORMATS } from '../../core/meetings/upload-formats';
import { PlatformArtifactNotReadyError, PlatformFetchError } from '../../core/platforms/errors';
import type { PlatformArtifactFetcher } from '../../core/platforms/ports';

/**
 * Zoom recording files: `download_url` with the event's `download_token` as `Authorization: Bearer` (valid about
 * 24 h). The guard vets the URL and every redirect (Zoom redirects to its file CDN, which gets no Authorization
 * header: it is dropped on a change of origin). 429 and 5xx are Zoom being busy: retried by the state machine.
 */
export function createZoomArtifactFetcher(download: ArtifactDownload): PlatformArtifactFetcher<'zoom'> {
  return {
    platform: 'zoom',
    async fetch(descriptor) {
      const headers: Record<string, string> = descriptor.downloadToken
        ? { authorization: `Bearer ${descriptor.downloadToken}` }
        : {};
      const response = await download(descriptor.downloadUrl, headers);
      if (response.status === 429 || response.status >= 500) {
        throw new PlatformArtifactNotReadyError(
          `Zoom answered ${response.status} to the download; retrying.`,
        );
      }
      if (response.status === 401 || response.status === 403) {
        throw new PlatformFetchError(
          `Zoom refused the download (${response.status}): the download token has expired or the app lacks the recording scope.`,
          { status: response.status },
        );
      }
      if (response.status !== 200) {
        throw new PlatformFetchError(
          `Zoom answered ${response.status} to the download of the recording file.`,
          {
            status: response.status,
          },
        );
      }
      return {
        bytes: new Uint8Array(response.body),
        contentType: UPLOAD_FORMATS[descriptor.extension].contentType,
        extension: descriptor.extension,
        kind: descriptor.kind,
      };
    },
  };
}
