import { describe, expect, it } from 'vitest';
import {
  detectTranscriptFormat,
  parseTranscriptFile,
} from '../../../../functions/core/transcript/detect-transcript-format';

const VTT_TEXT = 'WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v Ann>Hi.\n';
const SRT_TEXT = '1\n00:00:01,000 --> 00:00:02,000\nAnn: Hi.\n';
const TEXT = 'Ann: Hi.\n';
const ASSEMBLYAI = JSON.stringify({ id: 't', status: 'completed', text: 'Hi.', words: [], utterances: [] });
const DEEPGRAM = JSON.stringify({
  results: { channels: [{ alternatives: [{ transcript: 'Hi.', words: [] }] }] },
});

describe('detectTranscriptFormat', () => {
  it.each([
    ['a WEBVTT header', VTT_TEXT, 'webvtt'],
    ['a WEBVTT header after blank lines', `\n\n${VTT_TEXT}`, 'webvtt'],
    ['a JSON object', ASSEMBLYAI, 'json'],
    ['an SRT first cue', SRT_TEXT, 'srt'],
    ['an SRT first cue with CRLF', SRT_TEXT.replaceAll('\n', '\r\n'), 'srt'],
    ['Name: lines', TEXT, 'text'],
    ['a timestamped line', '[00:00:01] Ann: Hi.', 'text'],
  ])('knows %s from the content alone', (_name, text, format) => {
    expect(detectTranscriptFormat(text)).toBe(format);
  });

  it('lets content win over a misleading hint', () => {
    expect(detectTranscriptFormat(SRT_TEXT, { fileName: 'x.vtt', contentType: 'text/vtt' })).toBe('srt');
    expect(detectTranscriptFormat(VTT_TEXT, { fileName: 'x.txt', contentType: 'text/plain' })).toBe('webvtt');
  });

  it('falls back to the extension, then the content type', () => {
    const ambiguous = 'hello';
    expect(detectTranscriptFormat(ambiguous, { fileName: 'Call Notes.VTT' })).toBe('webvtt');
    expect(detectTranscriptFormat(ambiguous, { fileName: 'a.srt', contentType: 'text/vtt' })).toBe('srt');
    expect(detectTranscriptFormat(ambiguous, { fileName: 'a.txt' })).toBe('text');
    expect(detectTranscriptFormat(ambiguous, { fileName: 'a.json' })).toBe('json');
    expect(detectTranscriptFormat(ambiguous, { contentType: 'text/vtt; charset=utf-8' })).toBe('webvtt');
    expect(detectTranscriptFormat(ambiguous, { contentType: 'application/x-subrip' })).toBe('srt');
    expect(detectTranscriptFormat(ambiguous, { contentType: 'application/json' })).toBe('json');
    expect(detectTranscriptFormat(ambiguous, { fileName: 'a.bin', contentType: 'text/plain' })).toBe('text');
  });

  it('reads timing lines without a header or hint by their separator', () => {
    expect(detectTranscriptFormat('00:00:01.000 --> 00:00:02.000\nHi.')).toBe('webvtt');
    expect(detectTranscriptFormat('00:00:01,000 --> 00:00:02,000\nHi.')).toBe('srt');
  });
});

describe('parseTranscriptFile', () => {
  const bytes = (text: string) => new TextEncoder().encode(text);

  it.each([
    ['webvtt', VTT_TEXT],
    ['srt', SRT_TEXT],
    ['text', TEXT],
    ['assemblyai', ASSEMBLYAI],
    ['deepgram', DEEPGRAM],
  ])('parses %s from UTF-8 bytes', (source, text) => {
    const transcript = parseTranscriptFile(bytes(text));
    expect(transcript.source).toBe(source);
    expect(transcript.utterances[0]?.text).toBe('Hi.');
  });

  it('drops a UTF-8 byte-order mark from bytes and from text', () => {
    const withBom = new Uint8Array([0xef, 0xbb, 0xbf, ...bytes(VTT_TEXT)]);
    expect(parseTranscriptFile(withBom).source).toBe('webvtt');
    expect(parseTranscriptFile(`\uFEFF${SRT_TEXT}`).source).toBe('srt');
  });

  it('tells Deepgram from AssemblyAI JSON by shape, whatever the hint', () => {
    expect(parseTranscriptFile(DEEPGRAM, { fileName: 'assemblyai.json' }).source).toBe('deepgram');
    expect(parseTranscriptFile(ASSEMBLYAI, { contentType: 'text/plain' }).source).toBe('assemblyai');
  });
});
