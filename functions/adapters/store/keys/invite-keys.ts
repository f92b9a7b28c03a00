import type { ItemKeys } from '../entity';
import { tokenDigest } from './token-digest';

/** An invite, found by its token alone (the invitee has no tenant yet): `G#INVITE#<sha256(token)>` / `INVITE`. */
export function inviteKeys(token: string): ItemKeys {
  return { pk: `G#INVITE#${tokenDigest(token)}`, sk: 'INVITE' };
}
