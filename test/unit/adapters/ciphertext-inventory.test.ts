import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import {
  OBJECT_CIPHERTEXTS,
  sealField,
  sealObject,
  TABLE_CIPHERTEXTS,
  UnregisteredCiphertextError,
} from '../../../functions/adapters/keyring/ciphertext-inventory';
import { encodeItem } from '../../../functions/adapters/store/item-codec';
import { createKeyring, generateKeyringKey } from '../../../functions/platform/crypto/keyring';

const ROOT = join(import.meta.dirname, '..', '..', '..');
/** The only files that may call the keyring's `encrypt` (or AES itself). */
const ALLOWED = new Set([
  'functions/platform/crypto/keyring.ts',
  'functions/adapters/keyring/ciphertext-inventory.ts',
]);
const keyring = createKeyring({ keys: [generateKeyringKey('k1')] });

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') && !path.endsWith('.d.ts') ? [path] : [];
  });
}

const productionFiles = () =>
  ['functions', 'lib', 'bin'].flatMap((dir) => sourceFiles(join(ROOT, dir))).map((p) => relative(ROOT, p));

/**
 * Every way code can reach a keyring's `encrypt` or Node's AES — `k.encrypt(…)`, `k['encrypt']`,
 * `const { encrypt } = k`, `createCipheriv` — as `file:line`. Syntactic, so casts and aliases do not hide it.
 */
function encryptionSites(file: string, text: string): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const sites: string[] = [];
  const note = (node: ts.Node) =>
    sites.push(`${file}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`);
  const named = (name: ts.Node | undefined, ...texts: string[]) =>
    name !== undefined && (ts.isIdentifier(name) || ts.isStringLiteral(name)) && texts.includes(name.text);
  const visit = (node: ts.Node) => {
    if (ts.isPropertyAccessExpression(node) && named(node.name, 'encrypt', 'createCipheriv')) note(node);
    else if (
      ts.isElementAccessExpression(node) &&
      named(node.argumentExpression, 'encrypt', 'createCipheriv')
    )
      note(node);
    else if (ts.isBindingElement(node) && named(node.propertyName ?? node.name, 'encrypt', 'createCipheriv'))
      note(node);
    else if (ts.isImportSpecifier(node) && named(node.propertyName ?? node.name, 'createCipheriv'))
      note(node);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return sites;
}

