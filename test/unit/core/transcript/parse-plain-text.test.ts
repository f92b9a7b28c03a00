import { describe, expect, it } from 'vitest';
import { parsePlainText } from '../../../../functions/core/transcript/parse-plain-text';

describe('parsePlainText', () => {
  it('reads Name: lines; lines without a prefix continue the turn; no timestamps means all timings 0', () => {
    const transcript = parsePlainText(
      [
        'Renata Okafor (Advisor): Good morning.',
        'How were the holidays?',
        '',
        'Doug Pruitt: Good — we spent $2,000.',
        'Doug Pruitt: Too much.',
      ].join('\n'),
    );
    expect(transcript).toEqual({
      source: 'text',
      utterances: [
        {
          index: 0,
          speaker: 'Renata Okafor',
          role: 'advisor',
          startMs: 0,
          endMs: 0,
          text: 'Good morning. How were the holidays?',
        },
        { index: 1, speaker: 'Doug Pruitt', startMs: 0, endMs: 0, text: 'Good — we spent $2,000.' },
        { index: 2, speaker: 'Doug Pruitt', startMs: 0, endMs: 0, text: 'Too much.' },
      ],
      durationMs: 0,
      speakers: ['Renata Okafor', 'Doug Pruitt'],
    });
  });

  it('reads [HH:MM:SS] timestamps; an utterance ends where the next starts', () => {
    const transcript = parsePlainText(
      '[00:01:02] Ann Lee: Hello.\n[00:01:10] Bob: Hi there,\nhow are you?\n(01:02:03) Ann Lee: Fine.\n',
    );
    expect(transcript.utterances.map((u) => [u.speaker, u.startMs, u.endMs, u.text])).toEqual([
      ['Ann Lee', 62_000, 70_000, 'Hello.'],
      ['Bob', 70_000, 3_723_000, 'Hi there, how are you?'],
      ['Ann Lee', 3_723_000, 3_723_000, 'Fine.'],
    ]);
    expect(transcript.durationMs).toBe(3_723_000);
  });

  it("reads Otter's `Name  m:ss` header lines", () => {
    const transcript = parsePlainText('Speaker 1  0:03\nHello there.\n\nSpeaker 2  1:15\nHi.\nYes.\n');
    expect(transcript.utterances.map((u) => [u.speaker, u.startMs, u.text])).toEqual([
      ['Speaker 1', 3000, 'Hello there.'],
      ['Speaker 2', 75_000, 'Hi. Yes.'],
    ]);
  });

  it('calls text before any prefix, and a timestamp without a name, Unknown; 10:30 at a line start is speech', () => {
    const transcript = parsePlainText(
      'Just notes from the call.\n10:30 works for me.\n[00:00:05] and a stamped line\n',
    );
    expect(transcript.utterances.map((u) => [u.speaker, u.text])).toEqual([
      ['Unknown', 'Just notes from the call. 10:30 works for me.'],
      ['Unknown', 'and a stamped line'],
    ]);
  });

  it("reads Google Meet's Doc export: title, attendees and closing line dropped, HH:MM:SS lines time what follows", () => {
    const transcript = parsePlainText(
      [
        '\uFEFFAnnual review (2026-01-20 10:00 GMT-5) - Transcript',
        'Attendees',
        'Renata Okafor, Doug Pruitt, Melanie Pruitt',
        'Transcript',
        'This editable transcript was computer generated and might contain errors. People can also change the text after it was created.',
        '00:00:00',
        '',
        'Renata Okafor: Good morning, both of you.',
        'Doug Pruitt: Morning. We want to talk about the 529.',
        'It is for Emma.',
        '00:05:00',
        '',
        'Melanie Pruitt: And the roof: about $20,000.',
        'Renata Okafor: Noted.',
        'Meeting ended after 00:06:12 👋',
        '',
      ].join('\n'),
    );
    expect(transcript.utterances.map((u) => [u.speaker, u.startMs, u.endMs, u.text])).toEqual([
      ['Renata Okafor', 0, 0, 'Good morning, both of you.'],
      ['Doug Pruitt', 0, 300_000, 'Morning. We want to talk about the 529. It is for Emma.'],
      ['Melanie Pruitt', 300_000, 300_000, 'And the roof: about $20,000.'],
      ['Renata Okafor', 300_000, 300_000, 'Noted.'],
    ]);
    expect(transcript.speakers).toEqual(['Renata Okafor', 'Doug Pruitt', 'Melanie Pruitt']);
  });

  it('keeps a file that merely mentions Attendees as speech, and a bare 10:30 line as speech', () => {
    const transcript = parsePlainText('Ann Lee: Attendees\nwere many.\n10:30\nBob: Transcript\n');
    expect(transcript.utterances.map((u) => [u.speaker, u.text])).toEqual([
      ['Ann Lee', 'Attendees were many. 10:30'],
      ['Bob', 'Transcript'],
    ]);
  });

  it('refuses a Meet section time with minutes over 59, naming the line', () => {
    expect(() => parsePlainText('Ann: Hi.\n00:75:00\nBob: Hello.\n')).toThrow(/^line 2: timestamp/);
  });
});
