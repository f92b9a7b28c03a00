import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CRM_NAMES } from '../../../functions/integrations/crm-registry';
import { ConfigSchema } from '../../../functions/platform/config/config';

const REPO = join(import.meta.dirname, '..', '..', '..');
/** Every `NAME=` line of `.env.example`, commented out (`# NAME=value`) or not. */
const documented = new Set(
  [...readFileSync(join(REPO, '.env.example'), 'utf8').matchAll(/^#?[ \t]*([A-Z][A-Z0-9_]*)=/gm)].map(
    (m) => m[1] ?? '',
  ),
);
/** Read by the local host (lib/local) and the SDK, not by the functions' config schema. */
const LOCAL_HOST_ONLY = [
  'PORT',
  'SMARTAD_HOME',
  'SMARTAD_EXIT_WITH_PID',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'SMARTAD_TRANSCRIBE_TIMEOUT_MS',
  'SMARTAD_TRANSCRIPTION_POLL_WAIT_MS',
  'SMARTAD_PIPELINE_RETRY_INTERVAL_MS',
  'SMARTAD_SCHEDULES',
];

describe('.env.example', () => {
  it('lists every variable the config schema reads', () => {
    const read = Object.keys(ConfigSchema.in.shape);
    expect(read.length).toBeGreaterThan(40);
    expect(read.filter((name) => !documented.has(name))).toEqual([]);
  });

  it('lists nothing the config schema or the local host does not read', () => {
    // Each CRM's base URL is read by name from the registry (`CRM_<NAME>_BASE_URL`), not listed in the schema.
    const crmBaseUrls = CRM_NAMES.map((name) => `CRM_${name.toUpperCase()}_BASE_URL`);
    const read = new Set([...Object.keys(ConfigSchema.in.shape), ...LOCAL_HOST_ONLY, ...crmBaseUrls]);
    expect([...documented].filter((name) => !read.has(name))).toEqual([]);
  });
});
