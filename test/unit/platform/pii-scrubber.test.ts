import { describe, expect, it } from 'vitest';
import { Logger } from '../../../functions/platform/logging/logger';
import { scrub, scrubString } from '../../../functions/platform/logging/pii-scrubber';

describe('scrubString', () => {
  it.each([
    ['email', 'contact doug.pruitt@example.com today', 'doug.pruitt@example.com'],
    ['SSN with dashes', 'my social is 123-45-6789 ok', '123-45-6789'],
    ['SSN with spaces', 'it is 123 45 6789', '123 45 6789'],
    ['US phone with parens', 'call (614) 555-0142', '(614) 555-0142'],
    ['US phone with dots', 'call 614.555.0142', '614.555.0142'],
    ['US phone with country code', 'call +1 614 555 0142', '614 555 0142'],
    ['account number', 'account 4417123456789113 please', '4417123456789113'],
    ['grouped card number', 'card 4417 1234 5678 9113', '4417 1234 5678 9113'],
    ['bearer token', 'Authorization: Bearer abc.DEF-123_x', 'abc.DEF-123_x'],
    ['bare JWT', 'token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig-nature', 'eyJhbGciOiJIUzI1NiJ9'],
  ])('removes a %s', (_kind, input, secret) => {
    const out = scrubString(input);
    expect(out).not.toContain(secret);
    expect(out).toContain('[REDACTED');
  });

  it('leaves ordinary text, dates, money and short numbers alone', () => {
    const text = 'Meeting on 2026-01-20 about $1.18 million, 401(k) at 6%, room 1204';
    expect(scrubString(text)).toBe(text);
  });
});

describe('scrub', () => {
  it('redacts sensitive keys whatever their value looks like', () => {
    const out = scrub({ password: 'hunter2hunter2', Refresh_Token: 'x', headers: { authorization: 'abc' } });
    expect(out).toEqual({
      password: '[REDACTED]',
      Refresh_Token: '[REDACTED]',
      headers: { authorization: '[REDACTED]' },
    });
  });

  it('scrubs nested strings, arrays and error messages and causes', () => {
    const error = new Error('failed for jane@example.com', { cause: new Error('ssn 123-45-6789') });
    const out = JSON.stringify(scrub({ list: ['call 614-555-0142'], error }));
    expect(out).not.toMatch(/jane@example\.com|123-45-6789|614-555-0142/);
    expect(out).toContain('[REDACTED_EMAIL]');
  });

  it('survives cycles and binary values', () => {
    const a: Record<string, unknown> = { bytes: new Uint8Array(4) };
    a.self = a;
    expect(scrub(a)).toEqual({ bytes: '[4 bytes]', self: '[Circular]' });
  });
});

describe('Logger', () => {
  it('writes one scrubbed JSON line per entry with persistent keys, honouring the level', () => {
    const lines: string[] = [];
    const log = new Logger({ service: 's', level: 'info', sink: (l) => lines.push(l) }).child({
      request_id: 'r1',
    });
    log.debug('hidden');
    log.info('client doug@example.com signed in', { ssn: '123-45-6789', note: 'acct 12345678901' });
    expect(lines).toHaveLength(1);
    const entry = JSON.parse(lines[0] ?? '{}');
    expect(entry).toMatchObject({ level: 'info', service: 's', request_id: 'r1', ssn: '[REDACTED]' });
    expect(entry.message).toBe('client [REDACTED_EMAIL] signed in');
    expect(entry.note).toBe('acct [REDACTED_ACCOUNT]');
  });
});
