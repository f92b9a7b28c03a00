import { createHash } from 'node:crypto';
import type { VerifiedExtraction } from '../extraction/extraction-schema';

/**
 * An extraction is stored under a name that carries its content's hash, so an object, once written, never
 * changes: a re-extraction writes a new one and the meeting points at it. Readers may cache it for that reason.
 */
export function extractionBlobName(extraction: VerifiedExtraction): string {
  const digest = createHash('sha256').update(JSON.stringify(extraction)).digest('hex').slice(0, 32);
  return `extraction-${digest}.json`;
}
const CONTENT_ADDRESSED_EXTRACTION = /\/extraction-[0-9a-f]{32}\.json$/;

/** Whether an object key names an extraction stored by its content's hash (the objects that never change). */
export function isImmutableExtractionKey(key: string): boolean {
  return CONTENT_ADDRESSED_EXTRACTION.test(key);
}
