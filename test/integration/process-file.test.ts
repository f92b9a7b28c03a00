import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isProcessAlive } from '../../lib/local/host-state';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const GOLDEN = join(REPO_ROOT, '..', 'shared', 'golden');
const CLI = join(REPO_ROOT, 'bin', 'smartad.mjs');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `node bin/smartad.mjs process …` as a user runs it, with cheap password hashing. */
function smartad(args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, 'process', ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, PASSWORD_SCRYPT_LOG_N: '14', ANTHROPIC_API_KEY: '', ASSEMBLYAI_API_KEY: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The Java process the command's host started, by the pid it reports, is gone once the command has exited. */
function expectJavaStopped(output: string) {
  const pid = Number(/DynamoDB Local pid (\d+)/.exec(output)?.[1]);
  expect(pid).toBeGreaterThan(0);
  expect(isProcessAlive(pid)).toBe(false);
}

const MEETING_01 = [
  join(GOLDEN, 'meeting-01.vtt'),
  '--client',
  'Doug Pruitt',
  '--client',
  'Melanie Pruitt',
  '--date',
  '2026-01-20',
];

describe('smartad process', () => {
  it('runs a transcript through the whole pipeline and prints a readable result, leaving no Java behind', async () => {
    const run = await smartad(MEETING_01);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('attached (awaiting consent)');
    expect(run.stdout).toContain('consent recorded (written, state NY');
    expect(run.stdout).toMatch(/^completed \(\d+ ms\)$/m);
    expect(run.stdout).toMatch(/^Action items \(\d+\)$/m);
    expect(run.stdout).toMatch(/^Compliance flags \(\d+\)$/m);
    expect(run.stdout).toContain('Follow-up email (draft)');
    expect(run.stdout).toContain('extractor: offline');
    expect(run.stdout).toContain('Nothing was sent to anyone');
    expectJavaStopped(run.stdout);
  }, 120_000);

  it('--json prints the meeting as the API returns it, and only that, on stdout', async () => {
    const run = await smartad([...MEETING_01, '--json']);
    expect(run.code, run.stderr).toBe(0);
    const meeting = JSON.parse(run.stdout);
    expect(meeting).toMatchObject({ status: 'completed', extractor: 'offline' });
    expect(meeting.extraction.action_items.length).toBeGreaterThan(0);
    expect(meeting.extraction.compliance_flags.length).toBeGreaterThan(0);
    expect(run.stderr).toContain('completed');
    expectJavaStopped(run.stderr);
  }, 120_000);

  it('refuses a missing file with one line and exit 2, starting nothing', async () => {
    const run = await smartad([join(GOLDEN, 'no-such-meeting.vtt')]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim().split('\n')).toEqual([`no such file: ${join(GOLDEN, 'no-such-meeting.vtt')}`]);
  }, 60_000);

  it('refuses an unknown extension with one line listing the accepted ones, exit 2', async () => {
    const run = await smartad([join(REPO_ROOT, 'package.json.bak')]);
    expect(run.code).toBe(2);
    const lines = run.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^unsupported file type '\.bak' — accepted: .*\.mp3.*\.vtt/);
  }, 60_000);
});
