import { spawnSync } from 'node:child_process';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { LocalHostError } from './errors';

/** What a running host records in `<home>/local-host.json`, for `smartad rotate-keys` and for tests. */
export interface HostState {
  pid: number;
  status: 'starting' | 'ready';
  memory: boolean;
  url?: string;
  dynamodb?: { endpoint: string; pid: number };
  s3?: { endpoint: string };
  tableName?: string;
  buckets?: { uploads: string; archive: string };
  /** Where `smartad run-schedule` asks this host to run a schedule. */
  control?: { url: string; token: string };
}

/** `<home>/local-host.json`. */
export const hostStatePath = (home: string) => join(home, 'local-host.json');

/** The recorded state, or undefined when there is none (or it is unreadable). */
export async function readHostState(home: string): Promise<HostState | undefined> {
  try {
    return JSON.parse(await readFile(hostStatePath(home), 'utf8')) as HostState;
  } catch {
    return undefined;
  }
}

/** Records the state, readable by the user only (it names local endpoints and pids). */
export async function writeHostState(home: string, state: HostState): Promise<void> {
  await writeFile(hostStatePath(home), `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
}

/** Removes the state file if it is still this process's. */
export async function removeHostState(home: string, pid: number = process.pid): Promise<void> {
  const state = await readHostState(home);
  if (state?.pid === pid) await rm(hostStatePath(home), { force: true });
}

/** Whether a process with this pid exists (a zombie counts until it is reaped). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The process's command line via `ps` (Linux and macOS); undefined if it is gone. */
function commandLine(pid: number): string | undefined {
  const ps = spawnSync('ps', ['-o', 'args=', '-p', String(pid)], { encoding: 'utf8' });
  const text = ps.status === 0 ? ps.stdout.trim() : '';
  return text === '' ? undefined : text;
}

/**
 * Makes `home` this process's: refuses when another live host serves it (two Java processes must never share
 * one database file), and kills a DynamoDB Local left behind by a host that was SIGKILLed (the one exit path
 * no handler can run on). Returns notes for the start-up summary.
 */
export async function claimHome(home: string, memory: boolean): Promise<string[]> {
  const notes: string[] = [];
  const previous = await readHostState(home);
  if (previous && previous.pid !== process.pid && isProcessAlive(previous.pid)) {
    throw new LocalHostError(
      `Another local host (pid ${previous.pid}) is using ${home}${previous.url ? ` at ${previous.url}` : ''}; ` +
        'stop it or set SMARTAD_HOME to another directory',
    );
  }
  const orphan = previous?.dynamodb?.pid;
  if (orphan !== undefined && isProcessAlive(orphan) && /DynamoDBLocal/.test(commandLine(orphan) ?? '')) {
    process.kill(orphan, 'SIGKILL');
    notes.push(
      `stopped DynamoDB Local (pid ${orphan}) left behind by an earlier host that did not shut down`,
    );
  }
  await writeHostState(home, { pid: process.pid, status: 'starting', memory });
  return notes;
}
