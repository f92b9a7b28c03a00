import * as z from 'zod';
import { defineRoute } from '../../platform/http/route';
import {
  EmailSchema,
  FirmViewSchema,
  OpaqueTokenSchema,
  PasswordSchema,
  PersonNameSchema,
  PresentedPasswordSchema,
  TokenPairSchema,
  UserViewSchema,
} from './identity-schemas';

export const authRoutes = [
  defineRoute({
    id: 'register',
    method: 'POST',
    path: '/api/v1/auth/register',
    summary: 'Create a firm and its first admin; returns a token pair',
    tags: ['auth'],
    auth: 'public',
    rateLimit: 'auth',
    request: {
      body: z
        .object({
          firm_name: z.string().trim().min(1).max(200),
          name: PersonNameSchema,
          email: EmailSchema,
          password: PasswordSchema,
        })
        .meta({ id: 'RegisterRequest' }),
    },
    status: 201,
    response: TokenPairSchema,
  }),
  defineRoute({
    id: 'login',
    method: 'POST',
    path: '/api/v1/auth/login',
    summary: 'Sign in with email and password; returns a token pair',
    tags: ['auth'],
    auth: 'public',
    rateLimit: 'auth',
    request: {
      // No email format check here: a malformed email gets the same 401 as any failed sign-in.
      body: z
        .object({ email: z.string().min(1).max(320), password: PresentedPasswordSchema })
        .meta({ id: 'LoginRequest' }),
    },
    status: 200,
    response: TokenPairSchema,
  }),
  defineRoute({
    id: 'refresh',
    method: 'POST',
    path: '/api/v1/auth/refresh',
    summary: 'Rotate a refresh token: a new pair; presenting a retired token revokes its whole family',
    tags: ['auth'],
    auth: 'public',
    rateLimit: 'standard',
    request: { body: z.object({ refresh_token: OpaqueTokenSchema }).meta({ id: 'RefreshRequest' }) },
    status: 200,
    response: TokenPairSchema,
  }),
  defineRoute({
    id: 'logout',
    method: 'POST',
    path: '/api/v1/auth/logout',
    summary: 'Revoke a refresh token (and the sign-in it belongs to)',
    tags: ['auth'],
    auth: 'public',
    rateLimit: 'standard',
    request: { body: z.object({ refresh_token: OpaqueTokenSchema }).meta({ id: 'LogoutRequest' }) },
    status: 204,
    response: z.null().meta({ description: 'No content' }),
  }),
  defineRoute({
    id: 'me',
    method: 'GET',
    path: '/api/v1/auth/me',
    summary: 'The signed-in user, role and firm',
    tags: ['auth'],
    auth: 'user',
    rateLimit: 'standard',
    request: {},
    status: 200,
    response: z.object({ user: UserViewSchema, firm: FirmViewSchema }).meta({ id: 'Me' }),
  }),
] as const;
