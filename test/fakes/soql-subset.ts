/** A condition of a parsed WHERE clause: `field op 'literal'`. */
export interface SoqlCondition {
  field: string;
  op: '=' | '!=' | 'LIKE';
  /** The literal as Salesforce reads it (escapes resolved). */
  value: string;
  /** For LIKE: the literal as a regular expression (unescaped `%` and `_` are wildcards). */
  pattern: RegExp;
}

export interface SoqlQuery {
  fields: string[];
  object: string;
  conditions: SoqlCondition[];
  joiner: 'AND' | 'OR';
  orderBy?: string;
  limit?: number;
}

export class SoqlSyntaxError extends Error {}

type Token =
  | { kind: 'word'; text: string }
  | { kind: 'string'; value: string; pattern: string }
  | { kind: 'number'; value: number }
  | { kind: 'symbol'; text: string };

const ESCAPES: Readonly<Record<string, string>> = {
  '\\': '\\',
  "'": "'",
  '"': '"',
  n: '\n',
  r: '\r',
  t: '\t',
  b: '\b',
  f: '\f',
};

const regexLiteral = (char: string) => char.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

function tokenize(soql: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < soql.length) {
    const char = soql.charAt(i);
    if (/\s/.test(char)) {
      i++;
    } else if (char === "'") {
      let value = '';
      let pattern = '';
      i++;
      for (;;) {
        if (i >= soql.length) throw new SoqlSyntaxError('unterminated string literal');
        const c = soql.charAt(i);
        if (c === "'") {
          i++;
          break;
        }
        if (c === '\\') {
          const next = soql.charAt(i + 1);
          if (next === '%' || next === '_') {
            value += next;
            pattern += regexLiteral(next);
          } else if (ESCAPES[next] !== undefined) {
            value += ESCAPES[next];
            pattern += regexLiteral(ESCAPES[next] ?? '');
          } else {
            throw new SoqlSyntaxError(`invalid escape sequence \\${next}`);
          }
          i += 2;
          continue;
        }
        value += c;
        pattern += c === '%' ? '.*' : c === '_' ? '.' : regexLiteral(c);
        i++;
      }
      tokens.push({ kind: 'string', value, pattern });
    } else if (/\d/.test(char)) {
      const match = /^\d+/.exec(soql.slice(i))?.[0] ?? '';
      tokens.push({ kind: 'number', value: Number(match) });
      i += match.length;
    } else if (/[A-Za-z_]/.test(char)) {
      const match = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(soql.slice(i))?.[0] ?? '';
      tokens.push({ kind: 'word', text: match });
      i += match.length;
    } else if (soql.startsWith('!=', i)) {
      tokens.push({ kind: 'symbol', text: '!=' });
      i += 2;
    } else if (',=()'.includes(char)) {
      tokens.push({ kind: 'symbol', text: char });
      i++;
    } else {
      throw new SoqlSyntaxError(`unexpected character '${char}'`);
    }
  }
  return tokens;
}

/**
 * Parses the small part of SOQL the Salesforce fake needs — `SELECT f, … FROM Object [WHERE f op 'x' (AND|OR …)]
 * [ORDER BY f [ASC|DESC]] [LIMIT n]` — the way Salesforce reads string literals (backslash escapes; `%`/`_`
 * wildcards in LIKE unless escaped). Anything else is a syntax error, so a value that escaped its literal
 * (an injection) fails or becomes a visible extra clause instead of silently matching.
 */
export function parseSoql(soql: string): SoqlQuery {
  const tokens = tokenize(soql);
  let at = 0;
  const peek = () => tokens[at];
  const keyword = (word: string) => {
    const token = peek();
    if (token?.kind === 'word' && token.text.toUpperCase() === word) {
      at++;
      return true;
    }
    return false;
  };
  const expectKeyword = (word: string) => {
    if (!keyword(word)) throw new SoqlSyntaxError(`expected ${word}`);
  };
  const identifier = () => {
    const token = tokens[at++];
    if (token?.kind !== 'word') throw new SoqlSyntaxError('expected a field or object name');
    return token.text;
  };

  expectKeyword('SELECT');
  const fields = [identifier()];
  while (peek()?.kind === 'symbol' && (peek() as { text: string }).text === ',') {
    at++;
    fields.push(identifier());
  }
  expectKeyword('FROM');
  const object = identifier();
  const conditions: SoqlCondition[] = [];
  let joiner: 'AND' | 'OR' | undefined;
  if (keyword('WHERE')) {
    for (;;) {
      const field = identifier();
      const opToken = tokens[at++];
      const op =
        opToken?.kind === 'symbol' && (opToken.text === '=' || opToken.text === '!=')
          ? opToken.text
          : opToken?.kind === 'word' && opToken.text.toUpperCase() === 'LIKE'
            ? 'LIKE'
            : undefined;
      if (!op) throw new SoqlSyntaxError('expected =, != or LIKE');
      const literal = tokens[at++];
      if (literal?.kind !== 'string') throw new SoqlSyntaxError('expected a string literal');
      conditions.push({ field, op, value: literal.value, pattern: new RegExp(`^${literal.pattern}$`, 'is') });
      const next = keyword('AND') ? 'AND' : keyword('OR') ? 'OR' : undefined;
      if (!next) break;
      if (joiner && joiner !== next) throw new SoqlSyntaxError('mixing AND and OR needs parentheses');
      joiner = next;
    }
  }
  let orderBy: string | undefined;
  if (keyword('ORDER')) {
    expectKeyword('BY');
    orderBy = identifier();
    if (!keyword('ASC')) keyword('DESC');
  }
  let limit: number | undefined;
  if (keyword('LIMIT')) {
    const token = tokens[at++];
    if (token?.kind !== 'number') throw new SoqlSyntaxError('expected a number after LIMIT');
    limit = token.value;
  }
  if (at < tokens.length) throw new SoqlSyntaxError('unexpected token after the end of the query');
  return {
    fields,
    object,
    conditions,
    joiner: joiner ?? 'AND',
    ...(orderBy ? { orderBy } : {}),
    ...(limit !== undefined ? { limit } : {}),
  };
}

/** Whether a record satisfies the parsed WHERE clause (string comparisons are case-insensitive, as in SOQL). */
export function soqlMatches(query: SoqlQuery, record: Readonly<Record<string, string | null>>): boolean {
  if (query.conditions.length === 0) return true;
  const results = query.conditions.map((condition) => {
    const value = record[condition.field] ?? '';
    if (condition.op === 'LIKE') return condition.pattern.test(value);
    const equal = value.toLowerCase() === condition.value.toLowerCase();
    return condition.op === '=' ? equal : !equal;
  });
  return query.joiner === 'AND' ? results.every(Boolean) : results.some(Boolean);
}
