import { describe, expect, it } from 'vitest';
import { escapeSoqlLike, escapeSoqlString } from '../../../../functions/integrations/salesforce/soql-literal';
import { parseSoql } from '../../../fakes/soql-subset';

const NASTY = [
  "O'Brien",
  "x' OR Name != '",
  "x\\' OR Name != '",
  'back\\slash\\',
  '"double" quotes',
  'line\nbreak\r\ttab',
  "'; DELETE FROM Contact --",
  '100%_sure',
  '\\%\\_',
  'Zoë Ångström-Łukasz',
];

describe('escapeSoqlString', () => {
  it('escapes backslashes first, then quotes and control characters', () => {
    expect(escapeSoqlString('a\\b\'c"d\ne')).toBe('a\\\\b\\\'c\\"d\\ne');
  });

  it.each(NASTY)('keeps %j one literal, read back exactly', (value) => {
    const query = parseSoql(`SELECT Id FROM Contact WHERE Email = '${escapeSoqlString(value)}'`);
    expect(query.conditions).toEqual([expect.objectContaining({ field: 'Email', op: '=', value })]);
  });

  it('leaves % and _ alone (they only mean something in LIKE)', () => {
    expect(escapeSoqlString('100%_')).toBe('100%_');
  });
});

describe('escapeSoqlLike', () => {
  it('also escapes the LIKE wildcards', () => {
    expect(escapeSoqlLike("50%_O'N")).toBe("50\\%\\_O\\'N");
  });

  it.each(NASTY)('keeps %j one literal that matches only itself', (value) => {
    const query = parseSoql(`SELECT Id FROM Contact WHERE Name LIKE '%${escapeSoqlLike(value)}%'`);
    expect(query.conditions).toHaveLength(1);
    const [condition] = query.conditions;
    expect(condition?.pattern.test(`prefix ${value} suffix`)).toBe(true);
    if (/[%_]/.test(value)) expect(condition?.pattern.test(value.replace(/[%_]/g, 'X'))).toBe(false);
  });

  it('an unescaped value would have broken out of the literal (the test can fail)', () => {
    expect(() => parseSoql("SELECT Id FROM Contact WHERE Name LIKE '%x' OR Name != '%'")).not.toThrow();
    expect(parseSoql("SELECT Id FROM Contact WHERE Name LIKE '%x' OR Name != '%'").conditions).toHaveLength(
      2,
    );
  });
});
