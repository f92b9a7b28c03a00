import { createHmac } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { parseSigningKeyDocument } from '../../functions/platform/crypto/access-token';
import { localDynamoClient } from '../../lib/local/dynamo-engine';
import { apiClient, PASSWORD, type TokenPairBody, uniqueEmail } from '../support/api-client';
import { addUser, type Me, registerFirm } from '../support/identity-helpers';
import { type HostProcess, startHostProcess } from './global-setup';

const host = inject('localHost');
const api = apiClient(inject('baseUrl'));
const raw = DynamoDBDocumentClient.from(localDynamoClient(host.dynamodbEndpoint));

const errorOf = (res: { body: unknown }) => (res.body as { error: { code: string; message: string } }).error;

describe('tenant isolation', () => {
  it('answers another firm’s user, by id, exactly like a missing one (404)', async () => {
    const a = await registerFirm('iso-a');
    const b = await registerFirm('iso-b');
    const bAdvisor = await addUser(b.token, 'advisor');
    const foreign = await api.put(`/api/v1/users/${bAdvisor.userId}/role`, { role: 'compliance' }, a.token);
    const missing = await api.put(
      '/api/v1/users/00000000-0000-4000-8000-000000000000/role',
      { role: 'compliance' },
      a.token,
    );
    expect(foreign.status).toBe(404);
    expect(errorOf(foreign)).toEqual({ ...errorOf(missing), request_id: expect.any(String) });
    expect(
      (await api.put(`/api/v1/users/${bAdvisor.userId}/status`, { status: 'deactivated' }, a.token)).status,
    ).toBe(404);
    // B's advisor is untouched.
    expect((await api.get<Me>('/api/v1/auth/me', bAdvisor.token)).body.user.role).toBe('advisor');
  });

  it('lists only the caller’s firm', async () => {
    const a = await registerFirm('list-a');
    const b = await registerFirm('list-b');
    await addUser(b.token, 'advisor');
    const res = await api.get<{ items: { email: string }[] }>('/api/v1/users', a.token);
    expect(res.status).toBe(200);
    expect(res.body.items.map((u) => u.email)).toEqual([a.email]);
  });

  it('refuses a cursor issued to another firm, and a tampered one, with 400 and no data', async () => {
    const a = await registerFirm('cur-a');
    const b = await registerFirm('cur-b');
    await addUser(b.token, 'advisor');
    await addUser(b.token, 'compliance');
    const page = await api.get<{ cursor?: string }>('/api/v1/users?limit=1', b.token);
    const cursor = page.body.cursor as string;
    expect(cursor).toBeDefined();
    const foreign = await api.get(`/api/v1/users?limit=1&cursor=${cursor}`, a.token);
    expect(foreign.status).toBe(400);
    expect(errorOf(foreign).code).toBe('invalid_cursor');
    expect(foreign.body).not.toHaveProperty('items');
    const flipped = `${cursor.slice(0, 20)}${cursor[20] === 'A' ? 'B' : 'A'}${cursor.slice(21)}`;
    expect((await api.get(`/api/v1/users?limit=1&cursor=${flipped}`, b.token)).status).toBe(400);
    expect((await api.get(`/api/v1/users?limit=1&cursor=${cursor}`, b.token)).status).toBe(200);
  });
});

describe('roles', () => {
  it('lets only admins manage users and only admins and compliance read the audit trail', async () => {
    const firm = await registerFirm('roles');
    const advisor = await addUser(firm.token, 'advisor');
    const compliance = await addUser(firm.token, 'compliance');
    expect((await api.get('/api/v1/users', advisor.token)).status).toBe(403);
    expect(
      (
        await api.post(
          '/api/v1/users/invites',
          { email: uniqueEmail('x'), name: 'X', role: 'advisor' },
          compliance.token,
        )
      ).status,
    ).toBe(403);
    expect((await api.get('/api/v1/audit', advisor.token)).status).toBe(403);
    expect((await api.get('/api/v1/audit', compliance.token)).status).toBe(200);
  });
});

