import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { type RotateKeysResult, rotateKeys } from '../../functions/adapters/store/rotate-keys';
import { type Config, parseConfig } from '../../functions/platform/config/config';
import { ConfigError } from '../../functions/platform/errors';
import { ensureLocalTable } from './create-local-table';
import { type DynamoEngine, LOCAL_ENGINE_CREDENTIALS, startDynamoEngine } from './dynamo-engine';
import { LocalHostError } from './errors';
import { claimHome, isProcessAlive, readHostState, removeHostState } from './host-state';
import { assertJavaAvailable } from './java-check';
import { LOCAL_DEFAULTS } from './local-environment';
import { DEFAULT_HOME } from './local-host';

export interface RotateLocalKeysOptions {
  resume: boolean;
  cwd?: string;
  log?: (line: string) => void;
}

const isSet = (value: string | undefined): value is string => value !== undefined && value !== '';

/**
 * `smartad rotate-keys` against the local table. Which DynamoDB it talks to, in order: `DYNAMODB_ENDPOINT`
 * when set; else the running (non-memory) local host of `SMARTAD_HOME`, read from its `local-host.json`; else
 * a DynamoDB Local started on `SMARTAD_HOME/dynamodb` for the duration (and always stopped afterwards). The
 * keyring is `KEYRING_FILE` / `KEYRING_SECRET_ID` when set, else the local host's `keyring.json`.
 */
export async function rotateLocalKeys(options: RotateLocalKeysOptions): Promise<RotateKeysResult> {
  const log = options.log ?? ((line: string) => console.log(line));
  const cwd = options.cwd ?? process.cwd();
  const home = resolve(cwd, isSet(process.env.SMARTAD_HOME) ? process.env.SMARTAD_HOME : DEFAULT_HOME);
  const keyringFile = join(home, 'keyring.json');
  const config = rotationConfig(keyringFile);
  if (config.keyring.kind === 'file' && !existsSync(config.keyring.path)) {
    throw new LocalHostError(
      `No keyring at ${config.keyring.path}; run \`smartad start\` once to create it, or set KEYRING_FILE`,
    );
  }

  let engine: DynamoEngine | undefined;
  let claimed = false;
  let endpoint = process.env.DYNAMODB_ENDPOINT;
  try {
    if (isSet(endpoint)) {
      log(`Using DYNAMODB_ENDPOINT ${endpoint}.`);
    } else {
      const state = await readHostState(home);
      const running = state !== undefined && isProcessAlive(state.pid);
      if (running && !state.memory && state.dynamodb) {
        endpoint = state.dynamodb.endpoint;
        log(`Using the running local host's DynamoDB Local at ${endpoint}.`);
      } else if (running && !state.memory) {
        throw new LocalHostError(
          `A local host (pid ${state.pid}) is starting on ${home}; try again when it is ready`,
        );
      } else {
        assertJavaAvailable();
        // A memory host does not use the data files; otherwise keep a host from opening them while we work.
        if (!running) {
          for (const note of await claimHome(home, false)) log(note);
          claimed = true;
        }
        engine = await startDynamoEngine({ dataDir: join(home, 'dynamodb') });
        endpoint = engine.endpoint;
        log(`Started DynamoDB Local on ${join(home, 'dynamodb')} for the rotation.`);
      }
    }

    const client = new DynamoDBClient({
      endpoint,
      region: config.region,
      ...(isSet(process.env.AWS_ACCESS_KEY_ID) ? {} : { credentials: LOCAL_ENGINE_CREDENTIALS }),
    });
    try {
      if (engine) await ensureLocalTable(client, config.tableName);
      const result = await rotateKeys({
        source: config.keyring,
        client,
        tableName: config.tableName,
        resume: options.resume,
        log,
      });
      log(
        `Done: everything is under key ${result.primaryKeyId}; ${result.scanned} items scanned, ` +
          `${result.reencrypted} re-encrypted (${result.reencryptedFields} fields), ${result.conflicts} conflicts.`,
      );
      return result;
    } finally {
      client.destroy();
    }
  } finally {
    await engine?.stop();
    if (claimed) await removeHostState(home);
  }
}

/** The table, region and keyring source, with the local host's defaults for what the user has not set. */
function rotationConfig(keyringFile: string): Config {
  const env: Record<string, string | undefined> = { ...LOCAL_DEFAULTS, SIGNING_KEY_FILE: '(unused)' };
  for (const [name, value] of Object.entries(process.env)) if (isSet(value)) env[name] = value;
  if (!isSet(env.KEYRING_FILE) && !isSet(env.KEYRING_SECRET_ID)) env.KEYRING_FILE = keyringFile;
  if (isSet(env.SIGNING_KEY_SECRET_ID)) delete env.SIGNING_KEY_FILE;
  try {
    return parseConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) throw new LocalHostError(error.message, { cause: error });
    throw error;
  }
}
