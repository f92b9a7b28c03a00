import * as z from 'zod';
import { ConfigError } from '../errors';
import { issuesFromZod, summariseIssues } from '../validation-issues';

/** Key ids travel inside every ciphertext (one length byte), so they are short and ASCII-only. */
export const KeyIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,32}$/, 'must be 1–32 characters of A–Z, a–z, 0–9, _ or -');

export const KeyringKeySchema = z.object({
  id: KeyIdSchema,
  material: z.string().min(32, 'must be a secret string of at least 32 characters'),
  /** When the key was put first (it became the encrypting key); absent on the bootstrap key. */
  addedAt: z.iso.datetime({ message: 'must be an ISO 8601 UTC date-time' }).optional(),
});

export type KeyringKey = z.infer<typeof KeyringKeySchema>;

const KeyringKeysSchema = z
  .array(KeyringKeySchema)
  .min(1, 'must hold at least one key')
  .superRefine((keys, ctx) => {
    const seen = new Set<string>();
    keys.forEach((key, index) => {
      if (seen.has(key.id)) {
        ctx.addIssue({ code: 'custom', path: [index, 'id'], message: `duplicate key id '${key.id}'` });
      }
      seen.add(key.id);
    });
  });

/**
 * What Secrets Manager or a local file holds: `{ "keys": [{ "id", "material" }, …] }`, first key encrypts.
 * The bootstrap form `{ "id", "material" }` (what CDK's `generateSecretString` produces) is read as a
 * one-key keyring.
 */
export const KeyringDocumentSchema = z.preprocess(
  (value) => (isBootstrapForm(value) ? { keys: [value] } : value),
  z.object({ keys: KeyringKeysSchema }),
);

export type KeyringDocument = z.infer<typeof KeyringDocumentSchema>;

function isBootstrapForm(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !('keys' in value);
}

/**
 * Parses and validates a keyring document. Throws a `ConfigError` listing each problem by path; neither the
 * message nor the issues ever contain key material (JSON syntax errors are not echoed, as V8 quotes the input).
 */
export function parseKeyringDocument(json: string): KeyringDocument {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    throw new ConfigError('Keyring document is not valid JSON.', [
      { path: '(document)', message: 'is not JSON' },
    ]);
  }
  return validateKeyringDocument(raw);
}

/** Validates an already-parsed keyring document; same errors as `parseKeyringDocument`. */
export function validateKeyringDocument(raw: unknown): KeyringDocument {
  const result = KeyringDocumentSchema.safeParse(raw);
  if (result.success) return result.data;
  // Custom messages above name key ids only, never material.
  const issues = issuesFromZod(result.error, { root: '(document)' });
  throw new ConfigError(`Invalid keyring document — ${summariseIssues(issues)}`, issues);
}

/** The document as stored: compact JSON in the canonical `{ keys: [...] }` form. */
export function stringifyKeyringDocument(doc: KeyringDocument): string {
  return JSON.stringify({
    keys: doc.keys.map((k) => ({
      id: k.id,
      material: k.material,
      ...(k.addedAt === undefined ? {} : { addedAt: k.addedAt }),
    })),
  });
}
