import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import type { Page, PageRequest } from '../../contracts/page';
import { type Role, RoleSchema } from '../../contracts/principal';
import { TABLE_DEFINITION } from '../../contracts/table-definition';
import type { AuditEntry } from '../../core/audit/audit-entry';
import { INVALID_INVITE } from '../../core/identity/accept-invite';
import { LastAdminError } from '../../core/identity/errors';
import { type Firm, FirmSchema } from '../../core/identity/firm';
import type {
  IdentityStore,
  InviteRecord,
  LoginEntry,
  NewInvite,
  UserChanges,
  UserExpectation,
} from '../../core/identity/ports';
import {
  EntityIdSchema,
  isActiveAdmin,
  type PublicUser,
  PublicUserSchema,
  type User,
  UserSchema,
  UserStatusSchema,
} from '../../core/identity/user';
import type { Keyring } from '../../platform/crypto/keyring';
import { ConflictError, NotFoundError } from '../../platform/errors';
import type { UserStanding } from '../../platform/http/authenticator';
import { pendingAuditPut } from './audit-pending';
import { DynamoStore, type StoreDeps } from './dynamo-store';
import type { Entity, ItemKeys } from './entity';
import { decodeItem, ENTITY_ATTRIBUTE, type EntityCodec, encodeItem, encryptField } from './item-codec';
import { firmKeys } from './keys/firm-keys';
import { inviteKeys } from './keys/invite-keys';
import { loginKeys } from './keys/login-keys';
import { USER_SK_PREFIX, userKeys, usersPartition } from './keys/user-keys';

const FirmEntity: Entity<typeof FirmSchema> = {
  name: 'firm',
  schema: FirmSchema,
  encrypted: [],
  keys: (tenantId) => firmKeys(tenantId),
};

/** Email and name identify a person: encrypted, bound to the user's item. The password hash is not. */
export const UserEntity: Entity<typeof UserSchema> = {
  name: 'user',
  schema: UserSchema,
  encrypted: ['email', 'name'],
  keys: (tenantId, user) => userKeys(tenantId, user.userId),
};

/** The same items read for lists: the schema has no password hash, so it never leaves the store. */
const PublicUserEntity: Entity<typeof PublicUserSchema> = {
  name: UserEntity.name,
  schema: PublicUserSchema,
  encrypted: ['email', 'name'],
  keys: (tenantId, user) => userKeys(tenantId, user.userId),
};

/** Global (tenant-less) items: keyed by a digest of the email or token, see `keys/login-keys.ts`. */
const LoginSchema = z.object({ tenantId: EntityIdSchema, userId: EntityIdSchema });
const LoginEntity: EntityCodec<typeof LoginSchema> = { name: 'login', schema: LoginSchema, encrypted: [] };

const InviteSchema = z.object({
  tenantId: EntityIdSchema,
  userId: EntityIdSchema,
  role: RoleSchema,
  expiresAt: z.number().int(),
});
const InviteEntity: EntityCodec<typeof InviteSchema> = {
  name: 'invite',
  schema: InviteSchema,
  encrypted: [],
  expiresAt: (invite) => invite.expiresAt,
};

const StandingSchema = z.object({
  status: UserStatusSchema,
  role: RoleSchema,
  tokensNotBefore: z.number().int(),
});

/** Firm attribute counting active admins; maintained by every write that changes who is one. */
const ACTIVE_ADMINS = 'activeAdmins';
const EMAIL_TAKEN = 'A user with this email already exists.';
const USER_CHANGED = 'The user was changed by someone else at the same time. Reload and try again.';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/**
 * Maps a transaction cancelled by conditions to the caller's error. `codes` has one entry per item, in order:
 * `ConditionalCheckFailed`, `TransactionConflict` (a concurrent transaction held the item) or `None`.
 */
type OnCancel = (codes: readonly string[], cause: unknown) => Error;

const failedCheck = (code: string | undefined) => code === 'ConditionalCheckFailed';
const lostRace = (code: string | undefined) =>
  code === 'ConditionalCheckFailed' || code === 'TransactionConflict';

