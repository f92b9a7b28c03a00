#!/usr/bin/env tsx
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';

// Before anything reads the environment. Variables already set in the shell win over the file.
if (existsSync('.env')) process.loadEnvFile('.env');

const USAGE = `Usage: smartad <command> [options]

Commands:
  start [--memory] [--port N]   Run the whole system on http://127.0.0.1:PORT (default 3000) against
                                DynamoDB Local and s3rver. Data persists in SMARTAD_HOME (default .smartad);
                                --memory keeps nothing after stop.
  rotate-keys [--resume] [--aws] [--concurrency N] [--page-size N]
                                Add a key in front of the keyring and re-encrypt every keyring ciphertext
                                (table fields and S3 objects, per ciphertext-inventory.ts) under it; --resume
                                continues an interrupted run under the current first key. Reports per store.
  retire-key <KID> [--aws]      Remove key KID from the keyring, after checking that nothing in the table or
                                the buckets is still encrypted with it (lists what is, and refuses).
                                Both use DYNAMODB_ENDPOINT + S3_ENDPOINT, else the running local host, else
                                start the engines on SMARTAD_HOME's data for the duration; with --aws, the
                                deployed TABLE_NAME, UPLOADS_BUCKET, ARCHIVE_BUCKET and KEYRING_SECRET_ID.
  process <file> [--client NAME]... [--date YYYY-MM-DD] [--title T] [--state XX]
          [--advisor NAME] [--json]
                                Run one transcript or recording through the whole pipeline on an in-memory
                                local host (a throwaway firm) and print the notes, action items, facts, flags
                                and follow-up draft; --json prints the meeting as the API returns it. Consent
                                is recorded as written, participants in --state (default NY). Nothing is sent.
  run-schedule <NAME>           Run one schedule of the topology now on the running local host (SMARTAD_HOME's),
                                against its engines, and print the outcome. The host also runs every schedule
                                on its expression unless started with SMARTAD_SCHEDULES=off.
  openapi [--out FILE]          Write the OpenAPI document (default docs/openapi.json).
  help                          Show this help.

Environment: see .env.example (loaded from .env when present).`;

function usageError(message: string): never {
  console.error(`${message}\n\n${USAGE}`);
  process.exit(2);
}

/** Prints a start-up problem as the one line it is meant to be; anything else with its stack. */
async function fail(error: unknown): Promise<never> {
  const { LocalHostError } = await import('../lib/local/errors');
  console.error(error instanceof LocalHostError ? error.message : error);
  process.exit(1);
}

async function start(flags: { memory?: boolean; port?: string }): Promise<void> {
  const { startLocalHost } = await import('../lib/local/local-host');
  const { parsePort } = await import('../lib/local/port-check');
  const { shutdownOnSignals } = await import('../lib/local/shutdown-on-signals');
  let stop: () => Promise<void> = async () => {};
  // Installed before start-up: a signal mid-start exits, and the engines' exit hooks still kill Java.
  const exitWithPid = Number(process.env.SMARTAD_EXIT_WITH_PID);
  shutdownOnSignals({
    stop: () => stop(),
    ...(Number.isInteger(exitWithPid) && exitWithPid > 0 ? { exitWithPid } : {}),
  });
  const host = await startLocalHost({
    memory: flags.memory ?? false,
    ...(flags.port === undefined ? {} : { port: parsePort(flags.port, 3000) }),
  });
  stop = host.stop;
}

async function processCommand(
  file: string | undefined,
  flags: {
    client?: string[];
    date?: string;
    title?: string;
    state?: string;
    advisor?: string;
    json?: boolean;
  },
): Promise<void> {
  if (file === undefined) usageError('process: no file given.');
  const { processFile, ProcessUsageError } = await import('../lib/local/process-file');
  const { shutdownOnSignals } = await import('../lib/local/shutdown-on-signals');
  let stop: () => Promise<void> = async () => {};
  shutdownOnSignals({ stop: () => stop() });
  try {
    process.exitCode = await processFile(
      {
        file,
        ...(flags.client ? { clients: flags.client } : {}),
        ...(flags.date === undefined ? {} : { date: flags.date }),
        ...(flags.title === undefined ? {} : { title: flags.title }),
        ...(flags.state === undefined ? {} : { state: flags.state }),
        ...(flags.advisor === undefined ? {} : { advisor: flags.advisor }),
        json: flags.json ?? false,
      },
      (hostStop) => {
        stop = hostStop;
      },
    );
  } catch (error) {
    if (error instanceof ProcessUsageError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }
  // Lingering handles (SDK sockets, timers) must not keep a finished command alive.
  process.exit();
}

async function openapi(flags: { out: string }): Promise<void> {
  const { allRoutes } = await import('../functions/topology');
  const { buildOpenApiDocument } = await import('../functions/platform/http/openapi');
  const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  const document = buildOpenApiDocument(allRoutes(), { version: pkg.version });
  const out = resolve(flags.out);
  await mkdir(dirname(out), { recursive: true });
  await writeFile(out, `${JSON.stringify(document, null, 2)}\n`);
  console.log(`wrote ${flags.out} (${allRoutes().length} routes)`);
}

interface KeyCommandFlags {
  aws?: boolean;
  concurrency?: string;
  'page-size'?: string;
}

const KEY_COMMAND_OPTIONS = {
  aws: { type: 'boolean' },
  concurrency: { type: 'string' },
  'page-size': { type: 'string' },
} as const;

function positiveFlag(name: string, value: string | undefined, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > max)
    usageError(`--${name} must be a whole number from 1 to ${max}.`);
  return n;
}

