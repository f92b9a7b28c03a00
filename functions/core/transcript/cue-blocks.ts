/** A run of non-blank lines of a subtitle file: a cue, or a WebVTT NOTE/STYLE/REGION block. */
export interface CueBlock {
  /** The 1-based line number of `lines[0]`, for error messages. */
  line: number;
  lines: string[];
}

/** Splits text on CRLF, CR or LF, the three line endings WebVTT and SRT files use; a byte-order mark is dropped. */
export function splitLines(text: string): string[] {
  return (text.startsWith('\uFEFF') ? text.slice(1) : text).split(/\r\n|\r|\n/);
}

/** A line that states a cue timing; the WebVTT parsing algorithm decides by this substring alone. */
export function isTimingLine(line: string): boolean {
  return line.includes('-->');
}

const IDENTIFIER = /^\s*(?:\d+|[\da-f]{8}-[\da-f]{4}-[\da-f]{4}-[\da-f]{4}-[\da-f]{12}\/\d+-\d+)\s*$/i;

/** A numeric (`12`) or Teams-style (`<guid>/12-0`) cue identifier. */
export function isCueIdentifier(line: string): boolean {
  return IDENTIFIER.test(line);
}

/**
 * The blocks of `lines` from index `from`, separated by blank (or whitespace-only) lines. A timing line inside a
 * cue's text starts a new cue, as the WebVTT parsing algorithm does when a blank line is missing; the line just
 * before it goes with the new cue when it looks like a cue identifier.
 */
export function cueBlocks(lines: readonly string[], from = 0): CueBlock[] {
  const blocks: CueBlock[] = [];
  let current: CueBlock | undefined;
  for (let i = from; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (line.trim() === '') {
      current = undefined;
      continue;
    }
    if (current === undefined) {
      current = { line: i + 1, lines: [] };
      blocks.push(current);
    } else if (isTimingLine(line) && current.lines.some(isTimingLine)) {
      const previous = current.lines.at(-1) ?? '';
      const carried = isCueIdentifier(previous) ? current.lines.splice(-1) : [];
      current = { line: i + 1 - carried.length, lines: carried };
      blocks.push(current);
    }
    current.lines.push(line);
  }
  return blocks;
}
