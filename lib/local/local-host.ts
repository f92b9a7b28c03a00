import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { registerLocalPipeline } from '../../functions/adapters/pipeline/local-pipeline-registry';
import { registerLocalPlatformIntake } from '../../functions/adapters/pipeline/local-platform-intake-registry';
import { registerLocalTaskCallbacks } from '../../functions/adapters/pipeline/task-callbacks';
import { BUCKET_DEFINITIONS } from '../../functions/contracts/bucket-definitions';
import { type Config, parseConfig, resetConfigForTests } from '../../functions/platform/config/config';
import { ConfigError } from '../../functions/platform/errors';
import { topology as defaultTopology, type Topology } from '../../functions/topology';
import { startControlServer } from './control-server';
import { ensureLocalTable, localTableStreamArn } from './create-local-table';
import { type DynamoEngine, localDynamoClient, startDynamoEngine } from './dynamo-engine';
import { LocalHostError } from './errors';
import { connectEventSources } from './event-sources';
import { createHandlerLoader, type LoadHandler } from './handler-loader';
import { claimHome, removeHostState, writeHostState } from './host-state';
import { startHttpGateway } from './http-gateway';
import { assertJavaAvailable } from './java-check';
import { localEnvironment } from './local-environment';
import { connectLocalPipeline } from './local-pipeline';
import { connectLocalPlatformIntake } from './local-platform-intake';
import { ensureLocalSecrets } from './local-secrets';
import type { ExecutionOutcome } from './pipeline-runner';
import { pipelineTimingFromEnv } from './pipeline-timing';
import { assertPortFree, LOCAL_BIND_HOST, parsePort } from './port-check';
import { allowS3AccessKey, ensureBucket, localS3Client, type S3Engine, startS3Engine } from './s3-engine';
import { type ScheduleRun, startLocalSchedules } from './schedule-runner';
import { endpointLines, serviceLines, summaryLine } from './startup-summary';

export const DEFAULT_PORT = 3000;
export const DEFAULT_HOME = '.smartad';

export interface LocalHostOptions {
  /** DynamoDB in memory and S3 in a temporary directory; nothing persists after stop. */
  memory?: boolean;
  /** HTTP port; default `PORT` or 3000; 0 = any free port. */
  port?: number;
  /** Resolves a relative `SMARTAD_HOME` and shortens paths in the summary; default `process.cwd()`. */
  cwd?: string;
  /** The routes to serve; default the system's topology. */
  topology?: Topology;
  /** Handler resolution; default imports the topology's files from the repository. */
  loadHandler?: LoadHandler;
  /** Where the summary goes, line by line; default stdout. */
  print?: (line: string) => void;
  /** JVM flags for DynamoDB Local; default fast start-up (C1 only). Benchmarks wanting peak speed pass `[]`. */
  dynamodbJvmOptions?: readonly string[];
  /** Injectable for tests. */
  checkJava?: () => void;
  /** Milliseconds per retrier of the platform intake state machine instead of its intervals (tests). */
  intakeRetryIntervalOverrides?: Readonly<Record<string, number | number[]>>;
  /** Called with each finished pipeline execution's outcome (state transitions, task invocations): benchmarks. */
  onPipelineExecutionDone?: (meetingId: string, outcome: ExecutionOutcome) => void;
  /** Called with each finished platform intake execution's outcome: benchmarks wait for intakes to settle. */
  onIntakeExecutionDone?: (meetingId: string, outcome: ExecutionOutcome) => void;
  /**
   * Run every schedule of the topology on its expression; default `SMARTAD_SCHEDULES` (`on` unless `off`).
   * Either way `runSchedule` and `smartad run-schedule NAME` run one now.
   */
  schedules?: boolean;
  /** Called after each schedule run; default a line on stdout. */
  onScheduleRun?: (run: ScheduleRun) => void;
}

export interface LocalHost {
  url: string;
  port: number;
  /** Where the secrets and `local-host.json` live (a temporary directory with `--memory` and no SMARTAD_HOME). */
  home: string;
  memory: boolean;
  /** The variables the host set in `process.env`; restored when it stops. */
  env: Record<string, string>;
  config: Config;
  dynamodb: { endpoint: string; pid: number; dataDir: string | undefined };
  s3: { endpoint: string; directory: string; server: S3Engine['server'] };
  startupMs: number;
  /** Resolves once every event delivered so far (uploads, the table stream: the audit chain writer) is handled. */
  eventsIdle(): Promise<void>;
  /** Runs the schedule called `name` now, as Scheduler would; a `LocalHostError` names the known ones. */
  runSchedule(name: string): Promise<ScheduleRun>;
  /** Stops the gateway, s3rver and the Java process (always), then removes temporary data. Idempotent. */
  stop(): Promise<void>;
}

const isSet = (value: string | undefined): value is string => value !== undefined && value !== '';

