import { edgeDeps } from '../composition/edge-runtime';
import { identityRuntime } from '../composition/identity-runtime';
import { login } from '../core/identity/login';
import { logout } from '../core/identity/logout';
import { me } from '../core/identity/me';
import type { IdentityDeps } from '../core/identity/ports';
import { refresh } from '../core/identity/refresh';
import { register } from '../core/identity/register';
import { createHttpHandler, type RouteImplementations } from '../platform/http/http-handler';
import { authRoutes } from './routes/auth-routes';
import { firmView, userView } from './views/identity-views';

/** Sign-up, sign-in, token rotation, sign-out and "who am I". Exported for tests, which pass their own deps. */
export function authImplementations(deps: IdentityDeps): RouteImplementations<typeof authRoutes> {
  return {
    register: async ({ body, sourceIp }) => ({
      body: await register(
        {
          firmName: body.firm_name,
          name: body.name,
          email: body.email,
          password: body.password,
          ip: sourceIp,
        },
        deps,
      ),
    }),
    login: async ({ body, sourceIp }) => ({
      body: await login({ email: body.email, password: body.password, ip: sourceIp }, deps),
    }),
    refresh: async ({ body, sourceIp }) => ({
      body: await refresh({ refreshToken: body.refresh_token, ip: sourceIp }, deps),
    }),
    logout: async ({ body, sourceIp }) => {
      await logout({ refreshToken: body.refresh_token, ip: sourceIp }, deps);
      return { body: null };
    },
    me: async ({ principal }) => {
      const { user, firm } = await me({ actor: principal }, deps);
      return { body: { user: userView(user), firm: firmView(firm) } };
    },
  };
}

export const handler = createHttpHandler(
  'auth',
  authRoutes,
  authImplementations(identityRuntime()),
  edgeDeps(),
);
