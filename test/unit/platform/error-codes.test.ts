import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../../functions/contracts/error-code';
import { ERROR_STATUS } from '../../../functions/platform/http/error-status';

const ROOT = join(import.meta.dirname, '..', '..', '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/**
 * Every code an error class of `functions/` passes to `AppError` (`super('code', …)` in a subclass, or
 * `new AppError('code', …)`), read from the source so a code smuggled past the type (a cast) is still found.
 */
function thrownCodes(): Map<string, string> {
  const codes = new Map<string, string>();
  for (const file of sourceFiles('functions')) {
    const text = readFileSync(join(ROOT, file), 'utf8');
    if (!/extends (AppError|\w+Error)\b/.test(text) && !text.includes('new AppError(')) continue;
    for (const match of text.matchAll(/(?:super|new AppError)\(\s*'([a-z_]+)'/g)) {
      codes.set(match[1] as string, file);
    }
  }
  return codes;
}

describe('error codes', () => {
  const thrown = thrownCodes();

  it('finds the codes the error classes throw', () => {
    expect(thrown.size).toBeGreaterThan(30);
  });

  it('gives every thrown code an HTTP status', () => {
    const missing = [...thrown].filter(([code]) => !(code in ERROR_STATUS)).map(([c, f]) => `${c} (${f})`);
    expect(missing).toEqual([]);
  });

  it('declares every thrown code in the ErrorCode union, and nothing that is never thrown', () => {
    expect([...thrown.keys()].sort()).toEqual([...ERROR_CODES].sort());
  });

  it('maps each code to a 4xx or 5xx status', () => {
    for (const [code, status] of Object.entries(ERROR_STATUS)) {
      expect({ code, ok: status >= 400 && status <= 599 }).toEqual({ code, ok: true });
    }
  });
});
