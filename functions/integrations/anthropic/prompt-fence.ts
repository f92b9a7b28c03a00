/** The tags that fence the parts of a user turn. */
export const FENCE_TAGS = [
  'meeting_context',
  'transcript',
  'meeting_record',
  'adviser_instructions',
  'part_of_meeting',
] as const;
export type FenceTag = (typeof FENCE_TAGS)[number];

// Any opening or closing form of a fence tag, however spaced or cased: "</transcript>", "< / Transcript >".
const FENCE_TAG_TEXT = new RegExp(`<(\\s*/?\\s*)(${FENCE_TAGS.join('|')})(?=[\\s/>]|$)`, 'gi');

/** `text` with every fence tag in it escaped (`<` → `&lt;`), so data can neither close its fence nor open another. */
export function neutraliseFences(text: string): string {
  return text.replace(FENCE_TAG_TEXT, '&lt;$1$2');
}

/** `content` inside `<tag>…</tag>`, its own fence-tag text neutralised: the only tags in the part are ours. */
export function fenced(tag: FenceTag, content: string): string {
  return `<${tag}>\n${neutraliseFences(content)}\n</${tag}>`;
}
