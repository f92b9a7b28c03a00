import { expect, inject } from 'vitest';
import { type ApiClient, apiClient, PASSWORD, type TokenPairBody, uniqueEmail } from './api-client';

/** Integration-test helpers: firms and users created through the real API of the local host. */
const defaultApi = () => apiClient(inject('baseUrl'));

export interface Me {
  user: { id: string; role: string; email: string };
  firm: { id: string };
}

export async function registerFirm(label: string, api: ApiClient = defaultApi()) {
  const email = uniqueEmail(label);
  const res = await api.post<TokenPairBody>('/api/v1/auth/register', {
    firm_name: `${label} Wealth`,
    name: `${label} Admin`,
    email,
    password: PASSWORD,
  });
  expect(res.status).toBe(201);
  const me = (await api.get<Me>('/api/v1/auth/me', res.body.access_token)).body;
  return { email, tokens: res.body, token: res.body.access_token, userId: me.user.id, tenantId: me.firm.id };
}

export async function addUser(adminToken: string, role: string, label = role, api: ApiClient = defaultApi()) {
  const email = uniqueEmail(label);
  const invite = await api.post<{ user: { id: string }; invite_token: string }>(
    '/api/v1/users/invites',
    { email, name: `${label} person`, role },
    adminToken,
  );
  expect(invite.status).toBe(201);
  const accepted = await api.post<TokenPairBody>('/api/v1/users/invites/accept', {
    invite_token: invite.body.invite_token,
    password: PASSWORD,
  });
  expect(accepted.status).toBe(200);
  return {
    email,
    userId: invite.body.user.id,
    inviteToken: invite.body.invite_token,
    tokens: accepted.body,
    token: accepted.body.access_token,
  };
}
