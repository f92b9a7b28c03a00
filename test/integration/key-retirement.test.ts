import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { generateKeyringKey, stringifyKeyringDocument } from '../../functions/platform/crypto/keyring';
import { apiClient } from '../support/api-client';
import { registerFirm } from '../support/identity-helpers';
import { processedMeeting } from '../support/processed-meeting';
import { type HostProcess, runHostCommand, startHostProcess } from './global-setup';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

let home: string | undefined;
let host: HostProcess | undefined;

afterEach(async () => {
  await host?.stop().catch(() => undefined);
  host = undefined;
  if (home) await rm(home, { recursive: true, force: true });
  home = undefined;
});

/** The host's and the CLI's environment: a 1 s keyring cache, so rotation's wait for the functions is short. */
const env = (dir: string) => ({
  SMARTAD_HOME: dir,
  KEYRING_CACHE_SECONDS: '1',
  RATE_LIMIT_AUTH: '10000/60',
  PASSWORD_SCRYPT_LOG_N: '14',
});

/** A processed meeting with a regenerated follow-up draft: what the reads must still return after retirement. */
async function seed(api: ReturnType<typeof apiClient>) {
  const firm = await registerFirm('rotation', api);
  const meetingId = await processedMeeting(api, firm.token);
  const draft = await api.post(`/api/v1/meetings/${meetingId}/follow-up-email/regenerate`, {}, firm.token);
  expect(draft.status).toBe(200);
  return { token: firm.token, meetingId, before: await reads(api, firm.token, meetingId) };
}

async function reads(api: ReturnType<typeof apiClient>, token: string, meetingId: string) {
  const meeting = await api.get(`/api/v1/meetings/${meetingId}`, token);
  const transcript = await api.get(`/api/v1/meetings/${meetingId}/transcript`, token);
  const draft = await api.get(`/api/v1/meetings/${meetingId}/follow-up-email`, token);
  // Settled: the transcript read above is recorded at once but chained moments later.
  const audit = await api.settledAudit<{ items: unknown[]; chain: { verified: boolean } }>(
    '/api/v1/audit?limit=100',
    token,
  );
  return { meeting, transcript, draft, audit };
}

/**
 * Runs `smartad rotate-keys` and SIGKILLs it as soon as it has finished its first page of the table. One Node
 * process (`--import tsx`, as `npm start` runs): the tsx CLI would run the command in a child the kill misses.
 */
async function rotateAndKill(dir: string): Promise<string> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'bin/smartad.ts', 'rotate-keys', '--page-size', '1', '--concurrency', '1'],
    {
      cwd: REPO_ROOT,
      env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...env(dir) },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (/table page 1:/.test(out)) child.kill('SIGKILL');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (signal === 'SIGKILL' && /table page 1:/.test(out)) resolve(out);
      else reject(new Error(`rotate-keys was not interrupted (exit ${code ?? signal}):\n${out}`));
    });
  });
}

async function keyIds(dir: string): Promise<string[]> {
  const doc = JSON.parse(await readFile(join(dir, 'keyring.json'), 'utf8')) as { keys: { id: string }[] };
  return doc.keys.map((k) => k.id);
}

describe.each([
  ['in one run', false],
  ['interrupted half-way and resumed', true],
])('rotating the keys (%s) and retiring the old one on a local host', (_how, interrupted) => {
  it('keeps the meeting, its transcript, its draft and the audit trail readable after a restart', {
    timeout: 240_000,
  }, async () => {
    home = await mkdtemp(join(tmpdir(), 'smartad-retire-'));
    host = await startHostProcess({ env: env(home) });
    const api = apiClient(host.url);
    const { token, meetingId, before } = await seed(api);
    for (const read of Object.values(before)) expect(read.status).toBe(200);

    if (interrupted) {
      const killed = await rotateAndKill(home);
      expect(await keyIds(home)).toEqual(['k2', 'k1']);
      await new Promise((resolve) => setTimeout(resolve, 1100)); // the 1 s keyring cache
      const early = await runHostCommand(['retire-key', 'k1'], env(home), 60_000);
      expect(early.code, `${killed}\n----\n${early.stdout}${early.stderr}`).toBe(1);
      expect(early.stderr).toMatch(/Refusing to retire k1: \d+ ciphertexts are still encrypted with it/);
      expect(early.stdout).toMatch(/ {2}under k1: table:\w+ pk=T#/);
      expect(await keyIds(home)).toEqual(['k2', 'k1']);
    }
    const rotation = await runHostCommand(
      ['rotate-keys', ...(interrupted ? ['--resume'] : [])],
      env(home),
      90_000,
    );
    expect(rotation.stderr).toBe('');
    expect(rotation.code).toBe(0);
    if (interrupted) expect(rotation.stdout).toContain('Continuing from the saved checkpoints.');
    expect(rotation.stdout).toMatch(
      /table:meeting: 1 scanned, (1 re-encrypted|0 re-encrypted, 1 already current)/,
    );
    expect(rotation.stdout).toMatch(/table:follow_up_draft: \d+ scanned/);
    expect(rotation.stdout).toMatch(/meeting-artifacts \(s3:\/\/smartad-uploads\/tenants\/\): \d+ scanned/);
    expect(rotation.stdout.trim().split('\n').at(-1)).toBe('Done: everything is under key k2.');

    const retirement = await runHostCommand(['retire-key', 'k1'], env(home), 60_000);
    expect(retirement.stderr).toBe('');
    expect(retirement.code).toBe(0);
    expect(retirement.stdout).toContain('Retired key k1: nothing was encrypted with it. Keyring: k2.');
    expect(await keyIds(home)).toEqual(['k2']);
    expect((await stat(join(home, 'keyring.json'))).mode & 0o777).toBe(0o600);

    await host.stop();
    host = await startHostProcess({ env: env(home) });
    const after = await reads(apiClient(host.url), token, meetingId);
    for (const read of Object.values(after)) expect(read.status).toBe(200);
    expect(after.meeting.body).toEqual(before.meeting.body);
    expect(after.transcript.body).toEqual(before.transcript.body);
    expect(after.draft.body).toEqual(before.draft.body);
    expect(after.audit.body.chain.verified).toBe(true);
    expect(after.audit.body.items.length).toBeGreaterThan(before.audit.body.items.length);

    if (interrupted) return;
    // And a key that is really gone: a clear 500, the log line with the key id and what, and the metric.
    await host.stop();
    await writeFile(
      join(home, 'keyring.json'),
      stringifyKeyringDocument({ keys: [generateKeyringKey('k3')] }),
    );
    host = await startHostProcess({ env: env(home) });
    const lost = await apiClient(host.url).get<{ error: { code: string; message: string } }>(
      `/api/v1/meetings/${meetingId}`,
      token,
    );
    expect(lost.status).toBe(500);
    expect(lost.body.error).toMatchObject({
      code: 'encryption_key_unavailable',
      message: 'This record cannot be decrypted right now. Try again later.',
    });
    expect(JSON.stringify(lost.body)).not.toContain('k2');
    const line = host
      .output()
      .split('\n')
      .find((l) => l.includes('"message":"encryption_key_unavailable"'));
    expect(JSON.parse(line ?? '{}')).toMatchObject({
      key_id: 'k2',
      record: expect.stringMatching(/^meeting\.title of item T#/),
    });
    expect(host.output()).toContain('"EncryptionKeyUnavailable":1');
  });
});
