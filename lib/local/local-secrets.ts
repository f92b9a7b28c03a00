import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SigningKeyDocumentSchema } from '../../functions/platform/crypto/access-token';
import {
  generateKeyringKey,
  parseKeyringDocument,
  stringifyKeyringDocument,
} from '../../functions/platform/crypto/keyring';
import { LocalHostError } from './errors';

/** What the local host puts in `KEYRING_FILE` and `SIGNING_KEY_FILE`. */
export interface LocalSecrets {
  keyringFile: string;
  signingKeyFile: string;
  /** Files this call generated. */
  created: string[];
  /** Existing files whose mode was broader than 0600 and has been narrowed to 0600. */
  permissionsFixed: string[];
}

interface SecretFile {
  path: string;
  generate: () => string;
  /** Throws a message naming what is wrong, never the content. */
  validate: (content: string) => void;
  /** What regenerating the file costs, for the error message. */
  replacing: string;
}

/**
 * Makes sure the local host has its two secrets under `home` (usually `.smartad/`): a one-key keyring
 * (`keyring.json`) and a token-signing key (`signing-key.json`, `{"kid":"s1","secret":…}`).
 *
 * First start generates both with mode 0600 in a 0700 directory. Later starts never overwrite them (that would
 * make every stored ciphertext unreadable); they narrow a too-broad mode to 0600 and report it, and refuse a
 * malformed file with an error naming the file but not its contents.
 */
export async function ensureLocalSecrets(home: string): Promise<LocalSecrets> {
  await ensureDirectory(home);
  const keyringFile = join(home, 'keyring.json');
  const signingKeyFile = join(home, 'signing-key.json');
  const result: LocalSecrets = { keyringFile, signingKeyFile, created: [], permissionsFixed: [] };

  const files: SecretFile[] = [
    {
      path: keyringFile,
      generate: () => stringifyKeyringDocument({ keys: [generateKeyringKey('k1')] }),
      validate: (content) => {
        parseKeyringDocument(content);
      },
      replacing: 'data encrypted under the old keyring then becomes unreadable',
    },
    {
      path: signingKeyFile,
      generate: () => JSON.stringify({ kid: 's1', secret: randomBytes(48).toString('base64url') }),
      validate: (content) => {
        let raw: unknown;
        try {
          raw = JSON.parse(content);
        } catch {
          throw new Error('not valid JSON');
        }
        const parsed = SigningKeyDocumentSchema.safeParse(raw);
        if (!parsed.success) {
          throw new Error(
            parsed.error.issues.map((i) => `${i.path.join('.') || '(document)'}: ${i.message}`).join('; '),
          );
        }
      },
      replacing: 'tokens signed with the old key then stop verifying',
    },
  ];

  for (const file of files) {
    const outcome = await ensureSecretFile(file);
    if (outcome === 'created') result.created.push(file.path);
    if (outcome === 'permissions-fixed') result.permissionsFixed.push(file.path);
  }
  return result;
}

async function ensureDirectory(home: string): Promise<void> {
  const existed = await stat(home).then(
    (s) => s.isDirectory() || fail(`${home} exists but is not a directory.`),
    (error: NodeJS.ErrnoException) => (error.code === 'ENOENT' ? false : fail(`Cannot use ${home}.`, error)),
  );
  if (existed) return;
  await mkdir(home, { recursive: true, mode: 0o700 });
  // mkdir's mode is filtered by the umask; be explicit.
  await chmod(home, 0o700);
}

async function ensureSecretFile(file: SecretFile): Promise<'created' | 'permissions-fixed' | 'unchanged'> {
  try {
    // 'wx' fails if the file exists, so two hosts starting at once cannot overwrite each other's key.
    await writeFile(file.path, file.generate(), { mode: 0o600, flag: 'wx' });
    await chmod(file.path, 0o600);
    return 'created';
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') fail(`Cannot create ${file.path}.`, error);
  }

  // Narrow the mode before anything else, so a malformed file is not left readable by others either.
  const fixed = ((await stat(file.path)).mode & 0o777 & ~0o600) !== 0;
  if (fixed) await chmod(file.path, 0o600);

  let content: string;
  try {
    content = await readFile(file.path, 'utf8');
  } catch (error) {
    fail(`Cannot read ${file.path}.`, error);
  }
  try {
    file.validate(content);
  } catch (error) {
    // ConfigError messages from the keyring schema name paths and rules only, never values.
    fail(
      `${file.path} is malformed (${(error as Error).message}). Fix it, or move it away to have a new one ` +
        `generated (${file.replacing}).`,
    );
  }

  return fixed ? 'permissions-fixed' : 'unchanged';
}

function fail(message: string, cause?: unknown): never {
  throw new LocalHostError(message, cause === undefined ? undefined : { cause });
}
