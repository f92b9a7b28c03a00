import { NICKNAMES } from './name-nicknames';

const SUFFIXES = new Set(['jr', 'sr', 'ii', 'iii', 'iv', 'v', 'esq', 'cfp', 'md', 'phd']);
const HONORIFICS = new Set(['mr', 'mrs', 'ms', 'miss', 'mx', 'dr', 'prof']);

/** Lower case, no diacritics, punctuation as spaces (apostrophes dropped: O'Brien = OBrien), split into words. */
function words(name: string): string[] {
  return name
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/['’`]/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .split(' ')
    .filter((w) => w.length > 0);
}

const isNoise = (w: string) => SUFFIXES.has(w) || HONORIFICS.has(w);

/**
 * The comparable form of a person's name: `first last`, with case, diacritics, punctuation, honorifics,
 * suffixes (Jr., Sr., II, III…) and middle names or initials removed, the given name mapped from a common
 * nickname to the formal one, and "Last, First" turned round. `undefined` when fewer than two name words remain
 * (a single word is too weak to link a client's notes to a record).
 */
export function personNameKey(name: string): string | undefined {
  const comma = name.indexOf(',');
  let parts = words(name);
  if (comma >= 0) {
    const before = words(name.slice(0, comma));
    const after = words(name.slice(comma + 1));
    // "Smith, Robert J." is family-name first; "Robert Smith, Jr." only moves a suffix behind a comma.
    if (after.some((w) => !isNoise(w))) parts = [...after, ...before];
  }
  const kept = parts.filter((w) => !isNoise(w));
  if (kept.length < 2) return undefined;
  const first = kept[0] as string;
  const last = kept[kept.length - 1] as string;
  return `${NICKNAMES[first] ?? first} ${last}`;
}
