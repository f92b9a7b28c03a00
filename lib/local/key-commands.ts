import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { KeyMaintenanceTargets } from '../../functions/adapters/keyring/key-store-pass';
import { type RetireKeyResult, retireKey } from '../../functions/adapters/keyring/retire-key';
import { type RotateKeysResult, rotateKeys } from '../../functions/adapters/keyring/rotate-keys';
import { createSecretStore } from '../../functions/adapters/secrets/secret-source';
import type { Config } from '../../functions/platform/config/config';
import { ensureLocalTable } from './create-local-table';
import { type DynamoEngine, LOCAL_ENGINE_CREDENTIALS, startDynamoEngine } from './dynamo-engine';
import { LocalHostError } from './errors';
import { claimHome, isProcessAlive, readHostState, removeHostState } from './host-state';
import { assertJavaAvailable } from './java-check';
import { LOCAL_DEFAULTS } from './local-environment';
import { DEFAULT_HOME, validate } from './local-host';
import { ensureBucket, localS3Client, type S3Engine, startS3Engine } from './s3-engine';

export type KeyCommand = { name: 'rotate-keys'; resume: boolean } | { name: 'retire-key'; keyId: string };

export interface KeyCommandOptions {
  command: KeyCommand;
  /** The deployed table, buckets and keyring secret (from the environment) instead of the local host's. */
  aws: boolean;
  concurrency?: number;
  pageSize?: number;
  cwd?: string;
  log?: (line: string) => void;
}

const isSet = (value: string | undefined): value is string => value !== undefined && value !== '';

/**
 * `smartad rotate-keys` and `smartad retire-key` against the local host's data or, with `aws`, the deployed
 * stack's. Locally, which engines: `DYNAMODB_ENDPOINT` and `S3_ENDPOINT` when both are set; else the running
 * (non-memory) local host of `SMARTAD_HOME`, read from its `local-host.json`; else DynamoDB Local and s3rver
 * started on `SMARTAD_HOME`'s data for the duration (and always stopped afterwards). The keyring is
 * `KEYRING_FILE` / `KEYRING_SECRET_ID` when set, else the local host's `keyring.json`. On AWS: `TABLE_NAME`,
 * `UPLOADS_BUCKET`, `ARCHIVE_BUCKET`, `KEYRING_SECRET_ID` and `AWS_REGION`, with the default credential chain.
 */
export async function runKeyCommand(options: KeyCommandOptions): Promise<RotateKeysResult | RetireKeyResult> {
  const log = options.log ?? ((line: string) => console.log(line));
  const cleanups: (() => Promise<void>)[] = [];
  try {
    const targets = options.aws
      ? awsTargets(log)
      : await localTargets(options.cwd ?? process.cwd(), log, cleanups);
    const run = {
      ...targets,
      ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }),
      ...(options.pageSize === undefined ? {} : { pageSize: options.pageSize }),
    };
    return options.command.name === 'rotate-keys'
      ? await rotateKeys({ ...run, resume: options.command.resume })
      : await retireKey({ ...run, keyId: options.command.keyId });
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  }
}

function awsTargets(log: (line: string) => void): KeyMaintenanceTargets {
  const env: Record<string, string | undefined> = { SIGNING_KEY_FILE: '(unused)' };
  for (const [name, value] of Object.entries(process.env)) if (isSet(value)) env[name] = value;
  if (isSet(env.SIGNING_KEY_SECRET_ID)) delete env.SIGNING_KEY_FILE;
  const missing = [
    'AWS_REGION',
    'TABLE_NAME',
    'UPLOADS_BUCKET',
    'ARCHIVE_BUCKET',
    'KEYRING_SECRET_ID',
  ].filter((name) => !isSet(env[name]));
  if (missing.length > 0) {
    throw new LocalHostError(
      `--aws needs ${missing.join(', ')} (the deployed stack's outputs; README, "Key rotation on AWS")`,
    );
  }
  if (isSet(env.KEYRING_FILE)) throw new LocalHostError('--aws uses KEYRING_SECRET_ID; unset KEYRING_FILE');
  const config = validate(env);
  log(`Using the deployed table ${config.tableName} and buckets in ${config.region}.`);
  return {
    ...common(config),
    dynamo: new DynamoDBClient({ region: config.region }),
    s3: new S3Client({ region: config.region }),
    secrets: createSecretStore({ secretsManager: () => new SecretsManagerClient({ region: config.region }) }),
    log,
  };
}

