import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import { type HostState, isProcessAlive, readHostState } from '../../lib/local/host-state';
import { findFreePort } from '../../lib/local/port-check';

/** What integration tests can `inject()`: the running host and where its engines are. */
export interface LocalHostInfo {
  baseUrl: string;
  home: string;
  dynamodbEndpoint: string;
  s3Endpoint: string;
  tableName: string;
  buckets: { uploads: string; archive: string };
}

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
    localHost: LocalHostInfo;
  }
}

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** The CLI `npm start` runs (`tsx bin/smartad.ts start`), started with this Node so PATH need not hold it. */
const TSX_CLI = join(REPO_ROOT, 'node_modules/tsx/dist/cli.mjs');

export interface HostCommandResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface HostProcess {
  child: ChildProcess;
  url: string;
  home: string;
  state: HostState;
  /** Everything the host printed so far (stdout and stderr interleaved). */
  output(): string;
  /** SIGTERM, wait for exit (SIGKILL after 15 s), then fail if DynamoDB Local's Java process survived. */
  stop(): Promise<HostCommandResult>;
}

function spawnCli(args: readonly string[], env: Record<string, string | undefined>): ChildProcess {
  return spawn(process.execPath, [TSX_CLI, 'bin/smartad.ts', ...args], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      // Schedules run only when a test asks (run-schedule), never on their own timetable mid-test.
      SMARTAD_SCHEDULES: 'off',
      // One test user (and firm) calls the standard routes far faster than a person, polling included: the
      // class's own behaviour is tested with small limits (rate-limit-counters, rate-limit-promise).
      RATE_LIMIT_STANDARD: '100000/60',
      RATE_LIMIT_STANDARD_FIRM: '100000/60',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

function collect(child: ChildProcess) {
  const out = { stdout: '', stderr: '', all: '' };
  child.stdout?.on('data', (chunk: Buffer) => {
    out.stdout += chunk.toString();
    out.all += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    out.stderr += chunk.toString();
    out.all += chunk.toString();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  return { out, exited };
}

/** Runs a `smartad` command to completion (for the failure paths: port taken, no Java, bad config). */
export async function runHostCommand(
  args: readonly string[],
  env: Record<string, string | undefined> = {},
  timeoutMs = 30_000,
): Promise<HostCommandResult> {
  const child = spawnCli(args, env);
  const { out, exited } = collect(child);
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const { code, signal } = await exited;
  clearTimeout(timer);
  return { code, signal, stdout: out.stdout, stderr: out.stderr };
}

async function waitUntilGone(pid: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (!isProcessAlive(pid)) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return !isProcessAlive(pid);
}

/**
 * Starts `smartad start` as a child process (the `npm start` path) with its own SMARTAD_HOME and waits for its
 * `ready` line. `SMARTAD_EXIT_WITH_PID` ties it to this process, so a killed test runner leaves no host behind.
 */
export async function startHostProcess(
  options: {
    args?: readonly string[];
    env?: Record<string, string | undefined>;
    readyTimeoutMs?: number;
  } = {},
): Promise<HostProcess> {
  const home = options.env?.SMARTAD_HOME ?? (await mkdtemp(join(tmpdir(), 'smartad-it-')));
  const port = options.env?.PORT ?? String(await findFreePort());
  const child = spawnCli(['start', ...(options.args ?? [])], {
    SMARTAD_EXIT_WITH_PID: String(process.pid),
    ...options.env,
    SMARTAD_HOME: home,
    PORT: port,
  });
  const { out, exited } = collect(child);
  const timeoutMs = options.readyTimeoutMs ?? 90_000;

  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGTERM');
      reject(new Error(`local host not ready within ${timeoutMs} ms:\n${out.all}`));
    }, timeoutMs);
    const onData = () => {
      const ready = /^ready (http:\/\/\S+)$/m.exec(out.stdout);
      if (!ready?.[1]) return;
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      resolve(ready[1]);
    };
    child.stdout?.on('data', onData);
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`local host exited (${code ?? signal}) before ready:\n${out.all}`));
    });
  });

  const state = await readHostState(home);
  if (!state?.dynamodb) throw new Error(`local host is ready but ${home}/local-host.json has no engines`);
  const javaPid = state.dynamodb.pid;

  let stopping: Promise<HostCommandResult> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const kill = setTimeout(() => child.kill('SIGKILL'), 15_000);
      const { code, signal } = await exited;
      clearTimeout(kill);
      if (!(await waitUntilGone(javaPid, 5_000))) {
        process.kill(javaPid, 'SIGKILL');
        throw new Error(
          `DynamoDB Local (pid ${javaPid}) outlived the local host (exit ${code ?? signal}); killed it. Output:\n${out.all}`,
        );
      }
      if (!options.env?.SMARTAD_HOME) await rm(home, { recursive: true, force: true });
      return { code, signal, stdout: out.stdout, stderr: out.stderr };
    })();
    return stopping;
  };

  return { child, url, home, state, output: () => out.all, stop };
}

/** Vitest global setup: one in-memory host for the whole integration project. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const host = await startHostProcess({
    args: ['--memory'],
    env: {
      // Every test signs in from 127.0.0.1: a production-sized limit would throttle the suite itself. The
      // limit's own behaviour is tested against a host with the default limit (identity-http.test.ts).
      RATE_LIMIT_AUTH: '10000/60',
      // scrypt at N=2^14 keeps the suite fast; the code path is the one production runs at N=2^17.
      PASSWORD_SCRYPT_LOG_N: '14',
    },
  });
  const { state } = host;
  project.provide('baseUrl', host.url);
  project.provide('localHost', {
    baseUrl: host.url,
    home: host.home,
    dynamodbEndpoint: state.dynamodb?.endpoint ?? '',
    s3Endpoint: state.s3?.endpoint ?? '',
    tableName: state.tableName ?? '',
    buckets: state.buckets ?? { uploads: '', archive: '' },
  });
  return async () => {
    await host.stop();
  };
}
