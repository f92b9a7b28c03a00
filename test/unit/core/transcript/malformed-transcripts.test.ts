import { describe, expect, it } from 'vitest';
import {
  parseTranscriptFile,
  type TranscriptFileHint,
} from '../../../../functions/core/transcript/detect-transcript-format';
import { MalformedTranscriptError } from '../../../../functions/core/transcript/errors';
import { ERROR_STATUS } from '../../../../functions/platform/http/error-status';

const VTT: TranscriptFileHint = { fileName: 'call.vtt', contentType: 'text/vtt' };
const SRT: TranscriptFileHint = { fileName: 'call.srt', contentType: 'application/x-subrip' };
const TXT: TranscriptFileHint = { fileName: 'call.txt', contentType: 'text/plain' };
const JSON_FILE: TranscriptFileHint = { fileName: 'call.json', contentType: 'application/json' };
const lines = (...parts: string[]) => parts.join('\n');
const aai = (fields: Record<string, unknown>) => JSON.stringify({ id: 't1', status: 'completed', ...fields });

const cases: [string, string | Uint8Array, TranscriptFileHint, string][] = [
  [
    'WebVTT without its header',
    lines('1', '00:00:01.000 --> 00:00:02.000', '<v Ann>Hi.'),
    VTT,
    "line 1: the file does not start with the 'WEBVTT' header (found '1')",
  ],
  [
    'WebVTT header run into other text',
    lines('WEBVTTX', '', '00:00:01.000 --> 00:00:02.000', 'Hi.'),
    VTT,
    "line 1: the file does not start with the 'WEBVTT' header (found 'WEBVTTX')",
  ],
  [
    'WebVTT timing with a one-digit seconds field',
    lines(
      'WEBVTT',
      '',
      '1',
      '00:00:01.000 --> 00:00:02.000',
      'Hi.',
      '',
      '2',
      '00:00:1.000 --> 00:00:04.000',
      'Yo.',
    ),
    VTT,
    "line 8: cue timing '00:00:1.000 --> 00:00:04.000' is not HH:MM:SS.mmm --> HH:MM:SS.mmm",
  ],
  [
    'WebVTT timing with a comma (an SRT timing)',
    lines('WEBVTT', '', '00:00:01,000 --> 00:00:02,000', 'Hi.'),
    VTT,
    "line 3: cue timing '00:00:01,000 --> 00:00:02,000' is not HH:MM:SS.mmm --> HH:MM:SS.mmm",
  ],
  [
    'WebVTT timing without an end',
    lines('WEBVTT', '', '00:00:01.000 -->', 'Hi.'),
    VTT,
    "line 3: cue timing '00:00:01.000 -->' is not HH:MM:SS.mmm --> HH:MM:SS.mmm",
  ],
  [
    'WebVTT timing with 61 minutes',
    lines('WEBVTT', '', '00:61:00.000 --> 00:62:00.000', 'Hi.'),
    VTT,
    "line 3: cue timing '00:61:00.000 --> 00:62:00.000' has minutes or seconds over 59",
  ],
  [
    'WebVTT cue ending before it starts',
    lines(
      'WEBVTT',
      '',
      '1',
      '00:00:01.000 --> 00:00:02.000',
      'a',
      '',
      '2',
      '00:00:09.000 --> 00:00:04.000',
      'b',
    ),
    VTT,
    'line 8: end before start in cue 2 (00:00:09.000 --> 00:00:04.000)',
  ],
  ['WebVTT with no cues', lines('WEBVTT', '', 'NOTE nothing here', ''), VTT, 'no cues'],
  [
    'WebVTT whose cues are all empty',
    lines('WEBVTT', '', '00:00:01.000 --> 00:00:02.000', '<v Ann></v>'),
    VTT,
    'every cue is empty',
  ],
  [
    'WebVTT block without a timing line',
    lines('WEBVTT', '', '00:00:01.000 --> 00:00:02.000', 'Hi.', '', 'stray words'),
    VTT,
    "line 6: expected a cue timing line (HH:MM:SS.mmm --> HH:MM:SS.mmm), found 'stray words'",
  ],
  [
    'WebVTT identifier followed by text',
    lines('WEBVTT', '', '7', 'Hi there.'),
    VTT,
    "line 4: expected a cue timing line after cue identifier '7', found 'Hi there.'",
  ],
  [
    'SRT timing without milliseconds',
    lines('1', '00:00:01 --> 00:00:02', 'Hi.'),
    SRT,
    "line 2: cue timing '00:00:01 --> 00:00:02' is not HH:MM:SS,mmm --> HH:MM:SS,mmm",
  ],
  [
    'SRT cue number that is not a number',
    lines('one', '00:00:01,000 --> 00:00:02,000', 'Hi.'),
    SRT,
    "line 1: cue number 'one' is not a whole number",
  ],
  [
    'SRT cue number followed by text',
    lines('1', '00:00:01,000 --> 00:00:02,000', 'Hi.', '', '2', 'Hello.'),
    SRT,
    "line 6: expected a cue timing line after cue number 2, found 'Hello.'",
  ],
  [
    'SRT cue ending before it starts',
    lines('1', '00:00:05,000 --> 00:00:04,999', 'Hi.'),
    SRT,
    'line 2: end before start in cue 1 (00:00:05,000 --> 00:00:04,999)',
  ],
  ['SRT file that is empty', '\n\n', SRT, 'no cues'],
  [
    'plain text with an impossible timestamp',
    lines('[00:00:01] Ann: Hi.', '[00:75:00] Bob: Hello.'),
    TXT,
    "line 2: timestamp '[00:75:00]' has minutes or seconds over 59",
  ],
  ['plain text with nothing but blank lines', ' \n\t\n', TXT, 'the file has no text'],
  ['plain text with speaker labels but no words', 'Ann:\nBob:\n', TXT, 'the file has no text'],
  [
    'AssemblyAI transcript that failed',
    aai({ status: 'error', error: 'Download error, unable to download https://example.com/a.mp3' }),
    JSON_FILE,
    "AssemblyAI transcript status is 'error': Download error, unable to download https://example.com/a.mp3",
  ],
  [
    'AssemblyAI transcript still processing',
    aai({ status: 'processing', text: null }),
    JSON_FILE,
    "AssemblyAI transcript status is 'processing', not 'completed'",
  ],
  [
    'AssemblyAI utterance with a string start',
    aai({ utterances: [{ speaker: 'A', start: '10', end: 20, text: 'Hi' }] }),
    JSON_FILE,
    'AssemblyAI transcript: utterances[0].start: Invalid input: expected number, received string',
  ],
  [
    'AssemblyAI utterance ending before it starts',
    aai({
      utterances: [
        { speaker: 'A', start: 0, end: 5, text: 'a' },
        { speaker: 'B', start: 2000, end: 1000, text: 'b' },
      ],
    }),
    JSON_FILE,
    'AssemblyAI utterances[1]: end (1000 ms) is before start (2000 ms)',
  ],
  [
    'AssemblyAI transcript without text',
    aai({ text: '', words: [], utterances: [] }),
    JSON_FILE,
    'AssemblyAI transcript has no text',
  ],
  [
    'Deepgram callback acknowledgement',
    JSON.stringify({ request_id: 'b2c1' }),
    JSON_FILE,
    "Deepgram response has no 'results': it is the acknowledgement of a callback request, not a transcript",
  ],
  [
    'Deepgram response without channels or utterances',
    JSON.stringify({ metadata: {}, results: {} }),
    JSON_FILE,
    "Deepgram response has neither 'results.utterances' nor 'results.channels[0].alternatives[0]'",
  ],
  [
    'Deepgram word ending before it starts',
    JSON.stringify({
      results: { channels: [{ alternatives: [{ words: [{ word: 'hi', start: 2.5, end: 1.25 }] }] }] },
    }),
    JSON_FILE,
    'Deepgram results.channels[0].alternatives[0].words[0]: end (1.25 s) is before start (2.5 s)',
  ],
  [
    'Deepgram response with no words said',
    JSON.stringify({ results: { channels: [{ alternatives: [{ transcript: '', words: [] }] }] } }),
    JSON_FILE,
    'Deepgram response has no text',
  ],
  [
    'JSON of neither vendor',
    JSON.stringify({ transcript: 'hello' }),
    JSON_FILE,
    "the JSON is neither an AssemblyAI transcript (no 'status') nor a Deepgram response (no 'results')",
  ],
  [
    'JSON that is an array',
    '[{"speaker":"A"}]',
    JSON_FILE,
    "the JSON is neither an AssemblyAI transcript (no 'status') nor a Deepgram response (no 'results')",
  ],
  [
    'invalid UTF-8',
    new Uint8Array([0x57, 0x45, 0x42, 0x56, 0x54, 0x54, 0x0a, 0xc3, 0x28]),
    VTT,
    'the file is not valid UTF-8 (byte 0x28 at offset 8)',
  ],
  [
    'an overlong UTF-8 encoding',
    new Uint8Array([0x41, 0xc0, 0xaf]),
    TXT,
    'the file is not valid UTF-8 (byte 0xc0 at offset 1)',
  ],
  [
    'UTF-16 text',
    new Uint8Array([0xff, 0xfe, 0x57, 0x00]),
    VTT,
    'the file is UTF-16 text; only UTF-8 is accepted',
  ],
  [
    'a binary file',
    new Uint8Array([0x49, 0x44, 0x33, 0x04, 0x00, 0x00]),
    { fileName: 'call.txt' },
    'the file contains a NUL character at offset 4: it is binary, not text',
  ],
];

