import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { parseTranscriptFile } from '../../functions/core/transcript/detect-transcript-format';
import type { LabelledTranscript } from './evaluate-extractor';
import { LabelledMeetingSchema } from './labelled-meeting';

const TRANSCRIPT_EXTENSIONS = ['.vtt', '.srt', '.txt'];

/**
 * Labelled meetings in the format of `../shared/golden/`: every `NAME.json` with a transcript beside it
 * (`NAME.vtt`, `.srt` or `.txt`), in name order. A label file that fails its schema, or one without a transcript,
 * is an error naming the file.
 */
export async function loadLabelledMeetings(dir: string): Promise<LabelledTranscript[]> {
  const names = (await readdir(dir)).filter((name) => name.endsWith('.json')).sort();
  const meetings: LabelledTranscript[] = [];
  for (const name of names) {
    const stem = basename(name, '.json');
    const transcriptFile = TRANSCRIPT_EXTENSIONS.map((ext) => join(dir, `${stem}${ext}`)).find((file) =>
      existsSync(file),
    );
    if (!transcriptFile)
      throw new Error(`${join(dir, name)}: no transcript beside it (${TRANSCRIPT_EXTENSIONS.join(', ')})`);
    const parsed = LabelledMeetingSchema.safeParse(JSON.parse(await readFile(join(dir, name), 'utf8')));
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new Error(`${join(dir, name)}: ${issue?.path.join('.') ?? ''} ${issue?.message ?? 'invalid'}`);
    }
    const transcript = parseTranscriptFile(await readFile(transcriptFile), {
      fileName: basename(transcriptFile),
    });
    meetings.push({ labels: parsed.data, transcript });
  }
  return meetings;
}
