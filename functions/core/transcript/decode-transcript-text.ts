import { MalformedTranscriptError } from './errors';

/** The largest transcript accepted, in characters: a 3-hour Deepgram response with words is about 10 MB. */
export const DEFAULT_MAX_TRANSCRIPT_CHARS = 20_000_000;

// UTF-8 needs at most 4 bytes a character, so more bytes than this cannot fit the limit: refuse before decoding.
const MAX_BYTES_PER_CHAR = 4;

const count = (n: number) => n.toLocaleString('en-US');

/**
 * An uploaded transcript's bytes (or text) → its text: UTF-8 only, a leading byte-order mark dropped, the size
 * guard applied before any parsing.
 *
 * @throws MalformedTranscriptError for UTF-16, invalid UTF-8 (with the offset of the first bad byte), NUL
 * characters (a binary file) or more than `maxChars` characters.
 */
export function decodeTranscriptText(
  input: Uint8Array | string,
  maxChars = DEFAULT_MAX_TRANSCRIPT_CHARS,
): string {
  const tooLarge = (size: string) =>
    new MalformedTranscriptError(`the file is ${size}; the limit is ${count(maxChars)} characters`);
  let text: string;
  if (typeof input === 'string') {
    text = input.startsWith('\uFEFF') ? input.slice(1) : input;
  } else {
    if (input.length > maxChars * MAX_BYTES_PER_CHAR) throw tooLarge(`${count(input.length)} bytes`);
    if ((input[0] === 0xff && input[1] === 0xfe) || (input[0] === 0xfe && input[1] === 0xff)) {
      throw new MalformedTranscriptError('the file is UTF-16 text; only UTF-8 is accepted');
    }
    try {
      // The decoder drops a UTF-8 byte-order mark itself.
      text = new TextDecoder('utf-8', { fatal: true }).decode(input);
    } catch (error) {
      const offset = firstInvalidUtf8Byte(input);
      const byte = input[offset] ?? 0;
      throw new MalformedTranscriptError(
        `the file is not valid UTF-8 (byte 0x${byte.toString(16).padStart(2, '0')} at offset ${offset})`,
        { cause: error },
      );
    }
  }
  if (text.length > maxChars) throw tooLarge(`${count(text.length)} characters`);
  const nul = text.indexOf('\u0000');
  if (nul !== -1) {
    throw new MalformedTranscriptError(
      `the file contains a NUL character at offset ${nul}: it is binary, not text`,
    );
  }
  return text;
}

/** The offset of the first byte that breaks UTF-8 (overlong forms, surrogates and truncation included). */
function firstInvalidUtf8Byte(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const sequence = utf8Sequence(bytes[i] ?? 0);
    if (!sequence) return i;
    for (let k = 1; k < sequence.length; k++) {
      const next = bytes[i + k];
      // Only the first continuation byte has a narrowed range; the others are 0x80–0xBF.
      const [low, high] = k === 1 ? [sequence.min, sequence.max] : [0x80, 0xbf];
      if (next === undefined || next < low || next > high) return i + k;
    }
    i += sequence.length;
  }
  return bytes.length;
}

/** The length of the sequence a lead byte starts and the range of its first continuation byte (RFC 3629). */
function utf8Sequence(lead: number): { length: number; min: number; max: number } | undefined {
  if (lead < 0x80) return { length: 1, min: 0, max: 0 };
  if (lead >= 0xc2 && lead <= 0xdf) return { length: 2, min: 0x80, max: 0xbf };
  if (lead === 0xe0) return { length: 3, min: 0xa0, max: 0xbf };
  if (lead === 0xed) return { length: 3, min: 0x80, max: 0x9f };
  if (lead >= 0xe1 && lead <= 0xef) return { length: 3, min: 0x80, max: 0xbf };
  if (lead === 0xf0) return { length: 4, min: 0x90, max: 0xbf };
  if (lead >= 0xf1 && lead <= 0xf3) return { length: 4, min: 0x80, max: 0xbf };
  if (lead === 0xf4) return { length: 4, min: 0x80, max: 0x8f };
  return undefined;
}
