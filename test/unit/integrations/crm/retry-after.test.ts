import { describe, expect, it } from 'vitest';
import { parseRetryAfter } from '../../../../functions/integrations/crm/retry-after';

const NOW = Date.parse('2026-12-02T05:00:00Z');
const CAP = 30_000;

describe('parseRetryAfter', () => {
  it.each([
    ['0', 0],
    ['7', 7000],
    [' 12 ', 12_000],
    ['3600', CAP],
  ])('reads delay-seconds %j as %i ms (capped)', (header, ms) => {
    expect(parseRetryAfter(header, NOW, CAP)).toBe(ms);
  });

  it('reads an HTTP-date relative to now', () => {
    expect(parseRetryAfter('Wed, 02 Dec 2026 05:00:09 GMT', NOW, CAP)).toBe(9000);
  });

  it('caps a far HTTP-date and floors a past one at 0', () => {
    expect(parseRetryAfter('Wed, 02 Dec 2026 06:00:00 GMT', NOW, CAP)).toBe(CAP);
    expect(parseRetryAfter('Tue, 01 Dec 2026 05:00:00 GMT', NOW, CAP)).toBe(0);
  });

  it.each([undefined, null, '', '-5', '1.5', '1e3', 'soon', 'Xyz, 99 Foo 2026'])(
    'gives up on %j so the caller backs off',
    (header) => {
      expect(parseRetryAfter(header, NOW, CAP)).toBeUndefined();
    },
  );
});
