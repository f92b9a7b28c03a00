import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CRM_NAMES } from '../../functions/integrations/crm-registry';
import { TRANSCRIPTION_REGISTRY } from '../../functions/integrations/transcription-registry';

const ROOT = join(import.meta.dirname, '..', '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** Every module specifier a file imports (static, dynamic, re-exports), relative ones resolved to the repository. */
function importsOf(file: string): string[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const specifiers = [...text.matchAll(/(?:from|import)\s*\(?\s*['"]([^'"]+)['"]/g)].map(
    (m) => m[1] as string,
  );
  return specifiers.map((s) =>
    s.startsWith('.') ? normalize(relative(ROOT, join(ROOT, dirname(file), s))) : s,
  );
}

describe('the layer directions of DESIGN.md §2', () => {
  const runtime = sourceFiles('functions');

  it('finds the runtime code it checks', () => {
    expect(runtime.length).toBeGreaterThan(100);
  });

  it('never lets code that runs in a Lambda import lib/ (infrastructure and the local host)', () => {
    const offenders = runtime.flatMap((file) =>
      importsOf(file)
        .filter((target) => target === 'lib' || target.startsWith('lib/'))
        .map((target) => `${file} → ${target}`),
    );
    expect(offenders).toEqual([]);
  });

  it('keeps core free of adapters, integrations, handlers, composition and SDKs', () => {
    const forbidden = [
      /^functions\/(adapters|integrations|http|pipeline|events|webhooks)\//,
      /^@aws-sdk\//,
      /^@anthropic-ai\//,
      /^assemblyai/,
    ];
    const offenders = sourceFiles('functions/core').flatMap((file) =>
      importsOf(file)
        .filter((target) => forbidden.some((rule) => rule.test(target)))
        .map((target) => `${file} → ${target}`),
    );
    expect(offenders).toEqual([]);
  });

  /** The core files that name one of `vendors` (whole words, any case), with the names. */
  const naming = (dir: string, vendors: readonly string[]) =>
    sourceFiles(dir).flatMap((file) => {
      const text = readFileSync(join(ROOT, file), 'utf8');
      const named = vendors.filter((vendor) => new RegExp(`\\b${vendor}\\b`, 'i').test(text));
      return named.length > 0 ? [`${file}: ${named.join(', ')}`] : [];
    });

  it('keeps every CRM vendor out of core: a CRM is one folder under integrations/ and one registry line', () => {
    expect(CRM_NAMES.length).toBeGreaterThan(0);
    expect(naming('functions/core', CRM_NAMES)).toEqual([]);
  });

  it('keeps transcription vendors out of the pipeline core (their file formats live in core/transcript)', () => {
    expect(naming('functions/core/pipeline', Object.keys(TRANSCRIPTION_REGISTRY))).toEqual([]);
  });
});