async function localTargets(
  cwd: string,
  log: (line: string) => void,
  cleanups: (() => Promise<void>)[],
): Promise<KeyMaintenanceTargets> {
  const home = resolve(cwd, isSet(process.env.SMARTAD_HOME) ? process.env.SMARTAD_HOME : DEFAULT_HOME);
  const config = localConfig(join(home, 'keyring.json'));
  if (config.keyring.kind === 'file' && !existsSync(config.keyring.path)) {
    throw new LocalHostError(
      `No keyring at ${config.keyring.path}; run \`smartad start\` once to create it, or set KEYRING_FILE`,
    );
  }
  let endpoints = { dynamodb: config.endpoints.dynamodb, s3: config.endpoints.s3 };
  if (isSet(endpoints.dynamodb) && isSet(endpoints.s3)) {
    log(`Using DYNAMODB_ENDPOINT ${endpoints.dynamodb} and S3_ENDPOINT ${endpoints.s3}.`);
  } else {
    const state = await readHostState(home);
    const running = state !== undefined && isProcessAlive(state.pid);
    if (running && !state.memory && state.dynamodb && state.s3) {
      endpoints = { dynamodb: state.dynamodb.endpoint, s3: state.s3.endpoint };
      log(
        `Using the running local host's DynamoDB Local at ${endpoints.dynamodb} and S3 at ${endpoints.s3}.`,
      );
    } else if (running && !state.memory) {
      throw new LocalHostError(
        `A local host (pid ${state.pid}) is starting on ${home}; try again when it is ready`,
      );
    } else {
      assertJavaAvailable();
      // A memory host does not use the data files; otherwise keep a host from opening them while we work.
      if (!running) {
        for (const note of await claimHome(home, false)) log(note);
        cleanups.push(() => removeHostState(home));
      }
      const [dynamo, s3] = await startEngines(home, cleanups);
      endpoints = { dynamodb: dynamo.endpoint, s3: s3.endpoint };
      log(
        `Started DynamoDB Local on ${join(home, 'dynamodb')} and s3rver on ${join(home, 's3')} for the run.`,
      );
    }
  }

  const dynamo = new DynamoDBClient({
    endpoint: endpoints.dynamodb,
    region: config.region,
    ...(isSet(process.env.AWS_ACCESS_KEY_ID) ? {} : { credentials: LOCAL_ENGINE_CREDENTIALS }),
  });
  const s3 = localS3Client(endpoints.s3 as string, config.region);
  cleanups.push(async () => {
    dynamo.destroy();
    s3.destroy();
  });
  await ensureLocalTable(dynamo, config.tableName);
  await ensureBucket(s3, config.buckets.uploads);
  return { ...common(config), dynamo, s3, log };
}

async function startEngines(
  home: string,
  cleanups: (() => Promise<void>)[],
): Promise<[DynamoEngine, S3Engine]> {
  const [dynamo, s3] = await Promise.allSettled([
    startDynamoEngine({ dataDir: join(home, 'dynamodb') }),
    startS3Engine(join(home, 's3')),
  ]);
  if (dynamo.status === 'fulfilled') cleanups.push(dynamo.value.stop);
  if (s3.status === 'fulfilled') cleanups.push(s3.value.stop);
  if (dynamo.status === 'rejected') throw dynamo.reason;
  if (s3.status === 'rejected') throw s3.reason;
  return [dynamo.value, s3.value];
}

function common(config: Config) {
  return {
    source: config.keyring,
    tableName: config.tableName,
    buckets: config.buckets,
    keyringCacheSeconds: config.keyringCacheSeconds,
  };
}

/** The table, buckets, region and keyring source, with the local host's defaults for what the user has not set. */
function localConfig(keyringFile: string): Config {
  const env: Record<string, string | undefined> = { ...LOCAL_DEFAULTS, SIGNING_KEY_FILE: '(unused)' };
  for (const [name, value] of Object.entries(process.env)) if (isSet(value)) env[name] = value;
  if (!isSet(env.KEYRING_FILE) && !isSet(env.KEYRING_SECRET_ID)) env.KEYRING_FILE = keyringFile;
  if (isSet(env.SIGNING_KEY_SECRET_ID)) delete env.SIGNING_KEY_FILE;
  return validate(env);
}