/** `rotate-keys` / `retire-key`: exit 0 when done, 1 when refused or not everything could be re-encrypted. */
async function keyCommand(
  command: { name: 'rotate-keys'; resume: boolean } | { name: 'retire-key'; keyId: string },
  flags: KeyCommandFlags,
): Promise<void> {
  const { runKeyCommand } = await import('../lib/local/key-commands');
  const { KeyRetirementRefusedError } = await import('../functions/adapters/keyring/retire-key');
  const { DecryptionError } = await import('../functions/platform/errors');
  const concurrency = positiveFlag('concurrency', flags.concurrency, 64);
  const pageSize = positiveFlag('page-size', flags['page-size'], 1000);
  try {
    const result = await runKeyCommand({
      command,
      aws: flags.aws ?? false,
      ...(concurrency === undefined ? {} : { concurrency }),
      ...(pageSize === undefined ? {} : { pageSize }),
    });
    if ('everythingCurrent' in result && !result.everythingCurrent) process.exitCode = 1;
  } catch (error) {
    // Refused, or a ciphertext that no key decrypts (its place is in the message): one line, exit 1.
    if (!(error instanceof KeyRetirementRefusedError || error instanceof DecryptionError)) throw error;
    console.error(error.message);
    process.exitCode = 1;
  }
  // Lingering handles (SDK sockets) must not keep a finished command alive.
  process.exit();
}

/** `run-schedule NAME`: exit 0 when the function succeeded, 1 when it failed or no host runs, 2 for a bad name. */
async function runSchedule(name: string): Promise<void> {
  const { topology } = await import('../functions/topology');
  const { findSchedule } = await import('../lib/local/schedule-runner');
  const { runScheduleCommand } = await import('../lib/local/run-schedule-command');
  try {
    findSchedule(topology.schedules, name);
  } catch (error) {
    console.error((error as Error).message);
    process.exit(2);
  }
  const run = await runScheduleCommand({ name, schedules: topology.schedules });
  if (run.status === 'succeeded') {
    console.log(`schedule ${run.name} succeeded in ${run.durationMs} ms`);
  } else {
    console.error(`schedule ${run.name} failed after ${run.durationMs} ms: ${run.error}`);
    process.exitCode = 1;
  }
}

/** Runs `parseArgs`, turning a bad flag into usage + exit 2. */
function parseFlags<T>(parse: () => { values: T }): T {
  try {
    return parse().values;
  } catch (error) {
    usageError((error as Error).message);
  }
}

async function main(argv: string[]): Promise<void> {
  const [name, ...args] = argv;
  switch (name) {
    case 'start':
      return start(
        parseFlags(() =>
          parseArgs({
            args,
            strict: true,
            options: { memory: { type: 'boolean' }, port: { type: 'string' } },
          }),
        ),
      );
    case 'process': {
      const { values, positionals } = parseFlags(() => {
        const parsed = parseArgs({
          args,
          strict: true,
          allowPositionals: true,
          options: {
            client: { type: 'string', multiple: true },
            date: { type: 'string' },
            title: { type: 'string' },
            state: { type: 'string' },
            advisor: { type: 'string' },
            json: { type: 'boolean' },
          },
        });
        if (parsed.positionals.length > 1) throw new Error('process: give exactly one file.');
        return { values: parsed };
      });
      return processCommand(positionals[0], values);
    }
    case 'rotate-keys': {
      const flags = parseFlags(() =>
        parseArgs({ args, strict: true, options: { ...KEY_COMMAND_OPTIONS, resume: { type: 'boolean' } } }),
      );
      return keyCommand({ name: 'rotate-keys', resume: flags.resume ?? false }, flags);
    }
    case 'retire-key': {
      const { values, positionals } = parseFlags(() => {
        const parsed = parseArgs({
          args,
          strict: true,
          allowPositionals: true,
          options: KEY_COMMAND_OPTIONS,
        });
        if (parsed.positionals.length !== 1) throw new Error('retire-key: give exactly one key id.');
        return { values: parsed };
      });
      return keyCommand({ name: 'retire-key', keyId: positionals[0] as string }, values);
    }
    case 'run-schedule': {
      const { positionals } = parseFlags(() => {
        const parsed = parseArgs({ args, strict: true, allowPositionals: true, options: {} });
        if (parsed.positionals.length !== 1) throw new Error('run-schedule: give exactly one schedule name.');
        return { values: parsed };
      });
      return runSchedule(positionals[0] as string);
    }
    case 'openapi':
      return openapi(
        parseFlags(() =>
          parseArgs({
            args,
            strict: true,
            options: { out: { type: 'string', default: 'docs/openapi.json' } },
          }),
        ),
      );
    case 'help':
    case '--help':
    case '-h':
      console.log(USAGE);
      return;
    case undefined:
      usageError('No command given.');
      break;
    default:
      usageError(`Unknown command '${name}'.`);
  }
}

main(process.argv.slice(2)).catch(fail);