describe('a malformed transcript file', () => {
  it.each(cases)('%s is refused with its reason', (_name, input, hint, reason) => {
    let caught: unknown;
    try {
      parseTranscriptFile(input, hint);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(MalformedTranscriptError);
    expect((caught as MalformedTranscriptError).message).toBe(reason);
    expect((caught as MalformedTranscriptError).code).toBe('malformed_transcript');
    expect((caught as MalformedTranscriptError).issues).toEqual([{ path: 'transcript', message: reason }]);
  });

  it('names the parser that refused it', () => {
    expect(() => parseTranscriptFile('WEBVTT\n', VTT)).toThrow(expect.objectContaining({ format: 'webvtt' }));
    expect(() => parseTranscriptFile(aai({ status: 'error' }))).toThrow(
      expect.objectContaining({
        format: 'assemblyai',
        message: "AssemblyAI transcript status is 'error': no reason given",
      }),
    );
  });

  it('says where JSON syntax breaks', () => {
    expect(() => parseTranscriptFile('{\n  "status": "completed",\n}', JSON_FILE)).toThrow(
      /^line 3, column 1: the file is not valid JSON \(.+\)$/,
    );
  });

  it('answers 422 at the HTTP edge', () => {
    expect(ERROR_STATUS.malformed_transcript).toBe(422);
  });
});

describe('the size guard', () => {
  it('refuses text over the limit before parsing', () => {
    const text = `WEBVTT\n\n${'x'.repeat(100)}`;
    expect(() => parseTranscriptFile(text, VTT, { maxChars: 50 })).toThrow(
      new MalformedTranscriptError('the file is 108 characters; the limit is 50 characters'),
    );
  });

  it('refuses bytes that cannot fit the limit without decoding them', () => {
    expect(() => parseTranscriptFile(new Uint8Array(2001).fill(0xff), VTT, { maxChars: 500 })).toThrow(
      'the file is 2,001 bytes; the limit is 500 characters',
    );
  });

  it('counts characters, not bytes, for text that may fit', () => {
    const bytes = new TextEncoder().encode('Ann: €€€€€€€€€€');
    expect(bytes.length).toBe(35);
    expect(parseTranscriptFile(bytes, TXT, { maxChars: 15 }).utterances[0]?.text).toBe('€€€€€€€€€€');
  });

  it('defaults to twenty million characters', () => {
    expect(() => parseTranscriptFile('x'.repeat(20_000_001), TXT)).toThrow(
      'the file is 20,000,001 characters; the limit is 20,000,000 characters',
    );
  });
});
