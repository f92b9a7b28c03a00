import { describe, expect, it } from 'vitest';
import type { Principal, Role } from '../../../../functions/contracts/principal';
import {
  assertCanManageUsers,
  canManageUsers,
  canReadOwned,
  canWriteClientData,
} from '../../../../functions/core/identity/access-policy';
import { ForbiddenError } from '../../../../functions/platform/errors';

const me = (role: Role): Principal => ({ userId: 'me', tenantId: 'firm-a', role });

/** Owner of the record: the caller, an advisor the caller is assigned to, or someone else. */
type Owner = 'self' | 'assigned' | 'other';
const ASSIGNMENTS = ['adv-assigned'];
const ownerId = (owner: Owner) => ({ self: 'me', assigned: 'adv-assigned', other: 'adv-other' })[owner];

const cases: [Role, Owner, boolean, boolean][] = [
  // role, owner, may read, may write
  ['admin', 'self', true, true],
  ['admin', 'assigned', true, true],
  ['admin', 'other', true, true],
  ['advisor', 'self', true, true],
  ['advisor', 'assigned', false, false],
  ['advisor', 'other', false, false],
  ['assistant', 'self', false, false],
  ['assistant', 'assigned', true, true],
  ['assistant', 'other', false, false],
  ['compliance', 'self', true, false],
  ['compliance', 'assigned', true, false],
  ['compliance', 'other', true, false],
];

describe('access policy', () => {
  it.each(cases)('%s reading/writing a record owned by %s: read %s, write %s', (role, owner, read, write) => {
    expect(canReadOwned(me(role), ownerId(owner), ASSIGNMENTS)).toBe(read);
    expect(canWriteClientData(me(role), ownerId(owner), ASSIGNMENTS)).toBe(write);
  });

  it('ignores assignments for every role but assistant', () => {
    expect(canReadOwned(me('advisor'), 'adv-assigned', ASSIGNMENTS)).toBe(false);
    expect(canWriteClientData(me('advisor'), 'adv-assigned', ASSIGNMENTS)).toBe(false);
  });

  it('gives an assistant with no assignments nothing', () => {
    expect(canReadOwned(me('assistant'), 'adv-assigned', [])).toBe(false);
  });

  it.each([
    ['admin', true],
    ['advisor', false],
    ['assistant', false],
    ['compliance', false],
  ] as const)('%s may manage users: %s', (role, allowed) => {
    expect(canManageUsers(me(role))).toBe(allowed);
    if (allowed) expect(() => assertCanManageUsers(me(role))).not.toThrow();
    else expect(() => assertCanManageUsers(me(role))).toThrow(ForbiddenError);
  });
});
