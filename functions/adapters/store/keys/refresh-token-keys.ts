import type { ItemKeys } from '../entity';
import { tokenDigest } from './token-digest';

/**
 * A refresh token, found by the token alone (the only credential a refresh presents, so no tenant prefix):
 * `G#REFRESH#<sha256(token)>` / `TOKEN`.
 */
export function refreshTokenKeys(token: string): ItemKeys {
  return { pk: `G#REFRESH#${tokenDigest(token)}`, sk: 'TOKEN' };
}
