import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rateWindowKeys } from '../../../functions/adapters/store/keys/rate-window-keys';
import { fixedWindow } from '../../../functions/adapters/store/rate-limit-window';

const T0 = Date.UTC(2031, 0, 1, 0, 0, 0);

describe('fixed rate-limit windows', () => {
  it('aligns windows to the epoch and answers the rest of the window as Retry-After', () => {
    expect(fixedWindow(T0 + 10_000, 60)).toEqual({
      startSeconds: T0 / 1000,
      endSeconds: T0 / 1000 + 60,
      retryAfterSeconds: 50,
    });
  });

  it('rounds a partial second up, so a caller never retries before the window ends', () => {
    expect(fixedWindow(T0 + 10_001, 60).retryAfterSeconds).toBe(50);
    expect(fixedWindow(T0 + 9_999, 60).retryAfterSeconds).toBe(51);
  });

  it('starts a new window exactly at the boundary and never answers less than 1 second', () => {
    expect(fixedWindow(T0 + 60_000, 60).startSeconds).toBe(T0 / 1000 + 60);
    expect(fixedWindow(T0 + 59_999, 60).retryAfterSeconds).toBe(1);
    expect(fixedWindow(T0 + 59_999, 60).startSeconds).toBe(T0 / 1000);
  });

  it('holds now inside [start, end) with a Retry-After between 1 and the window length', () => {
    fc.assert(
      fc.property(fc.nat({ max: 4_102_444_800_000 }), fc.integer({ min: 1, max: 86_400 }), (now, seconds) => {
        const w = fixedWindow(now, seconds);
        expect(w.startSeconds * 1000).toBeLessThanOrEqual(now);
        expect(w.endSeconds * 1000).toBeGreaterThan(now);
        expect(w.endSeconds - w.startSeconds).toBe(seconds);
        expect(w.startSeconds % seconds).toBe(0);
        expect(w.retryAfterSeconds).toBeGreaterThanOrEqual(1);
        expect(w.retryAfterSeconds).toBeLessThanOrEqual(seconds);
      }),
    );
  });

  it('rejects a window length that is not a positive integer and a clock that is not epoch ms', () => {
    expect(() => fixedWindow(T0, 0)).toThrow(RangeError);
    expect(() => fixedWindow(T0, 1.5)).toThrow(RangeError);
    expect(() => fixedWindow(Number.NaN, 60)).toThrow(RangeError);
  });
});

describe('rate-limit counter keys', () => {
  it('keeps the subject out of the key in clear and separates classes and windows', () => {
    const keys = rateWindowKeys('auth', 'ip:203.0.113.9', 1_924_992_000);
    expect(keys.pk).toMatch(/^G#RATE#auth#[0-9a-f]{64}$/);
    expect(keys.pk).not.toContain('203.0.113.9');
    expect(keys.sk).toBe('W#1924992000');
    expect(rateWindowKeys('ai', 'ip:203.0.113.9', 1_924_992_000).pk).not.toBe(keys.pk);
    expect(rateWindowKeys('auth', 'ip:203.0.113.10', 1_924_992_000).pk).not.toBe(keys.pk);
  });
});
