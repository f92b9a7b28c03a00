import { describe, expect, it } from 'vitest';
import { parseWebVtt } from '../../../../functions/core/transcript/parse-webvtt';

const vtt = (...lines: string[]) => lines.join('\n');

describe('parseWebVtt', () => {
  it('reads numbered cues with voice tags and flags the adviser', () => {
    const transcript = parseWebVtt(
      vtt(
        'WEBVTT',
        '',
        '1',
        '00:00:04.163 --> 00:00:09.940',
        '<v Renata Okafor (Advisor)>Hi, hi — okay, I think we’re connected.',
        '',
        '2',
        '00:00:10.349 --> 00:00:15.087',
        "<v Doug Pruitt>Yep, it's $1.18 million — about 5%.",
      ),
    );
    expect(transcript).toEqual({
      source: 'webvtt',
      utterances: [
        {
          index: 0,
          speaker: 'Renata Okafor',
          role: 'advisor',
          startMs: 4163,
          endMs: 9940,
          text: 'Hi, hi — okay, I think we’re connected.',
        },
        {
          index: 1,
          speaker: 'Doug Pruitt',
          startMs: 10349,
          endMs: 15087,
          text: "Yep, it's $1.18 million — about 5%.",
        },
      ],
      durationMs: 15087,
      speakers: ['Renata Okafor', 'Doug Pruitt'],
    });
  });

  it('reads Teams-style identifiers, closing voice tags, CRLF line endings and a byte-order mark', () => {
    const transcript = parseWebVtt(
      '\uFEFFWEBVTT\r\n\r\n0c5ec4d8-1ae0-465a-af37-9cb8ed7e35cf/12-0\r\n00:00:03.309 --> 00:00:07.067\r\n' +
        '<v Marisol Quintero (Advisor)>Good morning!</v>\r\n',
    );
    expect(transcript.utterances).toEqual([
      {
        index: 0,
        speaker: 'Marisol Quintero',
        role: 'advisor',
        startMs: 3309,
        endMs: 7067,
        text: 'Good morning!',
      },
    ]);
  });

  it('reads MM:SS.mmm timings and ignores cue settings', () => {
    const transcript = parseWebVtt(
      vtt('WEBVTT', '', '01:02.500 --> 01:04.000 align:start line:0', '<v A>Hi'),
    );
    expect(transcript.utterances[0]).toMatchObject({ startMs: 62_500, endMs: 64_000 });
  });

  it('skips header metadata, NOTE, STYLE and REGION blocks', () => {
    const transcript = parseWebVtt(
      vtt(
        'WEBVTT - exported by Zoom',
        'Kind: captions',
        'Language: en',
        '',
        'STYLE',
        '::cue { color: yellow }',
        '',
        'REGION',
        'id:left width:40%',
        '',
        'NOTE this is a comment',
        'spanning two lines',
        '',
        '00:00:01.000 --> 00:00:02.000',
        '<v Ann>Hello.',
        '',
        'NOTE',
        'another comment',
      ),
    );
    expect(transcript.utterances.map((u) => u.text)).toEqual(['Hello.']);
  });

  it('strips classes, formatting tags and inline timestamps, decodes references and joins lines', () => {
    const transcript = parseWebVtt(
      vtt(
        'WEBVTT',
        '',
        '00:00:01.000 --> 00:00:05.000',
        '<v.loud Ann Lee><i>Fees</i> &amp; <b>taxes</b> &lt;&gt;<00:00:02.000> matter',
        '<c.yellow>a lot</c>&nbsp;&nbsp;now&lrm;.&#8212;&#x2019;s AT&T &copy;',
      ),
    );
    expect(transcript.utterances[0]).toMatchObject({
      speaker: 'Ann Lee',
      text: 'Fees & taxes <> matter a lot now.—’s AT&T &copy;',
    });
  });

  it('takes the speaker from a Name: prefix when the cue has no voice tag (Zoom), else Unknown', () => {
    const transcript = parseWebVtt(
      vtt(
        'WEBVTT',
        '',
        '1',
        '00:00:01.000 --> 00:00:02.000',
        'Renata Okafor: Good morning.',
        '',
        '2',
        '00:00:02.000 --> 00:00:03.000',
        'okay so here is the thing: we wait.',
      ),
    );
    expect(transcript.utterances.map(({ speaker, text }) => ({ speaker, text }))).toEqual([
      { speaker: 'Renata Okafor', text: 'Good morning.' },
      { speaker: 'Unknown', text: 'okay so here is the thing: we wait.' },
    ]);
    expect(transcript.speakers).toEqual(['Renata Okafor', 'Unknown']);
  });

  it('gives a cue with two voices one utterance per voice', () => {
    const transcript = parseWebVtt(
      vtt('WEBVTT', '', '00:00:01.000 --> 00:00:02.000', '<v Ann>Yes.</v> <v Bob>No.</v>'),
    );
    expect(transcript.utterances.map(({ speaker, text, startMs }) => [speaker, text, startMs])).toEqual([
      ['Ann', 'Yes.', 1000],
      ['Bob', 'No.', 1000],
    ]);
  });

  it('keeps cross-talk and orders cues by start', () => {
    const transcript = parseWebVtt(
      vtt(
        'WEBVTT',
        '',
        '00:00:05.000 --> 00:00:09.000',
        '<v Ann>Later.',
        '',
        '00:00:01.000 --> 00:00:06.000',
        '<v Bob>First, and long.',
        '',
        '00:00:03.000 --> 00:00:04.000',
        '<v Ann>Interrupting.',
      ),
    );
    expect(transcript.utterances.map((u) => [u.index, u.text, u.startMs])).toEqual([
      [0, 'First, and long.', 1000],
      [1, 'Interrupting.', 3000],
      [2, 'Later.', 5000],
    ]);
    expect(transcript.speakers).toEqual(['Bob', 'Ann']);
  });

  it('starts a new cue at a timing line when the blank line before it is missing', () => {
    const transcript = parseWebVtt(
      vtt(
        'WEBVTT',
        '',
        '1',
        '00:00:01.000 --> 00:00:02.000',
        '<v Ann>One.',
        '2',
        '00:00:02.000 --> 00:00:03.000',
        '<v Bob>Two.',
      ),
    );
    expect(transcript.utterances.map((u) => u.text)).toEqual(['One.', 'Two.']);
  });

  it('drops empty cues', () => {
    const transcript = parseWebVtt(
      vtt(
        'WEBVTT',
        '',
        '00:00:01.000 --> 00:00:02.000',
        '<v Ann></v>',
        '',
        '00:00:02.000 --> 00:00:03.000',
        '<v Bob>Hi.',
      ),
    );
    expect(transcript.utterances.map((u) => [u.index, u.speaker])).toEqual([[0, 'Bob']]);
  });
});