/** Object literals declaring an entity with encrypted fields: `{ name: 'x', …, encrypted: ['a', …] }`. */
function entityDeclarations(file: string, text: string): { name: string; encrypted: string[]; at: string }[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const literalNames = new Map<string, string>();
  const found: { name: ts.Expression; encrypted: string[]; at: string }[] = [];
  const property = (literal: ts.ObjectLiteralExpression, key: string) =>
    literal.properties.find(
      (p): p is ts.PropertyAssignment => ts.isPropertyAssignment(p) && named(p.name, key),
    )?.initializer;
  const named = (n: ts.Node, key: string) => ts.isIdentifier(n) && n.text === key;
  const visit = (node: ts.Node) => {
    if (ts.isObjectLiteralExpression(node)) {
      const name = property(node, 'name');
      const encrypted = property(node, 'encrypted');
      if (name && encrypted && ts.isArrayLiteralExpression(encrypted)) {
        found.push({
          name,
          encrypted: encrypted.elements.map((e) => (ts.isStringLiteral(e) ? e.text : `<${e.getText()}>`)),
          at: `${file}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`,
        });
      }
      const parent = node.parent;
      if (name && ts.isStringLiteral(name) && parent && ts.isVariableDeclaration(parent))
        literalNames.set(parent.name.getText(), name.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found.map(({ name, encrypted, at }) => ({
    // `name: UserEntity.name` names the entity declared in the same file.
    name: ts.isStringLiteral(name)
      ? name.text
      : ts.isPropertyAccessExpression(name)
        ? (literalNames.get(name.expression.getText()) ?? `<${name.getText()}>`)
        : `<${name.getText()}>`,
    encrypted,
    at,
  }));
}

describe('the ciphertext inventory', () => {
  // Parses every production file: give it time on a loaded machine.
  it('is the only production code that encrypts with the keyring', { timeout: 60_000 }, () => {
    const sites = productionFiles()
      .filter((file) => !ALLOWED.has(file))
      .flatMap((file) => encryptionSites(file, readFileSync(join(ROOT, file), 'utf8')));
    expect(sites, 'encrypt through sealField/sealObject/sealTransient in ciphertext-inventory.ts').toEqual(
      [],
    );
  });

  it('finds encryption however it is spelled (so the check above can fail)', () => {
    const text = [
      'k.encrypt(a, b);',
      "(k as any)['encrypt'](a, b);",
      'const { encrypt } = k;',
      'const { encrypt: seal } = k;',
      "import { createCipheriv } from 'node:crypto';",
      'crypto.createCipheriv("aes-256-gcm", key, iv);',
      'k.decrypt(a, b); const encrypted = 1;',
    ].join('\n');
    expect(encryptionSites('x.ts', text)).toEqual([
      'x.ts:1',
      'x.ts:2',
      'x.ts:3',
      'x.ts:4',
      'x.ts:5',
      'x.ts:6',
    ]);
  });

  it('lists exactly the encrypted fields every entity declares', { timeout: 60_000 }, () => {
    const declared = productionFiles().flatMap((file) =>
      entityDeclarations(file, readFileSync(join(ROOT, file), 'utf8')),
    );
    expect(declared.length).toBeGreaterThan(10);
    for (const entity of declared.filter((e) => e.encrypted.length > 0)) {
      const registered: readonly string[] | undefined = (
        TABLE_CIPHERTEXTS as Record<string, readonly string[]>
      )[entity.name];
      expect(
        [...(registered ?? [])].sort(),
        `${entity.at}: entity '${entity.name}' encrypts ${entity.encrypted.join(', ')}`,
      ).toEqual([...entity.encrypted].sort());
    }
  });

  it('finds an unregistered entity declaration (so the check above can fail)', () => {
    const text = "const ChatEntity = { name: 'chat_message', schema, encrypted: ['text'] };";
    const [entity] = entityDeclarations('chat.ts', text);
    expect(entity).toEqual({ name: 'chat_message', encrypted: ['text'], at: 'chat.ts:1' });
    expect(Object.hasOwn(TABLE_CIPHERTEXTS, 'chat_message')).toBe(false);
  });

  it('refuses to seal a field, an object or an entity item it does not list', () => {
    const keys = { pk: 'T#1#CHAT', sk: 'MSG#1' };
    expect(() => sealField(keyring, 'chat_message', keys, 'text', 'hi')).toThrow(UnregisteredCiphertextError);
    expect(() => sealField(keyring, 'meeting', keys, 'transcript', 'hi')).toThrow(/meeting\.transcript/);
    expect(() =>
      sealObject(keyring, 'meeting-artifacts', 'b', 'exports/firm.zip', new Uint8Array(1)),
    ).toThrow(/not registered in ciphertext-inventory\.ts/);
    const ChatEntity = {
      name: 'chat_message',
      schema: z.object({ text: z.string() }),
      encrypted: ['text'] as const,
    };
    expect(() => encodeItem(keyring, ChatEntity, keys, { text: 'hi' })).toThrow(UnregisteredCiphertextError);
  });

  it('seals registered places, bound to where they are stored', () => {
    const keys = { pk: 'T#1#MEETING#m1', sk: 'META' };
    const sealed = sealField(keyring, 'meeting', keys, 'title', '"Review"');
    expect(keyring.keyIdOf(sealed)).toBe('k1');
    const [store] = OBJECT_CIPHERTEXTS;
    const object = sealObject(
      keyring,
      store.name,
      'bucket',
      `${store.prefix}t1/meetings/m1/x.json`,
      new Uint8Array(3),
    );
    expect(keyring.keyIdOf(object)).toBe('k1');
  });
});
