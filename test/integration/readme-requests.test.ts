import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { allRoutes } from '../../functions/topology';
import { apiClient, type TokenPairBody } from '../support/api-client';

const api = apiClient(inject('baseUrl'));
const README = readFileSync(join(import.meta.dirname, '..', '..', 'README.md'), 'utf8');

/** Every ```json block of the README, with the prose between it and the block before (where it says its route). */
const blocks = [...README.matchAll(/^```json\n([\s\S]*?)^```$/gm)].map((match, i, all) => {
  const previous = all[i - 1];
  const from = previous ? (previous.index ?? 0) + previous[0].length : 0;
  return { json: match[1] ?? '', prose: README.slice(from, match.index) };
});

/** What the README's requests leave to the reader (`<…>`), filled in as a reader would; nothing else changes. */
interface Context {
  adminToken?: string;
  advisorToken?: string;
  advisorId?: string;
  meetingId?: string;
}
const placeholders = (ctx: Context): Record<string, string> => ({
  "<Sam's user id>": ctx.advisorId ?? '',
  '<the Zoom account id>': `readme${randomUUID().slice(0, 8)}`,
  "<the app's Secret Token>": 'readme-zoom-secret-token-0001',
  '<the Entra tenant id, a GUID>': randomUUID(),
  "<the app's client id, a GUID>": randomUUID(),
  "<the app's client secret>": 'readme-teams-client-secret',
  '<32–128 random characters>': randomUUID().replaceAll('-', ''),
  "<the key file's private_key, a PEM>":
    '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----\n',
  "<the key file's private_key_id>": 'readme-key-1',
  '<32–128 random characters of A-Z a-z 0-9 _ ->': `readme_${randomUUID().replaceAll('-', '')}`,
});
function fill(value: unknown, values: Record<string, string>): unknown {
  if (typeof value === 'string' && /^<.*>$/.test(value)) {
    const filled = values[value];
    if (filled === undefined) throw new Error(`README placeholder ${value} has no value in this test`);
    return filled;
  }
  if (Array.isArray(value)) return value.map((v) => fill(v, values));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fill(v, values)]));
  }
  return value;
}

/**
 * The README's request bodies in order: which route each is for (by route id, so status and path come from the
 * route declarations), where the README names it, who sends it, and what the test keeps from the answer.
 */
const REQUESTS: {
  route: string;
  mention: string;
  as: 'public' | 'admin' | 'advisor';
  params?: (ctx: Context) => Record<string, string>;
  keep?: (body: Record<string, unknown>, ctx: Context) => Promise<void>;
}[] = [
  {
    route: 'register',
    mention: '`POST /api/v1/auth/register`',
    as: 'public',
    keep: async (body, ctx) => {
      ctx.adminToken = (body as unknown as TokenPairBody).access_token;
    },
  },
  { route: 'login', mention: '`POST /api/v1/auth/login`', as: 'public' },
  {
    route: 'inviteUser',
    mention: '`POST /api/v1/users/invites`',
    as: 'admin',
    keep: async (body, ctx) => {
      const invite = body as { user: { id: string }; invite_token: string };
      const accepted = await api.post<TokenPairBody>('/api/v1/users/invites/accept', {
        invite_token: invite.invite_token,
        password: 'another correct horse battery staple',
      });
      expect(accepted.status).toBe(200);
      ctx.advisorToken = accepted.body.access_token;
      ctx.advisorId = invite.user.id;
    },
  },
  {
    route: 'requestMeetingUpload',
    mention: '`POST /api/v1/meetings/upload`',
    as: 'advisor',
    keep: async (body, ctx) => {
      ctx.meetingId = (body as { meeting: { id: string } }).meeting.id;
    },
  },
  {
    route: 'recordConsent',
    mention: '`POST /api/v1/meetings/<meeting_id>/consent`',
    as: 'advisor',
    params: (ctx) => ({ meetingId: ctx.meetingId ?? '' }),
  },
  { route: 'updateFirmSettings', mention: '`PATCH /api/v1/firm/settings`', as: 'admin' },
  {
    route: 'putIntegration',
    mention: '`PUT /api/v1/integrations/zoom`',
    as: 'admin',
    params: () => ({ platform: 'zoom' }),
  },
  {
    route: 'putIntegration',
    mention: '`PUT /api/v1/integrations/teams`',
    as: 'admin',
    params: () => ({ platform: 'teams' }),
  },
  {
    route: 'putIntegration',
    mention: '`PUT /api/v1/integrations/meet`',
    as: 'admin',
    params: () => ({ platform: 'meet' }),
  },
];

describe('the README’s request bodies', () => {
  it('are all mapped to a route here, each named in the prose just before it', () => {
    expect(blocks).toHaveLength(REQUESTS.length);
    REQUESTS.forEach((request, i) => {
      expect(blocks[i]?.prose).toContain(request.mention);
      expect(allRoutes().some((r) => r.id === request.route)).toBe(true);
    });
  });

  it('are each accepted by the local host, sent as written with only the `<…>` values filled in', async () => {
    const ctx: Context = {};
    for (const [i, request] of REQUESTS.entries()) {
      const route = allRoutes().find((r) => r.id === request.route);
      if (!route) throw new Error(`no route ${request.route}`);
      const params = request.params?.(ctx) ?? {};
      const path = route.path.replace(/\{(\w+)\}/g, (_m, name: string) => params[name] ?? `{${name}}`);
      const body = fill(JSON.parse(blocks[i]?.json ?? ''), placeholders(ctx));
      const token =
        request.as === 'admin' ? ctx.adminToken : request.as === 'advisor' ? ctx.advisorToken : undefined;
      const res = await api.call(route.method, path, { body, ...(token ? { token } : {}) });
      expect({
        request: request.mention,
        status: res.status,
        body: res.status >= 400 ? res.body : 'ok',
      }).toEqual({
        request: request.mention,
        status: route.status,
        body: 'ok',
      });
      await request.keep?.(res.body, ctx);
    }
  });
});
