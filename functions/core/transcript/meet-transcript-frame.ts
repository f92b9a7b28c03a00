/**
 * Google Meet's transcript Doc, exported as text, frames the speech: a title line ending `- Transcript`, an
 * `Attendees` heading with the names on the next line, a `Transcript` heading (sometimes followed by the
 * "This editable transcript was computer generated…" disclaimer) and, last, `Meeting ended after HH:MM:SS`.
 * None of it is speech. Returns the 0-based indexes of those lines, empty for any other file.
 */
export function meetFrameLines(lines: readonly string[]): ReadonlySet<number> {
  const skip = new Set<number>();
  const firstLines = lines.slice(0, 12).map((line) => line.trim());
  const attendees = firstLines.indexOf('Attendees');
  const heading = firstLines.indexOf('Transcript', attendees + 1);
  if (attendees < 0 || heading < 0) return skip;
  for (let i = 0; i <= heading; i += 1) skip.add(i);
  if (/^This editable transcript was computer generated/i.test(firstLines[heading + 1] ?? ''))
    skip.add(heading + 1);
  for (let i = lines.length - 1; i > heading; i -= 1) {
    const line = lines[i]?.trim() ?? '';
    if (line === '') continue;
    if (/^Meeting ended after \d{1,2}:\d{2}:\d{2}\b/.test(line)) skip.add(i);
    break;
  }
  return skip;
}
