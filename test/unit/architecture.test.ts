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

/** The layer a repository path belongs to: `functions/<layer>/…` (or `functions/topology.ts`); other roots as they are. */
function layerOf(path: string): string {
  const parts = path.split('/');
  if (parts[0] !== 'functions') return parts[0] ?? path;
  return parts.length === 2 ? (parts[1] ?? '').replace(/\.ts$/, '') : (parts[1] ?? '');
}

/** Every project-internal edge `file → target` whose source lies under `dir`. */
function edgesFrom(dir: string): [string, string][] {
  return sourceFiles(dir).flatMap((file) =>
    importsOf(file)
      .filter((target) => /^(functions|lib|bin|bench|test)\//.test(target))
      .map((target) => [file, target] as [string, string]),
  );
}

const HANDLER_LAYERS = ['http', 'pipeline', 'events', 'webhooks', 'schedules'];
const SDKS = [/^@aws-sdk\//, /^@anthropic-ai\//, /^assemblyai/, /^@middy\//];

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
      /^functions\/(adapters|integrations|composition|http|pipeline|events|webhooks|schedules)\//,
      ...SDKS,
    ];
    const offenders = sourceFiles('functions/core').flatMap((file) =>
      importsOf(file)
        .filter((target) => forbidden.some((rule) => rule.test(target)))
        .map((target) => `${file} → ${target}`),
    );
    expect(offenders).toEqual([]);
  });

  it('keeps contracts free of the project: they import other contracts and zod only', () => {
    const offenders = sourceFiles('functions/contracts').flatMap((file) =>
      importsOf(file)
        .filter((target) => !target.startsWith('functions/contracts/') && target !== 'zod')
        .map((target) => `${file} → ${target}`),
    );
    expect(offenders).toEqual([]);
  });

  it('keeps the platform below core: it imports contracts and itself only', () => {
    const offenders = edgesFrom('functions/platform')
      .filter(([, target]) => !['platform', 'contracts'].includes(layerOf(target)))
      .map(([file, target]) => `${file} → ${target}`);
    expect(offenders).toEqual([]);
  });

  it('never lets adapters, integrations or composition roots import a handler', () => {
    const offenders = ['functions/adapters', 'functions/composition']
      .flatMap((dir) => edgesFrom(dir))
      .filter(([, target]) => HANDLER_LAYERS.includes(layerOf(target)))
      .map(([file, target]) => `${file} → ${target}`);
    expect(offenders).toEqual([]);
  });

  it('never imports a handler entry file: the hosts load those by path', () => {
    // Handler entry files (`functions/<trigger>/<name>.ts`) are loaded by the hosts only; shared code lives below.
    const entries = new Set(
      runtime.filter((f) => HANDLER_LAYERS.includes(layerOf(f)) && f.split('/').length === 3),
    );
    const offenders = runtime.flatMap((file) =>
      importsOf(file)
        .filter((target) => entries.has(`${target}.ts`))
        .map((target) => `${file} → ${target}`),
    );
    expect(offenders).toEqual([]);
  });

  /**
   * A core module's internals are the files in folders below it (`core/platforms/zoom/…` belongs to
   * `core/platforms`): another module imports only the files at its top level (schemas, ports, errors, use
   * cases). Kept simple so the tree meets it; the top-level files are the module's surface.
   */
  it('never lets a core module import another module’s internals', () => {
    const offenders = edgesFrom('functions/core')
      .filter(([file, target]) => {
        if (!target.startsWith('functions/core/')) return false;
        const from = file.split('/')[2];
        const [, , module, ...rest] = target.split('/');
        return module !== from && rest.length > 1;
      })
      .map(([file, target]) => `${file} → ${target}`);
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
