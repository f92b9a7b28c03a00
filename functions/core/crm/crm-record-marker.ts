/**
 * The marker that ties a CRM note or task back to the Smart Advisor OS record that created it. It is the last
 * line of the note body / task description, so a re-run sync (or a person reading the CRM) can tell which
 * meeting wrote it, even when the remote id was never stored (a crash between the CRM's answer and our write).
 */
const MARKER_PATTERN = /\[smartad:([^\]\s]+)\]/;

/** `[smartad:<externalId>]`. External ids carry no spaces or brackets (`<meetingId>:task:<actionItemId>`). */
export function formatRecordMarker(externalId: string): string {
  if (!/^[^\]\s[]+$/.test(externalId)) {
    throw new Error('An external id for a CRM marker must be non-empty, without spaces or brackets.');
  }
  return `[smartad:${externalId}]`;
}

/** The text followed by a blank line and the marker as its last line. */
export function appendRecordMarker(text: string, externalId: string): string {
  const body = text.trimEnd();
  const marker = formatRecordMarker(externalId);
  return body === '' ? marker : `${body}\n\n${marker}`;
}

/** The external id in a marker anywhere in the text, or undefined. */
export function readRecordMarker(text: string): string | undefined {
  return MARKER_PATTERN.exec(text)?.[1];
}