/** How a change moves the firm's active-admin count: -1, 0 or +1. */
function adminDelta(expected: UserExpectation, changes: UserChanges): number {
  const after = { role: changes.role ?? expected.role, status: changes.status ?? expected.status };
  return Number(isActiveAdmin(after)) - Number(isActiveAdmin(expected));
}

/**
 * Firms, users, the global login directory and invites in the one table (`docs/data-model.md`). Reads are
 * strongly consistent — a deactivation or role change must be seen by the next request — and every write that
 * a rule depends on is a transaction with conditions:
 *
 * - registration writes firm, admin and login entry together, so an email belongs to at most one user;
 * - the firm item counts its active admins, and a demotion or deactivation of an admin decrements it only while
 *   it is above one, so two admins demoting each other cannot leave a firm without one;
 * - an invite is deleted in the same transaction that activates its user, so it works once.
 *
 * Also answers the authenticator's per-request `standing` read (three small attributes, no decryption).
 */
export class DynamoIdentityStore implements IdentityStore {
  private readonly tenants: DynamoStore;

  constructor(private readonly deps: StoreDeps) {
    this.tenants = new DynamoStore(deps);
  }

  async registerFirm(firm: Firm, admin: User, audit: AuditEntry): Promise<void> {
    const keyring = await this.deps.keyring.load();
    const firmItem = encodeItem(keyring, FirmEntity, firmKeys(firm.tenantId), firm);
    firmItem[ACTIVE_ADMINS] = isActiveAdmin(admin) ? 1 : 0;
    await this.transact(
      [
        this.putNew(firmItem),
        this.putNew(this.userItem(keyring, admin)),
        this.putNew(this.loginItem(keyring, admin)),
      ],
      (codes, cause) =>
        new ConflictError(
          lostRace(codes[2]) ? EMAIL_TAKEN : 'The firm could not be created; try again.',
          cause,
        ),
      { tenantId: firm.tenantId, entry: audit },
    );
  }

  async createInvitedUser(user: User, invite: NewInvite, audit: AuditEntry): Promise<void> {
    const keyring = await this.deps.keyring.load();
    await this.transact(
      [
        this.putNew(this.userItem(keyring, user)),
        this.putNew(this.loginItem(keyring, user)),
        this.putNew(this.inviteItem(keyring, invite, user.tenantId, user.userId, user.role)),
      ],
      (codes, cause) =>
        new ConflictError(
          lostRace(codes[1]) ? EMAIL_TAKEN : 'The invite could not be created; try again.',
          cause,
        ),
      { tenantId: user.tenantId, entry: audit },
    );
  }

  async reissueInvite(
    tenantId: string,
    userId: string,
    expected: UserExpectation,
    changes: UserChanges,
    invite: NewInvite,
    audit: AuditEntry,
  ): Promise<void> {
    const keyring = await this.deps.keyring.load();
    await this.transact(
      [
        this.userUpdate(keyring, tenantId, userId, expected, changes),
        this.putNew(this.inviteItem(keyring, invite, tenantId, userId, changes.role ?? expected.role)),
      ],
      (_codes, cause) => new ConflictError(EMAIL_TAKEN, cause),
      { tenantId, entry: audit },
    );
  }

  async findLogin(email: string): Promise<LoginEntry | undefined> {
    return this.get(LoginEntity, loginKeys(email));
  }

  async getFirm(tenantId: string): Promise<Firm | undefined> {
    return this.get(FirmEntity, firmKeys(tenantId));
  }

  async getUser(tenantId: string, userId: string): Promise<User | undefined> {
    return this.get(UserEntity, userKeys(tenantId, userId));
  }

  async listUsers(tenantId: string, page: PageRequest): Promise<Page<PublicUser>> {
    return this.tenants.forTenant(tenantId).query(PublicUserEntity, {
      partition: usersPartition(tenantId),
      sortKeyPrefix: USER_SK_PREFIX,
      limit: page.limit,
      ...(page.cursor ? { cursor: page.cursor } : {}),
    });
  }

