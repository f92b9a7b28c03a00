import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addKey,
  createKeyring,
  EncryptionKeyUnavailableError,
  generateKeyringKey,
  isCiphertext,
  type KeyringDocument,
  nextKeyId,
  parseKeyringDocument,
  removeKey,
  stringifyKeyringDocument,
  UnknownKeyError,
} from '../../../functions/platform/crypto/keyring';
import { ConfigError, DecryptionError } from '../../../functions/platform/errors';

const MATERIAL_1 = 'material-one-0123456789-abcdefghijklmnop';
const MATERIAL_2 = 'material-two-0123456789-abcdefghijklmnop';
const doc1: KeyringDocument = { keys: [{ id: 'k1', material: MATERIAL_1 }] };
const keyring = createKeyring(doc1);

const aadArb = fc.string({ unit: 'binary', maxLength: 200 });
const plaintextArb = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 500 }),
  fc.uint8Array({ maxLength: 2000 }),
);

function flipBit(bytes: Uint8Array, bit: number): Uint8Array {
  const copy = Uint8Array.from(bytes);
  copy[bit >> 3] = (copy[bit >> 3] as number) ^ (1 << (bit & 7));
  return copy;
}

function rejectsDecryption(run: () => unknown): boolean {
  try {
    run();
    return false;
  } catch (error) {
    return error instanceof DecryptionError;
  }
}

