import * as z from 'zod';
import { RoleSchema } from '../../contracts/principal';
import { defineRoute } from '../../platform/http/route';
import {
  EmailSchema,
  IdSchema,
  OpaqueTokenSchema,
  PageQuerySchema,
  PasswordSchema,
  PersonNameSchema,
  TokenPairSchema,
  UserViewSchema,
} from './identity-schemas';

const UserParams = z.object({ userId: IdSchema });

export const usersRoutes = [
  defineRoute({
    id: 'inviteUser',
    method: 'POST',
    path: '/api/v1/users/invites',
    summary: 'Invite a user to the firm; returns a one-time invite token (7 days)',
    tags: ['users'],
    auth: 'user',
    roles: ['admin'],
    rateLimit: 'standard',
    request: {
      body: z
        .object({ email: EmailSchema, name: PersonNameSchema, role: RoleSchema })
        .meta({ id: 'InviteRequest' }),
    },
    status: 201,
    response: z
      .object({ user: UserViewSchema, invite_token: z.string(), expires_at: z.string() })
      .meta({ id: 'Invite' }),
  }),
  defineRoute({
    id: 'acceptInvite',
    method: 'POST',
    path: '/api/v1/users/invites/accept',
    summary: 'Accept an invite: set a password, returns a token pair',
    tags: ['users'],
    auth: 'public',
    rateLimit: 'auth',
    request: {
      body: z
        .object({ invite_token: OpaqueTokenSchema, password: PasswordSchema })
        .meta({ id: 'AcceptInviteRequest' }),
    },
    status: 200,
    response: TokenPairSchema,
  }),
  defineRoute({
    id: 'listUsers',
    method: 'GET',
    path: '/api/v1/users',
    summary: 'The firm’s users, a page at a time',
    tags: ['users'],
    auth: 'user',
    roles: ['admin'],
    rateLimit: 'standard',
    request: { query: PageQuerySchema },
    status: 200,
    response: z
      .object({ items: z.array(UserViewSchema), cursor: z.string().optional() })
      .meta({ id: 'UserPage' }),
  }),
  defineRoute({
    id: 'changeRole',
    method: 'PUT',
    path: '/api/v1/users/{userId}/role',
    summary: 'Change a user’s role; their current tokens stop working at once',
    tags: ['users'],
    auth: 'user',
    roles: ['admin'],
    rateLimit: 'standard',
    request: { params: UserParams, body: z.object({ role: RoleSchema }).meta({ id: 'ChangeRoleRequest' }) },
    status: 200,
    response: UserViewSchema,
  }),
  defineRoute({
    id: 'deactivateUser',
    method: 'PUT',
    path: '/api/v1/users/{userId}/status',
    summary: 'Deactivate a user; their tokens stop working at once',
    tags: ['users'],
    auth: 'user',
    roles: ['admin'],
    rateLimit: 'standard',
    request: {
      params: UserParams,
      // Deactivation is final: a deactivated email stays reserved for the audit trail.
      body: z.object({ status: z.literal('deactivated') }).meta({ id: 'ChangeStatusRequest' }),
    },
    status: 200,
    response: UserViewSchema,
  }),
  defineRoute({
    id: 'assignAdvisors',
    method: 'PUT',
    path: '/api/v1/users/{userId}/advisors',
    summary: 'Set the advisors an assistant acts for',
    tags: ['users'],
    auth: 'user',
    roles: ['admin'],
    rateLimit: 'standard',
    request: {
      params: UserParams,
      body: z.object({ advisor_ids: z.array(IdSchema).max(100) }).meta({ id: 'AssignAdvisorsRequest' }),
    },
    status: 200,
    response: UserViewSchema,
  }),
] as const;