describe('access tokens', () => {
  let firm: Awaited<ReturnType<typeof registerFirm>>;
  let key: ReturnType<typeof parseSigningKeyDocument>;

  beforeAll(async () => {
    firm = await registerFirm('jwt');
    key = parseSigningKeyDocument(await readFile(join(host.home, 'signing-key.json'), 'utf8'));
  });

  const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  const forge = (header: object, claims: object, secret: string) => {
    const input = `${b64(header)}.${b64(claims)}`;
    return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
  };
  const claims = (overrides: object = {}) => {
    const now = Math.floor(Date.now() / 1000);
    return {
      sub: firm.userId,
      tid: firm.tenantId,
      role: 'admin',
      iss: 'smart-advisor-os',
      aud: 'smart-advisor-os-api',
      iat: now,
      exp: now + 600,
      jti: 'forged',
      ...overrides,
    };
  };

  it('accepts a token it signed itself with the real key (the forgeries below differ only as named)', async () => {
    const own = forge({ alg: 'HS256', typ: 'JWT', kid: key.kid }, claims(), key.secret);
    expect((await api.get('/api/v1/auth/me', own)).status).toBe(200);
  });

  it.each([
    ['alg none', () => `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims())}.`],
    ['a wrong signature', () => forge({ alg: 'HS256', kid: key.kid }, claims(), 'not-the-key-'.repeat(4))],
    [
      'an expired token',
      () =>
        forge({ alg: 'HS256', kid: key.kid }, claims({ exp: Math.floor(Date.now() / 1000) - 5 }), key.secret),
    ],
    [
      'a wrong audience',
      () => forge({ alg: 'HS256', kid: key.kid }, claims({ aud: 'other-api' }), key.secret),
    ],
    ['a wrong issuer', () => forge({ alg: 'HS256', kid: key.kid }, claims({ iss: 'evil' }), key.secret)],
    [
      'another firm in tid',
      () => forge({ alg: 'HS256', kid: key.kid }, claims({ tid: 'someone-else' }), key.secret),
    ],
  ])('answers 401 to %s', async (_name, make) => {
    const res = await api.get('/api/v1/auth/me', make());
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer');
    expect(errorOf(res).code).toBe('unauthorized');
  });

  it('stops a deactivated user’s access token at once', async () => {
    const advisor = await addUser(firm.token, 'advisor');
    expect((await api.get('/api/v1/auth/me', advisor.token)).status).toBe(200);
    expect(
      (await api.put(`/api/v1/users/${advisor.userId}/status`, { status: 'deactivated' }, firm.token)).status,
    ).toBe(200);
    expect((await api.get('/api/v1/auth/me', advisor.token)).status).toBe(401);
    expect(
      (await api.post('/api/v1/auth/refresh', { refresh_token: advisor.tokens.refresh_token })).status,
    ).toBe(401);
    expect((await api.post('/api/v1/auth/login', { email: advisor.email, password: PASSWORD })).status).toBe(
      401,
    );
  });

  it('voids tokens issued before a role change; a refreshed token carries the new role', async () => {
    const user = await addUser(firm.token, 'advisor');
    expect(
      (await api.put(`/api/v1/users/${user.userId}/role`, { role: 'compliance' }, firm.token)).status,
    ).toBe(200);
    expect((await api.get('/api/v1/auth/me', user.token)).status).toBe(401);
    const refreshed = await api.post<TokenPairBody>('/api/v1/auth/refresh', {
      refresh_token: user.tokens.refresh_token,
    });
    expect(refreshed.status).toBe(200);
    const me = await api.get<Me>('/api/v1/auth/me', refreshed.body.access_token);
    expect(me.body.user.role).toBe('compliance');
  });
});

describe('refresh tokens', () => {
  it('rotates, and revokes the whole family when a retired token comes back', async () => {
    const firm = await registerFirm('reuse');
    const first = firm.tokens.refresh_token;
    const second = await api.post<TokenPairBody>('/api/v1/auth/refresh', { refresh_token: first });
    expect(second.status).toBe(200);
    expect(second.body.refresh_token).not.toBe(first);
    expect((await api.post('/api/v1/auth/refresh', { refresh_token: first })).status).toBe(401);
    // The newest descendant dies with its family.
    expect(
      (await api.post('/api/v1/auth/refresh', { refresh_token: second.body.refresh_token })).status,
    ).toBe(401);
  });

  it('lets exactly one of two concurrent refreshes of one token succeed', async () => {
    const firm = await registerFirm('race');
    const results = await Promise.all(
      [1, 2].map(() => api.post('/api/v1/auth/refresh', { refresh_token: firm.tokens.refresh_token })),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, 401]);
  });

  it('revokes on logout (204), idempotently', async () => {
    const firm = await registerFirm('logout');
    const body = { refresh_token: firm.tokens.refresh_token };
    expect((await api.post('/api/v1/auth/logout', body)).status).toBe(204);
    expect((await api.post('/api/v1/auth/logout', body)).status).toBe(204);
    expect((await api.post('/api/v1/auth/refresh', body)).status).toBe(401);
  });

  it('rejects malformed tokens with 400 naming the field', async () => {
    const res = await api.post('/api/v1/auth/refresh', { refresh_token: 'short' });
    expect(res.status).toBe(400);
    expect((res.body as { error: { issues: { path: string }[] } }).error.issues[0]?.path).toBe(
      'body.refresh_token',
    );
  });
});