function configErrorOf(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('keyring encryption', () => {
  it('round-trips arbitrary strings and byte arrays under arbitrary aads', () => {
    fc.assert(
      fc.property(plaintextArb, aadArb, (plaintext, aad) => {
        const ciphertext = keyring.encrypt(plaintext, aad);
        const expected =
          typeof plaintext === 'string' ? Buffer.from(plaintext, 'utf8') : Buffer.from(plaintext);
        expect(keyring.decrypt(ciphertext, aad).equals(expected)).toBe(true);
        if (typeof plaintext === 'string') expect(keyring.decryptString(ciphertext, aad)).toBe(plaintext);
      }),
    );
  });

  it('lays out magic, key id, IV, body and tag as documented', () => {
    const ciphertext = Buffer.from(keyring.encrypt('hello', 'aad'));
    expect(ciphertext.subarray(0, 4).toString('ascii')).toBe('SAK1');
    expect(ciphertext[4]).toBe(2);
    expect(ciphertext.subarray(5, 7).toString('ascii')).toBe('k1');
    expect(ciphertext.length).toBe(4 + 1 + 2 + 12 + 5 + 16);
    expect(ciphertext.includes(Buffer.from('hello'))).toBe(false);
  });

  it('decrypts a ciphertext that is a view into a larger buffer', () => {
    const ciphertext = keyring.encrypt('in a view', 'aad');
    const big = new Uint8Array(ciphertext.length + 20);
    big.set(ciphertext, 7);
    expect(keyring.decryptString(big.subarray(7, 7 + ciphertext.length), 'aad')).toBe('in a view');
  });

  it('gives two encryptions of the same plaintext different ciphertexts (random IV)', () => {
    fc.assert(
      fc.property(plaintextArb, aadArb, (plaintext, aad) => {
        const a = Buffer.from(keyring.encrypt(plaintext, aad));
        const b = Buffer.from(keyring.encrypt(plaintext, aad));
        expect(a.equals(b)).toBe(false);
      }),
    );
  });

  it('throws DecryptionError for every single-bit flip of a ciphertext (exhaustive)', () => {
    const ciphertext = keyring.encrypt('flip me', 'pk\u0000sk\u0000attr');
    for (let bit = 0; bit < ciphertext.length * 8; bit++) {
      expect(rejectsDecryption(() => keyring.decrypt(flipBit(ciphertext, bit), 'pk\u0000sk\u0000attr'))).toBe(
        true,
      );
    }
  });

  it('throws DecryptionError for a single-bit flip anywhere in arbitrary ciphertexts', () => {
    fc.assert(
      fc.property(plaintextArb, aadArb, fc.nat(), (plaintext, aad, seed) => {
        const ciphertext = keyring.encrypt(plaintext, aad);
        const bit = seed % (ciphertext.length * 8);
        expect(rejectsDecryption(() => keyring.decrypt(flipBit(ciphertext, bit), aad))).toBe(true);
      }),
    );
  });

  it('throws DecryptionError when a flipped key-id byte names another key of the same keyring', () => {
    // 'k1' and 'k3' differ in one bit, so the flip selects a real key; authentication must still fail.
    const both = createKeyring({
      keys: [
        { id: 'k1', material: MATERIAL_1 },
        { id: 'k3', material: MATERIAL_2 },
      ],
    });
    const ciphertext = both.encrypt('secret', 'aad');
    const flipped = flipBit(ciphertext, 6 * 8 + 1);
    expect(both.keyIdOf(flipped)).toBe('k3');
    expect(() => both.decrypt(flipped, 'aad')).toThrow(DecryptionError);
  });

  it('throws DecryptionError when decrypting with a different aad', () => {
    fc.assert(
      fc.property(plaintextArb, aadArb, aadArb, (plaintext, aad, otherAad) => {
        fc.pre(aad !== otherAad);
        const ciphertext = keyring.encrypt(plaintext, aad);
        expect(rejectsDecryption(() => keyring.decrypt(ciphertext, otherAad))).toBe(true);
      }),
    );
  });

  it('throws DecryptionError for a ciphertext truncated at any length', () => {
    fc.assert(
      fc.property(plaintextArb, aadArb, fc.nat(), (plaintext, aad, seed) => {
        const ciphertext = keyring.encrypt(plaintext, aad);
        const length = seed % ciphertext.length;
        expect(rejectsDecryption(() => keyring.decrypt(ciphertext.subarray(0, length), aad))).toBe(true);
      }),
    );
    const ciphertext = keyring.encrypt('truncate me', 'aad');
    for (let length = 0; length < ciphertext.length; length++) {
      expect(rejectsDecryption(() => keyring.decrypt(ciphertext.subarray(0, length), 'aad'))).toBe(true);
    }
  });

  it('throws DecryptionError when bytes are appended', () => {
    const ciphertext = keyring.encrypt('extend me', 'aad');
    const longer = new Uint8Array(ciphertext.length + 1);
    longer.set(ciphertext);
    expect(() => keyring.decrypt(longer, 'aad')).toThrow(DecryptionError);
  });

  it('throws DecryptionError for a keyring whose key has the same id but other material', () => {
    const impostor = createKeyring({ keys: [{ id: 'k1', material: MATERIAL_2 }] });
    expect(() => impostor.decrypt(keyring.encrypt('secret', 'aad'), 'aad')).toThrow(DecryptionError);
  });

  it('throws DecryptionError for values that are not ciphertexts, and never returns empty data', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        expect(rejectsDecryption(() => keyring.decrypt(bytes, 'aad'))).toBe(true);
      }),
    );
    expect(() => keyring.decrypt(new Uint8Array(0), 'aad')).toThrow(DecryptionError);
    expect(() =>
      keyring.decrypt(Buffer.from('plain text that is long enough to be a ciphertext'), ''),
    ).toThrow(DecryptionError);
  });

  it('never puts plaintext or key material in error messages', () => {
    const ciphertext = keyring.encrypt('TOP-SECRET-PLAINTEXT', 'aad');
    for (const bad of [flipBit(ciphertext, 200), ciphertext.subarray(0, 30)]) {
      try {
        keyring.decrypt(bad, 'aad');
        expect.unreachable();
      } catch (error) {
        const text = `${(error as Error).message} ${String((error as Error).cause)}`;
        expect(text).not.toContain('TOP-SECRET');
        expect(text).not.toContain(MATERIAL_1);
      }
    }
  });
});

