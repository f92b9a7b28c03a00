import type { Principal, Role } from '../../contracts/principal';
import { ForbiddenError } from '../../platform/errors';

/**
 * How far a role reaches over records owned by a user (clients, meetings) in the caller's firm. Tenant isolation
 * is structural (every key carries the firm), so these rules only ever compare users of one firm.
 *
 * | role       | read                        | write                       |
 * | ---------- | --------------------------- | --------------------------- |
 * | admin      | the whole firm              | the whole firm              |
 * | advisor    | own records                 | own records                 |
 * | assistant  | records of assigned advisors| records of assigned advisors|
 * | compliance | the whole firm              | never                       |
 *
 * Admins may write so that a departed advisor's book can be handed over; compliance reviews but never edits.
 */
type Reach = 'firm' | 'own' | 'assigned' | 'none';

const READ: Readonly<Record<Role, Reach>> = {
  admin: 'firm',
  advisor: 'own',
  assistant: 'assigned',
  compliance: 'firm',
};

const WRITE: Readonly<Record<Role, Reach>> = {
  admin: 'firm',
  advisor: 'own',
  assistant: 'assigned',
  compliance: 'none',
};

function reaches(
  reach: Reach,
  principal: Principal,
  ownerUserId: string,
  assistantAssignments: readonly string[],
): boolean {
  switch (reach) {
    case 'firm':
      return true;
    case 'own':
      return ownerUserId === principal.userId;
    case 'assigned':
      return assistantAssignments.includes(ownerUserId);
    case 'none':
      return false;
  }
}

/**
 * May `principal` read a record owned by `ownerUserId` (of the principal's firm)? `assistantAssignments` are
 * the advisor ids the principal is assigned to (read from the principal's own user record; ignored unless the
 * principal is an assistant).
 */
export function canReadOwned(
  principal: Principal,
  ownerUserId: string,
  assistantAssignments: readonly string[],
): boolean {
  return reaches(READ[principal.role], principal, ownerUserId, assistantAssignments);
}

/** May `principal` create, change or delete client data owned by `ownerUserId`? Compliance never may. */
export function canWriteClientData(
  principal: Principal,
  ownerUserId: string,
  assistantAssignments: readonly string[],
): boolean {
  return reaches(WRITE[principal.role], principal, ownerUserId, assistantAssignments);
}

/** Inviting, listing, re-roling, deactivating users and assigning assistants: admins only. */
export function canManageUsers(principal: Principal): boolean {
  return principal.role === 'admin';
}

/** Throws `ForbiddenError` unless the principal may manage users (the route's role check, repeated in the core). */
export function assertCanManageUsers(principal: Principal): void {
  if (!canManageUsers(principal)) throw new ForbiddenError('Only an admin may manage users.');
}
