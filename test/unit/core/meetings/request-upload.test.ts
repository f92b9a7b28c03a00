import { describe, expect, it } from 'vitest';
import type { Principal } from '../../../../functions/contracts/principal';
import { verifyEvidence } from '../../../../functions/core/extraction/verify-evidence';
import {
  requestUpload,
  TranscriptFileTooLargeError,
} from '../../../../functions/core/meetings/request-upload';
import { mapError } from '../../../../functions/platform/http/error-status';
import { processedMeetingDeps } from '../../../fakes/meeting-extras';
import { sampleExtraction } from '../../../support/sample-extraction';

const advisor: Principal = { userId: 'adv-1', tenantId: 'firm-a', role: 'advisor' };
const input = (fileName: string, contentType: string, sizeBytes: number) => ({
  actor: advisor,
  ip: '203.0.113.9',
  fileName,
  contentType,
  sizeBytes,
  title: 'Review',
  meetingDate: '2026-01-20',
  clientNames: ['Doug Pruitt'],
});

function deps() {
  const { deps } = processedMeetingDeps(verifyEvidence(sampleExtraction, { utterances: [] }).extraction);
  return {
    ...deps,
    settings: { uploadMaxBytes: 500_000_000, transcriptUploadMaxBytes: 4_000_000, uploadUrlTtlSeconds: 900 },
  };
}

describe('requestUpload: the transcript length limit', () => {
  it('refuses a transcript file over TRANSCRIPT_UPLOAD_MAX_BYTES with a 413 naming size_bytes', async () => {
    const error = await requestUpload(input('long.vtt', 'text/vtt', 4_000_001), deps()).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TranscriptFileTooLargeError);
    const mapped = mapError(error, 'req-1');
    expect(mapped.status).toBe(413);
    expect(mapped.body.error.message).toContain('at most 4000000 bytes');
    expect(mapped.body.error.issues).toEqual([
      { path: 'body.size_bytes', message: 'must be at most 4000000 for a transcript file' },
    ]);
  });

  it('accepts a transcript at the limit and audio far above it', async () => {
    await expect(requestUpload(input('ok.vtt', 'text/vtt', 4_000_000), deps())).resolves.toBeDefined();
    await expect(requestUpload(input('call.mp3', 'audio/mpeg', 200_000_000), deps())).resolves.toBeDefined();
  });
});