describe('keyring ciphertext framing', () => {
  const NOT_CIPHERTEXT = 'Value is not a keyring ciphertext (bad magic, key id or length).';
  const decryptError = (bytes: Uint8Array) => {
    try {
      keyring.decrypt(bytes, 'aad');
    } catch (error) {
      return error as DecryptionError;
    }
    throw new Error('decrypted');
  };
  const good = () => Buffer.from(keyring.encrypt('hello', 'aad'));

  it('refuses a value that is not framed as a ciphertext before trying any key', () => {
    const badMagic = good();
    badMagic[3] = 0x32; // 'SAK2'
    const noId = good();
    noId[4] = 0;
    const longId = Buffer.concat([Buffer.from('SAK1'), Buffer.from([33]), Buffer.alloc(33 + 12 + 16, 0x6b)]);
    const shortBody = good().subarray(0, 4 + 1 + 2 + 12 + 15);
    for (const bytes of [Buffer.from('SAK'), Buffer.from('SAK1'), badMagic, noId, longId, shortBody]) {
      const error = decryptError(bytes);
      expect(error).toBeInstanceOf(DecryptionError);
      expect(error.message).toBe(NOT_CIPHERTEXT);
    }
  });

  it('takes key ids of 1 and of 32 characters, the bounds of the frame', () => {
    for (const id of ['a', 'k'.repeat(32)]) {
      const ring = createKeyring({ keys: [{ id, material: MATERIAL_1 }] });
      const bytes = ring.encrypt('x', 'aad');
      expect(bytes[4]).toBe(id.length);
      expect(ring.decrypt(bytes, 'aad').toString()).toBe('x');
    }
  });

  it('fails authentication, not framing, for a well-framed ciphertext with an empty body', () => {
    const bytes = good();
    const framedOnly = Buffer.concat([bytes.subarray(0, 4 + 1 + 2 + 12), bytes.subarray(-16)]);
    expect(decryptError(framedOnly).message).toBe(
      "Ciphertext under key 'k1' failed authentication (wrong key, wrong aad or tampered).",
    );
  });

  it('names the unknown key id and every key it holds', () => {
    const two = createKeyring({
      keys: [
        { id: 'k3', material: MATERIAL_2 },
        { id: 'k2', material: MATERIAL_1 },
      ],
    });
    expect(() => two.decrypt(good(), 'aad')).toThrow(
      "Ciphertext was encrypted with unknown key id 'k1'; the keyring holds k3, k2.",
    );
  });

  it('encrypts strings as UTF-8 and byte arrays as they are', () => {
    const text = 'caf\u00e9 \u{1F600}';
    expect(keyring.decrypt(keyring.encrypt(text, 'aad'), 'aad').toString('utf8')).toBe(text);
    const bytes = Uint8Array.from([0xff, 0x00, 0xe9]);
    expect([...keyring.decrypt(keyring.encrypt(bytes, 'aad'), 'aad')]).toEqual([0xff, 0x00, 0xe9]);
    // 'é' as UTF-8 is two bytes: the body grows by the encoded length, not the string length.
    expect(keyring.encrypt('\u00e9', 'aad').length - keyring.encrypt('', 'aad').length).toBe(2);
  });
});