/**
 * Runs the topology on localhost against real engines: DynamoDB Local (Java) and s3rver behind the ordinary
 * SDK endpoints, and an HTTP gateway that invokes the same handler files Lambda runs, with API Gateway v2
 * events. Fails fast, with one actionable line, on a missing JRE, a taken port or bad configuration.
 *
 * Data lives in `SMARTAD_HOME` (default `.smartad/`): `dynamodb/`, `s3/`, the generated secrets and
 * `local-host.json`. With `memory`, DynamoDB is in memory and S3 in a temporary directory; secrets then go to
 * `SMARTAD_HOME` only when it is set explicitly, otherwise to a temporary home removed on stop.
 */
export async function startLocalHost(options: LocalHostOptions = {}): Promise<LocalHost> {
  const started = Date.now();
  const memory = options.memory ?? false;
  const cwd = options.cwd ?? process.cwd();
  const topology = options.topology ?? defaultTopology;
  const print = options.print ?? ((line: string) => console.log(line));

  const runSchedulesOnExpressions = options.schedules ?? schedulesFromEnv(process.env.SMARTAD_SCHEDULES);
  (options.checkJava ?? assertJavaAvailable)();
  const requestedPort = options.port ?? parsePort(process.env.PORT, DEFAULT_PORT);
  await assertPortFree(requestedPort, LOCAL_BIND_HOST);

  const cleanups: (() => Promise<void>)[] = [];
  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      for (const cleanup of cleanups.reverse()) {
        await cleanup().catch((error: unknown) => console.error('local host: cleanup failed:', error));
      }
    })();
    return stopping;
  };

  try {
    const explicitHome = isSet(process.env.SMARTAD_HOME) ? resolve(cwd, process.env.SMARTAD_HOME) : undefined;
    const home =
      explicitHome ?? (memory ? await mkdtemp(join(tmpdir(), 'smartad-home-')) : resolve(cwd, DEFAULT_HOME));
    if (memory && !explicitHome) cleanups.push(() => rm(home, { recursive: true, force: true }));
    await mkdir(home, { recursive: true, mode: 0o700 });

    const notes = await claimHome(home, memory);
    cleanups.push(() => removeHostState(home));
    const secrets = await ensureLocalSecrets(home);
    for (const file of secrets.permissionsFixed) notes.push(`narrowed ${file} to mode 0600`);

    // Validate before starting Java, so a bad variable costs no engine start-up.
    validate({
      ...process.env,
      ...localEnvironment({
        env: process.env,
        dynamodbEndpoint: 'http://127.0.0.1:1',
        s3Endpoint: 'http://127.0.0.1:1',
        secrets,
      }),
    });

    const s3Directory = memory ? await mkdtemp(join(tmpdir(), 'smartad-s3-')) : join(home, 's3');
    if (memory) cleanups.push(() => rm(s3Directory, { recursive: true, force: true }));
    const [dynamoResult, s3Result] = await Promise.allSettled([
      startDynamoEngine({
        dataDir: memory ? undefined : join(home, 'dynamodb'),
        ...(options.dynamodbJvmOptions ? { jvmOptions: options.dynamodbJvmOptions } : {}),
      }),
      startS3Engine(s3Directory),
    ]);
    if (dynamoResult.status === 'fulfilled') cleanups.push(dynamoResult.value.stop);
    if (s3Result.status === 'fulfilled') cleanups.push(s3Result.value.stop);
    if (dynamoResult.status === 'rejected') throw dynamoResult.reason;
    if (s3Result.status === 'rejected') throw s3Result.reason;
    const dynamo: DynamoEngine = dynamoResult.value;
    const s3: S3Engine = s3Result.value;

    const env = localEnvironment({
      env: process.env,
      dynamodbEndpoint: dynamo.endpoint,
      s3Endpoint: s3.endpoint,
      secrets,
    });
    const previous = Object.fromEntries(Object.keys(env).map((name) => [name, process.env[name]]));
    Object.assign(process.env, env);
    cleanups.push(async () => {
      for (const [name, value] of Object.entries(previous)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
      resetConfigForTests();
    });
    resetConfigForTests();
    const config = validate(process.env);
    if (isSet(process.env.AWS_ACCESS_KEY_ID)) allowS3AccessKey(process.env.AWS_ACCESS_KEY_ID);

    const dynamoClient = localDynamoClient(dynamo.endpoint, config.region);
    const s3Client = localS3Client(s3.endpoint, config.region);
    let streamArn: string;
    try {
      await ensureLocalTable(dynamoClient, config.tableName);
      streamArn = await localTableStreamArn(dynamoClient, config.tableName);
      await ensureBucket(s3Client, config.buckets.uploads);
      await ensureBucket(s3Client, config.buckets.archive, 'objectLock' in BUCKET_DEFINITIONS.archive);
    } finally {
      dynamoClient.destroy();
      s3Client.destroy();
    }

    // Load every handler now, like cold starts: a broken module fails start-up, not the first request.
    const loadHandler = options.loadHandler ?? createHandlerLoader();
    for (const modulePath of [...topology.routeGroups.map((g) => g.handler), topology.fallback.handler]) {
      await loadHandler(modulePath);
    }

    // Step Functions' part: the ASL file in-process, started through the registry the meetings code reads, and
    // task tokens answered through the registry the transcription callbacks read.
    const pipeline = await connectLocalPipeline({
      topology,
      loadHandler,
      region: config.region,
      onExecutionFailed: (meetingId, error) =>
        console.error(`pipeline: execution for meeting ${meetingId} failed (${error ?? 'unknown'})`),
      onExecutionDone: options.onPipelineExecutionDone,
      timing: pipelineTimingFromEnv(process.env),
    });
    if (pipeline) {
      registerLocalTaskCallbacks(pipeline.taskTokens);
      cleanups.push(async () => {
        registerLocalPipeline(undefined);
        registerLocalTaskCallbacks(undefined);
        await pipeline.stop();
      });
    }

    // The platform intake (webhook meetings' files fetched after the webhook answered): a second ASL file.
    const intake = await connectLocalPlatformIntake({
      topology,
      loadHandler,
      region: config.region,
      ...(options.intakeRetryIntervalOverrides
        ? { retryIntervalOverrides: options.intakeRetryIntervalOverrides }
        : {}),
      onExecutionDone: (meetingId, outcome) => {
        // ABORTED: the host is stopping. A failed intake has already failed its meeting with the reason.
        if (outcome.status === 'FAILED' || outcome.status === 'TIMED_OUT')
          console.error(`platform intake: meeting ${meetingId} failed (${outcome.error ?? 'unknown'})`);
        options.onIntakeExecutionDone?.(meetingId, outcome);
      },
    });
    if (intake) {
      cleanups.push(async () => {
        registerLocalPlatformIntake(undefined);
        await intake.stop();
      });
    }

    const events = await connectEventSources({
      sources: topology.eventSources,
      s3,
      buckets: config.buckets,
      region: config.region,
      table: { endpoint: dynamo.endpoint, streamArn },
    });
    cleanups.push(events.stop);

    // EventBridge Scheduler's part: each schedule's function on its expression, and on demand through a
    // loopback door the CLI finds in local-host.json.
    const schedules = startLocalSchedules({
      schedules: topology.schedules,
      loadHandler,
      region: config.region,
      onExpressions: runSchedulesOnExpressions,
      ...(options.onScheduleRun ? { onRun: options.onScheduleRun } : {}),
    });
    cleanups.push(schedules.stop);
    const control = await startControlServer(LOCAL_BIND_HOST, schedules.run);
    cleanups.push(control.close);

    const gateway = await startHttpGateway({
      topology,
      loadHandler,
      region: config.region,
      port: requestedPort,
      host: LOCAL_BIND_HOST,
    });
    cleanups.push(gateway.close);

    await writeHostState(home, {
      pid: process.pid,
      status: 'ready',
      memory,
      url: gateway.url,
      dynamodb: { endpoint: dynamo.endpoint, pid: dynamo.pid },
      s3: { endpoint: s3.endpoint },
      tableName: config.tableName,
      buckets: config.buckets,
      control: { url: control.url, token: control.token },
    });

    const startupMs = Date.now() - started;
    print(`Smart Advisor OS — local host${memory ? ' (in memory)' : ''}`);
    for (const line of endpointLines(topology)) print(line);
    const summary = {
      cwd,
      memory,
      config,
      env: process.env,
      dynamodb: { endpoint: dynamo.endpoint, pid: dynamo.pid, dataDir: dynamo.dataDir },
      s3: { endpoint: s3.endpoint, directory: s3.directory },
      secrets,
      topology,
      served: {
        pipelineTasks: pipeline !== undefined,
        intakeTasks: intake !== undefined,
        eventSources: true,
        timedSchedules: schedules.timed,
      },
      notes,
    };
    for (const line of serviceLines(summary)) print(line);
    print(summaryLine('started', `in ${(startupMs / 1000).toFixed(1)} s`));
    print(`ready ${gateway.url}`);

    return {
      url: gateway.url,
      port: gateway.port,
      home,
      memory,
      env,
      config,
      dynamodb: summary.dynamodb,
      s3: { ...summary.s3, server: s3.server },
      startupMs,
      eventsIdle: events.idle,
      runSchedule: schedules.run,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** `SMARTAD_SCHEDULES`: `on` (or unset) runs the schedules on their expressions, `off` only on demand. */
export function schedulesFromEnv(value: string | undefined): boolean {
  if (value === undefined || value === '' || value === 'on') return true;
  if (value === 'off') return false;
  throw new LocalHostError(`SMARTAD_SCHEDULES must be on or off (got "${value}")`);
}

/** The configuration `env` describes; a bad variable is the one-line `LocalHostError` the CLI prints. */
export function validate(env: Record<string, string | undefined>): Config {
  try {
    return parseConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) throw new LocalHostError(error.message, { cause: error });
    throw error;
  }
}