describe('sign-in', () => {
  it('answers an unknown email and a wrong password identically', async () => {
    const firm = await registerFirm('same');
    const unknown = await api.post('/api/v1/auth/login', {
      email: uniqueEmail('nobody'),
      password: PASSWORD,
    });
    const wrong = await api.post('/api/v1/auth/login', { email: firm.email, password: `${PASSWORD}!` });
    expect(unknown.status).toBe(401);
    expect(wrong.status).toBe(401);
    const strip = (e: Record<string, unknown>) => ({ ...e, request_id: undefined });
    expect(strip(errorOf(unknown))).toEqual(strip(errorOf(wrong)));
    expect(unknown.headers.get('www-authenticate')).toBe(wrong.headers.get('www-authenticate'));
  });

  it('signs in case-insensitively and refuses a second firm with the same email', async () => {
    const firm = await registerFirm('case');
    expect(
      (await api.post('/api/v1/auth/login', { email: firm.email.toUpperCase(), password: PASSWORD })).status,
    ).toBe(200);
    const again = await api.post('/api/v1/auth/register', {
      firm_name: 'Copycat',
      name: 'Copy',
      email: firm.email,
      password: PASSWORD,
    });
    expect(again.status).toBe(409);
  });

  it.each([
    [{ firm_name: 'F', name: 'N', email: 'not-an-email', password: PASSWORD }, 'body.email'],
    [{ firm_name: 'F', name: 'N', email: 'a@example.com', password: 'short' }, 'body.password'],
    [{ name: 'N', email: 'a@example.com', password: PASSWORD }, 'body.firm_name'],
  ])('rejects a bad registration with 400 naming the field (%#)', async (body, path) => {
    const res = await api.post('/api/v1/auth/register', body);
    expect(res.status).toBe(400);
    expect((res.body as { error: { issues: { path: string }[] } }).error.issues.map((i) => i.path)).toContain(
      path,
    );
  });
});

describe('at rest', () => {
  it('keeps no password, refresh token, invite token or email in plaintext in the table', async () => {
    const firm = await registerFirm('rest');
    const user = await addUser(firm.token, 'advisor', 'rest-advisor');
    const secrets = [
      PASSWORD,
      firm.tokens.refresh_token,
      user.tokens.refresh_token,
      user.inviteToken,
      firm.email,
      user.email,
    ];
    const items: unknown[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await raw.send(
        new ScanCommand({
          TableName: host.tableName,
          ...(start ? { ExclusiveStartKey: start as never } : {}),
        }),
      );
      items.push(...(page.Items ?? []));
      start = page.LastEvaluatedKey;
    } while (start);
    const dump = JSON.stringify(items, (_k, v) =>
      v instanceof Uint8Array ? Buffer.from(v).toString('latin1') : v,
    );
    for (const secret of secrets)
      expect(dump.includes(secret), `plaintext found: ${secret.slice(0, 6)}…`).toBe(false);
  });
});