describe('keyring documents, field by field', () => {
  const configError = (run: () => unknown) => {
    try {
      run();
    } catch (error) {
      return error as ConfigError;
    }
    throw new Error('accepted');
  };

  it('numbers the next key after the highest k<n>, ignoring ids that only contain one', () => {
    const keys = ['xk7', 'k9x', 'k3', 'other'].map((id) => ({ id, material: MATERIAL_1 }));
    expect(nextKeyId({ keys })).toBe('k4');
  });

  it('removes exactly the named key, and refuses to remove the last one', () => {
    const two = { keys: [{ id: 'k2', material: MATERIAL_2 }, ...doc1.keys] };
    expect(removeKey(two, 'k2').keys.map((k) => k.id)).toEqual(['k1']);
    expect(removeKey(two, 'k1').keys.map((k) => k.id)).toEqual(['k2']);
    expect(configError(() => removeKey(doc1, 'k1'))).toBeInstanceOf(ConfigError);
  });

  it('reports when the primary key was added, and nothing for a key without the date', () => {
    const at = '2031-01-02T03:04:05.000Z';
    expect(createKeyring({ keys: [{ id: 'k1', material: MATERIAL_1, addedAt: at }] }).primaryAddedAt).toBe(
      Date.parse(at),
    );
    expect(createKeyring(doc1).primaryAddedAt).toBeUndefined();
  });

  it('keeps why a key was unavailable for the log, and tells the caller nothing about keys', () => {
    const cause = new UnknownKeyError('k9', ['k1']);
    const error = new EncryptionKeyUnavailableError('k9', 'T#firm-a#/MEETING#m-1', cause);
    expect(error).toMatchObject({
      code: 'encryption_key_unavailable',
      keyId: 'k9',
      record: 'T#firm-a#/MEETING#m-1',
    });
    expect(error.cause).toBe(cause);
    expect(error.message).toBe('This record cannot be decrypted right now. Try again later.');
  });

  it('stores addedAt when a key has it and leaves it out when not', () => {
    const at = '2031-01-02T03:04:05.000Z';
    expect(
      JSON.parse(
        stringifyKeyringDocument({ keys: [{ id: 'k2', material: MATERIAL_2, addedAt: at }, ...doc1.keys] }),
      ),
    ).toEqual({
      keys: [
        { id: 'k2', material: MATERIAL_2, addedAt: at },
        { id: 'k1', material: MATERIAL_1 },
      ],
    });
  });

  it('refuses documents of the wrong shape with a ConfigError naming where, never a TypeError', () => {
    for (const raw of ['null', '"k1"', '7', '[]', `[{"id":"k1","material":"${MATERIAL_1}"}]`]) {
      const error = configError(() => parseKeyringDocument(raw));
      expect(error).toBeInstanceOf(ConfigError);
      expect(error.issues.map((i) => i.path)).toEqual(['(document)']);
      expect(error.message).toMatch(/^Invalid keyring document — \(document\): /);
    }
    const notJson = configError(() => parseKeyringDocument('{'));
    expect(notJson.message).toBe('Keyring document is not valid JSON.');
    expect(notJson.issues).toEqual([{ path: '(document)', message: 'is not JSON' }]);
    const duplicate = configError(() =>
      parseKeyringDocument(JSON.stringify({ keys: [...doc1.keys, { id: 'k1', material: MATERIAL_2 }] })),
    );
    expect(duplicate.issues).toEqual([{ path: 'keys.1.id', message: "duplicate key id 'k1'" }]);
  });
});

describe('keyring ciphertext inspection', () => {
  it('recognises its own ciphertexts and reports their key id', () => {
    fc.assert(
      fc.property(plaintextArb, aadArb, (plaintext, aad) => {
        const ciphertext = keyring.encrypt(plaintext, aad);
        expect(isCiphertext(ciphertext)).toBe(true);
        expect(keyring.keyIdOf(ciphertext)).toBe('k1');
      }),
    );
  });

  it('does not take plain bytes for ciphertexts, and keyIdOf throws on them', () => {
    for (const bytes of [
      new Uint8Array(0),
      Buffer.from('SAK1'),
      Buffer.from('hello world, this is plain text'),
    ]) {
      expect(isCiphertext(bytes)).toBe(false);
      expect(() => keyring.keyIdOf(bytes)).toThrow(DecryptionError);
    }
    const header = Buffer.concat([
      Buffer.from('SAK1'),
      Buffer.from([2]),
      Buffer.from('k!'),
      Buffer.alloc(28),
    ]);
    expect(isCiphertext(header)).toBe(false);
  });
});

