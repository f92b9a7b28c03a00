/** SOQL's escape sequences inside a single-quoted string literal (SOQL reference, "Quoted String Escape Sequences"). */
const STRING_ESCAPES: Readonly<Record<string, string>> = {
  '\\': '\\\\',
  "'": "\\'",
  '"': '\\"',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\b': '\\b',
  '\f': '\\f',
};

/**
 * A value as the inside of a SOQL string literal (`'...'`): backslashes, quotes and control characters escaped,
 * so a client called `O'Brien' OR Name != '` stays a name and never becomes a clause.
 */
export function escapeSoqlString(value: string): string {
  return value.replace(/[\\'"\n\r\t\b\f]/g, (char) => STRING_ESCAPES[char] ?? char);
}

/** As `escapeSoqlString`, for the pattern of a `LIKE`: `%` and `_` in the value match themselves, not anything. */
export function escapeSoqlLike(value: string): string {
  return escapeSoqlString(value).replace(/[%_]/g, (char) => `\\${char}`);
}
