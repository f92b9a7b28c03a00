import { chmod, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createKeyring, parseKeyringDocument } from '../../../functions/platform/crypto/keyring';
import { LocalHostError } from '../../../lib/local/errors';
import { ensureLocalSecrets } from '../../../lib/local/local-secrets';

let root: string;
let home: string;

async function modeOf(path: string): Promise<number> {
  return (await stat(path)).mode & 0o777;
}

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'local-secrets-'));
  home = join(root, '.smartad');
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('ensureLocalSecrets', () => {
  it('creates a 0700 directory with a one-key keyring and a signing key, both 0600', async () => {
    const result = await ensureLocalSecrets(home);

    expect(result.keyringFile).toBe(join(home, 'keyring.json'));
    expect(result.signingKeyFile).toBe(join(home, 'signing-key.json'));
    expect(result.created).toEqual([result.keyringFile, result.signingKeyFile]);
    expect(result.permissionsFixed).toEqual([]);
    expect(await modeOf(home)).toBe(0o700);
    expect(await modeOf(result.keyringFile)).toBe(0o600);
    expect(await modeOf(result.signingKeyFile)).toBe(0o600);

    const keyring = createKeyring(parseKeyringDocument(await readFile(result.keyringFile, 'utf8')));
    expect(keyring.keyIds).toEqual(['k1']);
    expect(keyring.decryptString(keyring.encrypt('hello', 'aad'), 'aad')).toBe('hello');

    const signing = JSON.parse(await readFile(result.signingKeyFile, 'utf8'));
    expect(Object.keys(signing).sort()).toEqual(['kid', 'secret']);
    expect(signing.kid).toBe('s1');
    expect(signing.secret).toMatch(/^[A-Za-z0-9_-]{64}$/);
  });

  it('never overwrites existing files on later starts', async () => {
    const first = await ensureLocalSecrets(home);
    const keyring = await readFile(first.keyringFile, 'utf8');
    const signing = await readFile(first.signingKeyFile, 'utf8');

    const second = await ensureLocalSecrets(home);

    expect(second.created).toEqual([]);
    expect(second.permissionsFixed).toEqual([]);
    expect(await readFile(second.keyringFile, 'utf8')).toBe(keyring);
    expect(await readFile(second.signingKeyFile, 'utf8')).toBe(signing);
  });

  it('generates different secrets for different homes', async () => {
    const a = await ensureLocalSecrets(join(root, 'a'));
    const b = await ensureLocalSecrets(join(root, 'b'));
    expect(await readFile(a.keyringFile, 'utf8')).not.toBe(await readFile(b.keyringFile, 'utf8'));
    expect(await readFile(a.signingKeyFile, 'utf8')).not.toBe(await readFile(b.signingKeyFile, 'utf8'));
  });

  it('creates only the missing file when the other exists', async () => {
    const first = await ensureLocalSecrets(home);
    await rm(first.signingKeyFile);
    const second = await ensureLocalSecrets(home);
    expect(second.created).toEqual([first.signingKeyFile]);
  });

  it('narrows a file mode broader than 0600 and reports it', async () => {
    const first = await ensureLocalSecrets(home);
    await chmod(first.keyringFile, 0o644);
    await chmod(first.signingKeyFile, 0o660);

    const second = await ensureLocalSecrets(home);

    expect(second.permissionsFixed).toEqual([first.keyringFile, first.signingKeyFile]);
    expect(await modeOf(first.keyringFile)).toBe(0o600);
    expect(await modeOf(first.signingKeyFile)).toBe(0o600);
  });

  it('leaves a narrower mode such as 0400 alone', async () => {
    const first = await ensureLocalSecrets(home);
    await chmod(first.keyringFile, 0o400);
    const second = await ensureLocalSecrets(home);
    expect(second.permissionsFixed).toEqual([]);
    expect(await modeOf(first.keyringFile)).toBe(0o400);
  });

  it('leaves an existing directory mode alone', async () => {
    await mkdir(home, { mode: 0o755 });
    await chmod(home, 0o755);
    await ensureLocalSecrets(home);
    expect(await modeOf(home)).toBe(0o755);
  });

  it.each([
    [
      'keyring.json',
      '{"keys":[{"id":"k1","material":"too-short-secret"}]}',
      'too-short-secret',
      /keys\.0\.material/,
    ],
    [
      'keyring.json',
      '{"keys":[{"id":"k1","material":"not closed-but-long-enough-secret-1234',
      'long-enough',
      /JSON/,
    ],
    ['signing-key.json', '{"kid":"s1","secret":"tiny-secret"}', 'tiny-secret', /secret/],
    ['signing-key.json', 'secret-material-without-any-json-structure', 'without-any', /not valid JSON/],
  ])(
    'rejects a malformed %s naming the file but not its contents',
    async (name, content, fragment, reason) => {
      await mkdir(home, { recursive: true });
      await writeFile(join(home, name), content, { mode: 0o644 });

      const error = await ensureLocalSecrets(home).catch((e: unknown) => e);

      expect(error).toBeInstanceOf(LocalHostError);
      const message = (error as Error).message;
      expect(message).toContain(join(home, name));
      expect(message).toMatch(reason);
      expect(message).not.toContain(fragment);
      expect(await readFile(join(home, name), 'utf8')).toBe(content);
      expect(await modeOf(join(home, name))).toBe(0o600);
    },
  );

  it('accepts a keyring file in the bootstrap single-key form', async () => {
    await mkdir(home, { recursive: true });
    await writeFile(join(home, 'keyring.json'), JSON.stringify({ id: 'k1', material: 'b'.repeat(43) }), {
      mode: 0o600,
    });
    const result = await ensureLocalSecrets(home);
    expect(result.created).toEqual([result.signingKeyFile]);
  });

  it('fails clearly when home is a file', async () => {
    await writeFile(home, 'not a directory');
    await expect(ensureLocalSecrets(home)).rejects.toThrow(`${home} exists but is not a directory.`);
  });
});
