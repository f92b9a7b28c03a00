const MAX_SHOWN = 60;

/** A line of the file as an error message quotes it: trimmed, and cut at 60 characters so reasons stay short. */
export function quoteLine(line: string): string {
  const trimmed = line.trim();
  return `'${trimmed.length > MAX_SHOWN ? `${trimmed.slice(0, MAX_SHOWN)}…` : trimmed}'`;
}
