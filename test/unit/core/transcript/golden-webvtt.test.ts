import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseTranscriptFile } from '../../../../functions/core/transcript/detect-transcript-format';
import { TranscriptSchema } from '../../../../functions/core/transcript/transcript';

const repoRoot = join(import.meta.dirname, '..', '..', '..', '..');
const goldenDir = join(repoRoot, '..', 'shared', 'golden');

interface Labels {
  advisor: string;
  clients: string[];
  action_items: { evidence: string }[];
  client_facts: { evidence: string }[];
  compliance_flags: { evidence: string; speaker: string }[];
  not_flags: { evidence: string }[];
}

const meetings = readdirSync(goldenDir)
  .filter((name) => /^meeting-0\d\.vtt$/.test(name))
  .sort()
  .map((name) => {
    const vtt = readFileSync(join(goldenDir, name));
    const labels = JSON.parse(readFileSync(join(goldenDir, name.replace('.vtt', '.json')), 'utf8')) as Labels;
    return { name, vtt, raw: vtt.toString('utf8'), labels };
  });

/** The file read the way the golden README defines a cue's text: the line after the timing, voice tags removed. */
function rawCues(raw: string) {
  const lines = raw.split('\n');
  return lines.flatMap((line, i) => {
    const timing = /^(\d{2}):(\d{2}):(\d{2})\.(\d{3}) --> (\d{2}):(\d{2}):(\d{2})\.(\d{3})$/.exec(line);
    if (!timing) return [];
    const [h1, m1, s1, ms1, h2, m2, s2, ms2] = timing.slice(1).map(Number) as number[];
    const ms = (h = 0, m = 0, s = 0, x = 0) => ((h * 60 + m) * 60 + s) * 1000 + x;
    const voice = /^<v ([^>]+)>(.*?)(?:<\/v>)?$/.exec(lines[i + 1] ?? '');
    return [
      { startMs: ms(h1, m1, s1, ms1), endMs: ms(h2, m2, s2, ms2), label: voice?.[1], text: voice?.[2] },
    ];
  });
}

describe('the golden WebVTT meetings', () => {
  it('are all there', () => {
    expect(meetings.map((m) => m.name)).toEqual([1, 2, 3, 4, 5, 6].map((n) => `meeting-0${n}.vtt`));
  });

  describe.each(meetings)('$name', ({ name, vtt, raw, labels }) => {
    const transcript = parseTranscriptFile(vtt, { fileName: name, contentType: 'text/vtt' });
    const cues = rawCues(raw);

    it('parses into a valid transcript, one utterance per cue', () => {
      expect(TranscriptSchema.parse(transcript)).toEqual(transcript);
      expect(transcript.source).toBe('webvtt');
      expect(cues.length).toBe(raw.split('\n').filter((line) => line.includes('-->')).length);
      expect(transcript.utterances).toHaveLength(cues.length);
    });

    it('keeps every cue text byte-exact and every timing to the millisecond', () => {
      for (const [i, cue] of cues.entries()) {
        const u = transcript.utterances[i];
        expect(u?.text).toBe(cue.text);
        expect([u?.startMs, u?.endMs]).toEqual([cue.startMs, cue.endMs]);
      }
    });

    it('names speakers by their bare names and flags the adviser', () => {
      const labelled = new Set(cues.map((cue) => cue.label?.replace(' (Advisor)', '')));
      expect(new Set(transcript.speakers)).toEqual(labelled);
      expect(transcript.speakers).toEqual(expect.arrayContaining([labels.advisor, ...labels.clients]));
      for (const u of transcript.utterances) {
        expect(u.role === 'advisor').toBe(u.speaker === labels.advisor);
      }
    });

    it('finds every evidence string in exactly one utterance', () => {
      const evidence = [
        ...labels.action_items,
        ...labels.client_facts,
        ...labels.compliance_flags,
        ...labels.not_flags,
      ].map((item) => item.evidence);
      expect(evidence.length).toBeGreaterThan(0);
      for (const quote of evidence) {
        const holders = transcript.utterances.filter((u) => u.text.includes(quote));
        expect(holders, quote).toHaveLength(1);
      }
    });

    it('attributes each compliance flag to the labelled speaker', () => {
      for (const flag of labels.compliance_flags) {
        expect(transcript.utterances.find((u) => u.text.includes(flag.evidence))?.speaker).toBe(flag.speaker);
      }
    });

    it('keeps cross-talk cues in start order', () => {
      const overlapping = (list: readonly { startMs: number; endMs: number }[]) =>
        list.filter((cue, i) => i > 0 && cue.startMs < (list[i - 1]?.endMs ?? 0)).length;
      expect(overlapping(transcript.utterances)).toBe(overlapping(cues));
    });
  });

  it('include cross-talk', () => {
    const overlaps = meetings.flatMap(({ raw }) =>
      rawCues(raw).filter((cue, i, all) => i > 0 && cue.startMs < (all[i - 1]?.endMs ?? 0)),
    );
    expect(overlaps.length).toBeGreaterThan(0);
  });
});