  async activeAdminCount(tenantId: string): Promise<number> {
    const { Item } = await this.deps.client.send(
      new GetCommand({
        TableName: this.deps.tableName,
        Key: firmKeys(tenantId),
        ConsistentRead: true,
        ProjectionExpression: '#n',
        ExpressionAttributeNames: { '#n': ACTIVE_ADMINS },
      }),
    );
    return z.number().int().catch(0).parse(Item?.[ACTIVE_ADMINS]);
  }

  async updateUser(
    tenantId: string,
    userId: string,
    expected: UserExpectation,
    changes: UserChanges,
    audit?: AuditEntry,
  ): Promise<void> {
    const keyring = await this.deps.keyring.load();
    const items = [this.userUpdate(keyring, tenantId, userId, expected, changes)];
    const adminCount = this.adminCountUpdate(tenantId, expected, changes);
    if (adminCount) items.push(adminCount);
    const removesAdmin = adminDelta(expected, changes) < 0;
    await this.transact(
      items,
      (codes, cause) =>
        !lostRace(codes[0]) && removesAdmin && failedCheck(codes[1])
          ? new LastAdminError(cause)
          : new ConflictError(USER_CHANGED, cause),
      audit ? { tenantId, entry: audit } : undefined,
    );
  }

  async findInvite(token: string): Promise<InviteRecord | undefined> {
    return this.get(InviteEntity, inviteKeys(token));
  }

  async acceptInvite(
    token: string,
    invite: InviteRecord,
    expected: UserExpectation,
    changes: UserChanges,
    nowSeconds: number,
    audit: AuditEntry,
  ): Promise<void> {
    const keyring = await this.deps.keyring.load();
    const items: TransactItem[] = [
      {
        Delete: {
          TableName: this.deps.tableName,
          Key: inviteKeys(token),
          ConditionExpression: '#entity = :invite AND #userId = :userId AND #exp > :now',
          ExpressionAttributeNames: {
            '#entity': ENTITY_ATTRIBUTE,
            '#userId': 'userId',
            '#exp': TABLE_DEFINITION.ttlAttribute,
          },
          ExpressionAttributeValues: {
            ':invite': InviteEntity.name,
            ':userId': invite.userId,
            ':now': nowSeconds,
          },
        },
      },
      this.userUpdate(keyring, invite.tenantId, invite.userId, expected, changes),
    ];
    const adminCount = this.adminCountUpdate(invite.tenantId, expected, changes);
    if (adminCount) items.push(adminCount);
    // A used, expired or withdrawn invite; a lost race for the admin count (acceptance adds, never removes) too.
    await this.transact(items, () => new NotFoundError(INVALID_INVITE), {
      tenantId: invite.tenantId,
      entry: audit,
    });
  }

  /** What the authenticator checks on every request: a consistent read of three attributes, no keyring. */
  async standing(tenantId: string, userId: string): Promise<UserStanding | undefined> {
    const { Item } = await this.deps.client.send(
      new GetCommand({
        TableName: this.deps.tableName,
        Key: userKeys(tenantId, userId),
        ConsistentRead: true,
        ProjectionExpression: '#entity, #status, #role, #nbf',
        ExpressionAttributeNames: {
          '#entity': ENTITY_ATTRIBUTE,
          '#status': 'status',
          '#role': 'role',
          '#nbf': 'tokensNotBefore',
        },
      }),
    );
    if (!Item || Item[ENTITY_ATTRIBUTE] !== UserEntity.name) return undefined;
    return StandingSchema.parse(Item);
  }

  private async get<S extends z.ZodObject>(
    entity: EntityCodec<S>,
    key: ItemKeys,
  ): Promise<z.infer<S> | undefined> {
    const { Item } = await this.deps.client.send(
      new GetCommand({
        TableName: this.deps.tableName,
        Key: { pk: key.pk, sk: key.sk },
        ConsistentRead: true,
      }),
    );
    return decodeItem(this.deps.keyring, entity, Item);
  }

