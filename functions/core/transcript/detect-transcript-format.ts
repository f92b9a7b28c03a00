import { decodeTranscriptText } from './decode-transcript-text';
import { MalformedTranscriptError } from './errors';
import { parseAssemblyAiTranscript } from './parse-assemblyai-json';
import { parseDeepgramResponse } from './parse-deepgram-json';
import { parsePlainText } from './parse-plain-text';
import { parseSrt } from './parse-srt';
import { parseWebVtt } from './parse-webvtt';
import type { Transcript } from './transcript';
import { readJson } from './vendor-json';

/** The formats a transcript file can be in; JSON is one of two vendors' shapes, told apart after parsing. */
export type TranscriptFileFormat = 'webvtt' | 'srt' | 'text' | 'json';

/** What the upload said about the file: its name and declared content type. */
export interface TranscriptFileHint {
  fileName?: string | undefined;
  contentType?: string | undefined;
}

const BY_EXTENSION: Readonly<Record<string, TranscriptFileFormat>> = {
  vtt: 'webvtt',
  webvtt: 'webvtt',
  srt: 'srt',
  txt: 'text',
  text: 'text',
  json: 'json',
};

const BY_CONTENT_TYPE: Readonly<Record<string, TranscriptFileFormat>> = {
  'text/vtt': 'webvtt',
  'application/x-subrip': 'srt',
  'application/srt': 'srt',
  'text/srt': 'srt',
  'text/plain': 'text',
  'application/json': 'json',
};

const SNIFFED_CHARS = 4096;
const WEBVTT_HEADER = /^WEBVTT(?:[ \t\r\n]|$)/;
const SRT_FIRST_CUE = /^\d+[ \t]*\r?\n[ \t]*\d{1,3}:\d{2}:\d{2},\d{3}[ \t]*-->/;
const ANY_TIMING = /^[^\n]*\d{2}[.,](\d{3})[ \t]*-->/m;

/**
 * The format of a transcript file's text. Content decides first: a `WEBVTT` header, a JSON object, an SRT first cue
 * (number, then a timing with a comma). Then the hint: the file name's extension (`.vtt .srt .txt .json`), then
 * the content type (`text/vtt`, `application/x-subrip`, `text/plain`, `application/json`). Then timing lines
 * anywhere near the top (a comma means SRT, a full stop WebVTT — whose parser then asks for the missing header).
 * Anything else is plain text.
 */
export function detectTranscriptFormat(text: string, hint: TranscriptFileHint = {}): TranscriptFileFormat {
  const head = text.slice(0, SNIFFED_CHARS).trimStart();
  if (WEBVTT_HEADER.test(head)) return 'webvtt';
  if (head.startsWith('{')) return 'json';
  if (SRT_FIRST_CUE.test(head)) return 'srt';
  const extension = /\.([a-z0-9]+)$/i.exec(hint.fileName ?? '')?.[1]?.toLowerCase();
  const byExtension = extension === undefined ? undefined : BY_EXTENSION[extension];
  if (byExtension) return byExtension;
  const mediaType = hint.contentType?.split(';')[0]?.trim().toLowerCase();
  const byContentType = mediaType === undefined ? undefined : BY_CONTENT_TYPE[mediaType];
  if (byContentType) return byContentType;
  const timing = ANY_TIMING.exec(head);
  if (timing) return timing[0].includes(',') ? 'srt' : 'webvtt';
  return 'text';
}

/**
 * An uploaded transcript file → the normalised transcript: decoded as UTF-8 (a byte-order mark allowed), refused
 * over `maxChars` characters before any parsing, its format detected (`detectTranscriptFormat`), and parsed by
 * that format's parser.
 *
 * @throws MalformedTranscriptError with the precise reason the file cannot be read.
 */
export function parseTranscriptFile(
  input: Uint8Array | string,
  hint: TranscriptFileHint = {},
  options: { maxChars?: number } = {},
): Transcript {
  const text = decodeTranscriptText(input, options.maxChars);
  switch (detectTranscriptFormat(text, hint)) {
    case 'webvtt':
      return parseWebVtt(text);
    case 'srt':
      return parseSrt(text);
    case 'text':
      return parsePlainText(text);
    case 'json':
      return parseVendorJson(readJson(text));
  }
}

// AssemblyAI's transcript always has `status`; Deepgram's response always has `results`.
function parseVendorJson(value: unknown): Transcript {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    if ('results' in value || ('request_id' in value && !('status' in value)))
      return parseDeepgramResponse(value);
    if ('status' in value) return parseAssemblyAiTranscript(value);
  }
  throw new MalformedTranscriptError(
    "the JSON is neither an AssemblyAI transcript (no 'status') nor a Deepgram response (no 'results')",
  );
}
