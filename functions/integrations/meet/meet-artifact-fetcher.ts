import { UPLOAD_FORMATS } from '../../core/meetings/upload-formats';
import type { PlatformArtifactFetcher } from '../../core/platforms/ports';
import { createGoogleClient, type GoogleClientDeps } from './google-client';

/**
 * Meet artifacts with the firm's service account (impersonating the organizer, or the integration's delegated
 * user, through domain-wide delegation): the transcript Doc exported as text (the plain-text parser reads Meet's
 * export), or the recording from Drive.
 */
export function createMeetArtifactFetcher(deps: GoogleClientDeps): PlatformArtifactFetcher<'meet'> {
  return {
    platform: 'meet',
    async fetch(descriptor, credentials) {
      const { serviceAccount } = credentials;
      const google = createGoogleClient(
        {
          client_email: serviceAccount.clientEmail,
          private_key: serviceAccount.privateKey,
          ...(serviceAccount.privateKeyId ? { private_key_id: serviceAccount.privateKeyId } : {}),
        },
        descriptor.ownerEmail ?? credentials.delegatedUser,
        // The key file's `token_uri` is ignored: a firm admin's input never chooses a host we post to.
        deps,
      );
      if (descriptor.kind === 'transcript') {
        const content = await google.transcriptText(descriptor.resourceName);
        return {
          bytes: new Uint8Array(content.body),
          contentType: UPLOAD_FORMATS.txt.contentType,
          extension: 'txt',
          kind: 'transcript',
        };
      }
      const content = await google.recording(descriptor.resourceName);
      return {
        bytes: new Uint8Array(content.body),
        contentType: UPLOAD_FORMATS.mp4.contentType,
        extension: 'mp4',
        kind: 'audio',
      };
    },
  };
}
