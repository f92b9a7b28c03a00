import type * as z from 'zod';
import { MalformedTranscriptError } from './errors';

/**
 * A vendor response as given: already-parsed JSON (what the pipeline fetched from the vendor) is returned as is,
 * a string is parsed as JSON text (an uploaded file).
 *
 * @throws MalformedTranscriptError with the line and column of a JSON syntax error.
 */
export function readJson(input: unknown, format?: 'assemblyai' | 'deepgram'): unknown {
  if (typeof input !== 'string') return input;
  try {
    return JSON.parse(input);
  } catch (error) {
    const engine = error instanceof Error ? error.message.replace(/\s*\(line \d+ column \d+\)$/, '') : '';
    const position = /at position (\d+)/.exec(engine)?.[1];
    const where = position === undefined ? '' : `${lineAndColumn(input, Number(position))}: `;
    throw new MalformedTranscriptError(`${where}the file is not valid JSON (${engine})`, {
      format,
      cause: error,
    });
  }
}

function lineAndColumn(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return `line ${line}, column ${offset - before.lastIndexOf('\n')}`;
}

/** `utterances[3].start: Invalid input: expected number, received string` — the first thing wrong, with its place. */
export function describeFirstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'does not match the expected shape';
  const path = issue.path
    .map((part, i) => (typeof part === 'number' ? `[${part}]` : `${i === 0 ? '' : '.'}${String(part)}`))
    .join('');
  return path ? `${path}: ${issue.message}` : issue.message;
}
