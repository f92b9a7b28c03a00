/** Generational and professional suffixes that are never the surname ("Robert Smith Jr., CFP"). */
const SUFFIXES = new Set([
  'jr',
  'sr',
  'ii',
  'iii',
  'iv',
  'v',
  'esq',
  'md',
  'phd',
  'cfp',
  'cpa',
  'cfa',
  'dds',
]);

/**
 * The term to send to a CRM's contact search for a client name: the surname. The caller matches candidates
 * itself (case, punctuation, suffixes, nicknames: "Bob Smith" must find "Robert Smith"), so the search casts the
 * net by surname rather than the full name as spoken. "Smith, Robert" puts the surname first. A name with no
 * usable word is sent as given (trimmed).
 */
export function contactSearchTerm(name: string): string {
  const trimmed = name.trim();
  const [beforeComma, afterComma] = trimmed.split(',', 2);
  // "Smith, Robert" — unless what follows the comma is only a suffix ("Robert Smith, Jr.").
  const surnameFirst = afterComma !== undefined && words(afterComma).some((word) => !isSuffix(word));
  const candidates = words(surnameFirst ? (beforeComma ?? '') : trimmed).filter((word) => !isSuffix(word));
  const surname = surnameFirst ? candidates[0] : candidates.at(-1);
  return surname ?? trimmed;
}

function words(text: string): string[] {
  // Letters, digits, apostrophes and hyphens stay ("O'Neil", "Smith-Jones"); other punctuation separates.
  return text
    .split(/[^\p{L}\p{N}'’-]+/u)
    .map((word) => word.replace(/^['’-]+|['’-]+$/g, ''))
    .filter((word) => word !== '');
}

function isSuffix(word: string): boolean {
  return SUFFIXES.has(word.toLowerCase().replace(/\./g, ''));
}