describe('audit trail', () => {
  it('records sign-ins and user changes with who, what, when and IP, and verifies the chain', async () => {
    const firm = await registerFirm('audit');
    await api.post('/api/v1/auth/login', { email: firm.email, password: 'wrong password!!' });
    const advisor = await addUser(firm.token, 'advisor');
    await api.put(`/api/v1/users/${advisor.userId}/role`, { role: 'compliance' }, firm.token);
    const res = await api.settledAudit<{
      items: {
        seq: number;
        action: string;
        outcome: string;
        ip: string;
        at: string;
        actor?: { user_id: string };
      }[];
      chain: { verified: boolean; checked: number };
    }>('/api/v1/audit?order=oldest&limit=100', firm.token);
    expect(res.status).toBe(200);
    const actions = res.body.items.map((e) => `${e.action}:${e.outcome}`);
    expect(actions).toEqual(
      expect.arrayContaining([
        'firm.registered:success',
        'auth.login_failed:failure',
        'user.invited:success',
        'user.invite_accepted:success',
        'user.role_changed:success',
      ]),
    );
    expect(res.body.items.map((e) => e.seq)).toEqual(res.body.items.map((_e, i) => i + 1));
    for (const event of res.body.items) {
      expect(event.ip).toMatch(/^(127\.0\.0\.1|::1|::ffff:127\.0\.0\.1)$/);
      expect(Number.isNaN(Date.parse(event.at))).toBe(false);
    }
    expect(res.body.chain).toMatchObject({ verified: true, checked: res.body.items.length, pending: 0 });
  });

  it('reports a tampered event: the chain no longer verifies, and says where', async () => {
    const firm = await registerFirm('tamper');
    await addUser(firm.token, 'advisor');
    await api.settledAudit('/api/v1/audit?limit=1', firm.token);
    const events = await raw.send(
      new QueryCommand({
        TableName: host.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :evt)',
        ExpressionAttributeValues: { ':pk': `T#${firm.tenantId}#AUDIT`, ':evt': 'EVT#' },
      }),
    );
    const second = events.Items?.[1];
    expect(second).toBeDefined();
    await raw.send(new PutCommand({ TableName: host.tableName, Item: { ...second, ip: '198.51.100.66' } }));
    // The settled read above verified and checkpointed past event 2: only a full check re-reads it.
    const incremental = await api.get<{ chain: { verified: boolean; checkpoint_seq: number } }>(
      '/api/v1/audit',
      firm.token,
    );
    expect(incremental.body.chain.checkpoint_seq).toBeGreaterThanOrEqual(2);
    const res = await api.get<{ chain: { verified: boolean; first_broken_seq?: number } }>(
      '/api/v1/audit?verify=full',
      firm.token,
    );
    expect(res.body.chain.verified).toBe(false);
    expect(res.body.chain.first_broken_seq).toBe(2);
  });
});

/**
 * Windows are epoch-aligned: a burst that straddles a boundary would see two windows. Waiting out the last
 * seconds of a window keeps these HTTP tests deterministic; the window logic itself is tested with a clock
 * that moves (rate-limit-counters.test.ts).
 */
async function awayFromWindowEdge(windowSeconds: number, marginSeconds = 8) {
  const left = windowSeconds - ((Date.now() / 1000) % windowSeconds);
  if (left < marginSeconds) await new Promise((resolve) => setTimeout(resolve, left * 1000 + 50));
}

describe('rate limits (a host with the default 5 per 60 s)', () => {
  let limited: HostProcess;
  let client: ReturnType<typeof apiClient>;

  beforeAll(async () => {
    limited = await startHostProcess({ args: ['--memory'], env: { PASSWORD_SCRYPT_LOG_N: '14' } });
    client = apiClient(limited.url);
  }, 60_000);

  afterAll(async () => {
    await limited?.stop();
  });

  it('answers the sixth sign-in attempt from one IP with 429 and Retry-After', async () => {
    await awayFromWindowEdge(60);
    const statuses: number[] = [];
    let last: Awaited<ReturnType<typeof client.post>> | undefined;
    for (let i = 0; i < 6; i += 1) {
      last = await client.post('/api/v1/auth/login', { email: uniqueEmail('rl'), password: PASSWORD });
      statuses.push(last.status);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
    const retryAfter = Number(last?.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(last ? errorOf(last).code : undefined).toBe('rate_limited');
  });

  it('limits registration with its own budget, counting rejected attempts too', async () => {
    await awayFromWindowEdge(60);
    const statuses: number[] = [];
    for (let i = 0; i < 6; i += 1) {
      const res = await client.post('/api/v1/auth/register', {
        firm_name: 'F',
        name: 'N',
        email: 'bad',
        password: PASSWORD,
      });
      statuses.push(res.status);
    }
    expect(statuses).toEqual([400, 400, 400, 400, 400, 429]);
  });
});