describe('keyring rotation', () => {
  it('after addKey the new key encrypts and old ciphertexts still decrypt', () => {
    fc.assert(
      fc.property(plaintextArb, aadArb, (plaintext, aad) => {
        const old = keyring.encrypt(plaintext, aad);
        const rotated = createKeyring(addKey(doc1, generateKeyringKey('k2')));
        expect(rotated.primaryKeyId).toBe('k2');
        expect(rotated.keyIds).toEqual(['k2', 'k1']);
        const fresh = rotated.encrypt(plaintext, aad);
        expect(rotated.keyIdOf(fresh)).toBe('k2');
        expect(rotated.decrypt(old, aad).equals(keyring.decrypt(old, aad))).toBe(true);
        expect(rotated.decrypt(fresh, aad).equals(keyring.decrypt(old, aad))).toBe(true);
      }),
      { numRuns: 50 },
    );
  });

  it('throws UnknownKeyError naming the key id when the keyring lacks the key', () => {
    const withoutK1 = createKeyring({ keys: [{ id: 'k2', material: MATERIAL_2 }] });
    const ciphertext = keyring.encrypt('old data', 'aad');
    expect(() => withoutK1.decrypt(ciphertext, 'aad')).toThrow(UnknownKeyError);
    expect(() => withoutK1.decrypt(ciphertext, 'aad')).toThrow(/unknown key id 'k1'/);
    expect(() => withoutK1.decrypt(ciphertext, 'aad')).toThrow(DecryptionError);
  });

  it('refuses to add a key whose id is already in the keyring', () => {
    expect(() => addKey(doc1, { id: 'k1', material: MATERIAL_2 })).toThrow(/duplicate key id 'k1'/);
  });

  it('generates keys of at least 43 random base64url characters', () => {
    const a = generateKeyringKey('k9');
    const b = generateKeyringKey('k9');
    expect(a.id).toBe('k9');
    expect(a.material).toMatch(/^[A-Za-z0-9_-]{43,}$/);
    expect(a.material).not.toBe(b.material);
    expect(() => generateKeyringKey('bad id')).toThrow();
  });

  it('numbers the next key one past the highest k<n>', () => {
    expect(nextKeyId(doc1)).toBe('k2');
    expect(
      nextKeyId({
        keys: [
          { id: 'k2', material: MATERIAL_1 },
          { id: 'k10', material: MATERIAL_2 },
        ],
      }),
    ).toBe('k11');
    expect(nextKeyId({ keys: [{ id: 'bootstrap', material: MATERIAL_1 }] })).toBe('k1');
  });
});

describe('keyring documents', () => {
  it('parses the multi-key form and round-trips through stringify', () => {
    const json = JSON.stringify({
      keys: [
        { id: 'k2', material: MATERIAL_2 },
        { id: 'k1', material: MATERIAL_1 },
      ],
    });
    const doc = parseKeyringDocument(json);
    expect(doc.keys.map((k) => k.id)).toEqual(['k2', 'k1']);
    expect(parseKeyringDocument(stringifyKeyringDocument(doc))).toEqual(doc);
  });

  it('parses the bootstrap single-key form as a one-key keyring', () => {
    const doc = parseKeyringDocument(JSON.stringify({ id: 'k1', material: MATERIAL_1 }));
    expect(doc).toEqual(doc1);
    const fromBootstrap = createKeyring(doc);
    expect(fromBootstrap.decryptString(keyring.encrypt('same key', 'aad'), 'aad')).toBe('same key');
  });

  it.each([
    ['not JSON', `{"keys": [{"id": "k1", "material": "${MATERIAL_1}"`, /not valid JSON/],
    ['a JSON array', '[]', /Invalid keyring document/],
    ['empty keys', '{"keys": []}', /keys: must hold at least one key/],
    [
      'duplicate ids',
      JSON.stringify({
        keys: [
          { id: 'k1', material: MATERIAL_1 },
          { id: 'k1', material: MATERIAL_2 },
        ],
      }),
      /keys\.1\.id: duplicate key id 'k1'/,
    ],
    [
      'short material',
      JSON.stringify({ keys: [{ id: 'k1', material: 'short-secret-value' }] }),
      /keys\.0\.material/,
    ],
    [
      'short bootstrap material',
      JSON.stringify({ id: 'k1', material: 'short-secret-value' }),
      /keys\.0\.material/,
    ],
    ['a bad id', JSON.stringify({ keys: [{ id: 'k 1', material: MATERIAL_1 }] }), /keys\.0\.id/],
    ['a numeric material', JSON.stringify({ keys: [{ id: 'k1', material: 12345 }] }), /keys\.0\.material/],
  ])('rejects %s with a ConfigError that does not echo the material', (_name, json, message) => {
    const error = configErrorOf(() => parseKeyringDocument(json));
    expect(error.message).toMatch(message);
    const everything = `${error.message} ${JSON.stringify(error.issues)}`;
    for (const secret of [MATERIAL_1, MATERIAL_2, 'short-secret-value', '12345']) {
      expect(everything).not.toContain(secret);
    }
  });

  it('createKeyring rejects an invalid document object', () => {
    expect(() => createKeyring({ keys: [] })).toThrow(ConfigError);
  });
});
