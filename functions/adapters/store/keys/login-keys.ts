import { emailDigest } from '../../../core/identity/email';
import type { ItemKeys } from '../entity';

/**
 * The global login directory: email → (tenant, user). Sign-in starts from an email alone, before any tenant is
 * known, so this key cannot carry a tenant prefix. It holds the email's SHA-256, never the address.
 */
export function loginKeys(email: string): ItemKeys {
  return { pk: `G#LOGIN#${emailDigest(email)}`, sk: 'LOGIN' };
}