  private userItem(keyring: Keyring, user: User): Record<string, unknown> {
    return encodeItem(keyring, UserEntity, userKeys(user.tenantId, user.userId), user);
  }

  private loginItem(keyring: Keyring, user: User): Record<string, unknown> {
    const entry = { tenantId: user.tenantId, userId: user.userId };
    return encodeItem(keyring, LoginEntity, loginKeys(user.email), entry);
  }

  private inviteItem(keyring: Keyring, invite: NewInvite, tenantId: string, userId: string, role: Role) {
    const record = { tenantId, userId, role, expiresAt: invite.expiresAt };
    return encodeItem(keyring, InviteEntity, inviteKeys(invite.token), record);
  }

  private putNew(item: Record<string, unknown>): TransactItem {
    return {
      Put: { TableName: this.deps.tableName, Item: item, ConditionExpression: 'attribute_not_exists(pk)' },
    };
  }

  /** The user's changed attributes, only if the user still has the expected role and status. */
  private userUpdate(
    keyring: Keyring,
    tenantId: string,
    userId: string,
    expected: UserExpectation,
    changes: UserChanges,
  ): TransactItem {
    const keys = userKeys(tenantId, userId);
    const names: Record<string, string> = {
      '#entity': ENTITY_ATTRIBUTE,
      '#role': 'role',
      '#status': 'status',
    };
    const values: Record<string, unknown> = {
      ':user': UserEntity.name,
      ':expectedRole': expected.role,
      ':expectedStatus': expected.status,
    };
    const sets: string[] = [];
    const set = (attribute: string, value: unknown) => {
      names[`#${attribute}`] = attribute;
      values[`:${attribute}`] = value;
      sets.push(`#${attribute} = :${attribute}`);
    };
    const valid = UserSchema.partial().parse(changes);
    for (const [attribute, value] of Object.entries(valid)) {
      if (value === undefined) continue;
      set(
        attribute,
        attribute === 'name' ? encryptField(keyring, UserEntity.name, keys, attribute, value) : value,
      );
    }
    return {
      Update: {
        TableName: this.deps.tableName,
        Key: { pk: keys.pk, sk: keys.sk },
        UpdateExpression: `SET ${sets.join(', ')}`,
        ConditionExpression: '#entity = :user AND #role = :expectedRole AND #status = :expectedStatus',
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      },
    };
  }

  /** Moves the firm's active-admin count with the change; a decrement only while another admin remains. */
  private adminCountUpdate(
    tenantId: string,
    expected: UserExpectation,
    changes: UserChanges,
  ): TransactItem | undefined {
    const delta = adminDelta(expected, changes);
    if (delta === 0) return undefined;
    return {
      Update: {
        TableName: this.deps.tableName,
        Key: firmKeys(tenantId),
        UpdateExpression: 'SET #n = #n + :delta',
        ConditionExpression: delta < 0 ? '#n > :one' : 'attribute_exists(#n)',
        ExpressionAttributeNames: { '#n': ACTIVE_ADMINS },
        ExpressionAttributeValues: delta < 0 ? { ':delta': delta, ':one': 1 } : { ':delta': delta },
      },
    };
  }

  /**
   * Runs a transaction; a cancellation by a failed condition or a concurrent transaction maps via `onCancel`.
   * With `audit`, the event is recorded in the same transaction (as its last part, so `codes` keep their places).
   */
  private async transact(
    items: TransactItem[],
    onCancel: OnCancel,
    audit?: { tenantId: string; entry: AuditEntry },
  ): Promise<void> {
    const parts = audit
      ? [...items, pendingAuditPut(this.deps.tableName, { ...audit, now: this.deps.now() })]
      : items;
    try {
      await this.deps.client.send(new TransactWriteCommand({ TransactItems: parts }));
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const codes = items.map((_, i) => error.CancellationReasons?.[i]?.Code ?? 'None');
      // Throttling, validation and the like are not outcomes of the rules: let them surface as they are.
      if (!codes.some(lostRace)) throw error;
      throw onCancel(codes, error);
    }
  }
}
