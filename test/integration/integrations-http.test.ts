import { createHash, randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { apiClient } from '../support/api-client';
import { addUser, registerFirm } from '../support/identity-helpers';

const host = inject('localHost');
const api = apiClient(inject('baseUrl'));
const raw = DynamoDBDocumentClient.from(
  new DynamoDBClient({
    region: 'us-east-1',
    endpoint: host.dynamodbEndpoint,
    credentials: { accessKeyId: 'smartadlocal', secretAccessKey: 'smartadlocal' },
  }),
);

const ZOOM_SECRET = 'zoom-secret-token-integration-1';
const CLIENT_SECRET = 'teams-client-secret-value-1';
const CLIENT_STATE = 'teams-client-state-0123456789abcdef0123';
const PATH_TOKEN = 'meet-path-token-0123456789abcdef0123456789';
const PRIVATE_KEY =
  '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----\n';

let firm: Awaited<ReturnType<typeof registerFirm>>;
let advisor: Awaited<ReturnType<typeof addUser>>;
let compliance: Awaited<ReturnType<typeof addUser>>;

const zoomBody = (accountId: string, overrides: Record<string, unknown> = {}) => ({
  platform: 'zoom',
  account_id: accountId,
  webhook_secret_token: ZOOM_SECRET,
  advisor_mappings: [{ platform_user: advisor.email, advisor_user_id: advisor.userId }],
  ...overrides,
});

const issuePaths = (body: unknown) =>
  ((body as { error: { issues: { path: string }[] } }).error.issues ?? []).map((i) => i.path);

const rawItem = async (pk: string, sk: string) =>
  (await raw.send(new GetCommand({ TableName: host.tableName, Key: { pk, sk } }))).Item;

beforeAll(async () => {
  firm = await registerFirm('integrations');
  advisor = await addUser(firm.token, 'advisor', 'int-adv');
  compliance = await addUser(firm.token, 'compliance', 'int-comp');
});

describe('/api/v1/integrations/{platform}', () => {
  it('lets an admin connect Zoom, shows it without the secret, and stores no secret in plaintext', async () => {
    const accountId = `acct${randomUUID().slice(0, 8)}`;
    const put = await api.put('/api/v1/integrations/zoom', zoomBody(accountId), firm.token);
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({
      platform: 'zoom',
      settings: { account_id: accountId },
      advisor_mappings: [{ platform_user: advisor.email, advisor_user_id: advisor.userId }],
      secrets_stored: ['webhook_secret_token'],
    });
    const integrationId = String(put.body.integration_id);
    expect(put.body.webhook_path).toBe(`/webhooks/zoom?firm=${integrationId}`);
    const got = await api.get('/api/v1/integrations/zoom', firm.token);
    expect(got.status).toBe(200);
    expect(got.body).toEqual(put.body);
    expect(JSON.stringify(got.body)).not.toContain(ZOOM_SECRET);

    const item = await rawItem(`T#${firm.tenantId}#INTEGRATION`, 'PLATFORM#zoom');
    expect(item).toBeDefined();
    const text = JSON.stringify(item, (_k, v) =>
      v instanceof Uint8Array ? Buffer.from(v).toString('latin1') : v,
    );
    expect(text).not.toContain(ZOOM_SECRET);
    expect(text).not.toContain(advisor.email);
    // The route that finds the firm from Zoom's account_id: keyed by a digest, naming only the firm.
    const digest = createHash('sha256').update(`account:${accountId}`).digest('hex');
    expect(await rawItem(`G#PLATFORM_ROUTE#zoom#${digest}`, 'ROUTE')).toMatchObject({
      tenantId: firm.tenantId,
      integrationId,
    });
  });

  it('takes a body without platform, since the path names it, and still answers with the platform', async () => {
    const { platform: _left, ...body } = zoomBody(`acct${randomUUID().slice(0, 8)}`);
    const put = await api.put('/api/v1/integrations/zoom', body, firm.token);
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ platform: 'zoom', settings: { account_id: body.account_id } });
  });

  it('connects Teams and Meet, never returning the client secret, client state, private key or path token', async () => {
    const teams = await api.put(
      '/api/v1/integrations/teams',
      {
        platform: 'teams',
        azure_tenant_id: randomUUID(),
        client_id: randomUUID(),
        client_secret: CLIENT_SECRET,
        client_state: CLIENT_STATE,
        advisor_mappings: [{ platform_user: randomUUID(), advisor_user_id: advisor.userId }],
      },
      firm.token,
    );
    expect(teams.status).toBe(200);
    expect(teams.body.secrets_stored).toEqual(['client_secret', 'client_state']);
    const meet = await api.put(
      '/api/v1/integrations/meet',
      {
        platform: 'meet',
        // Pasted whole, as Google's key file has it.
        service_account: {
          type: 'service_account',
          project_id: 'firm-project',
          client_email: 'meet-reader@firm-project.iam.gserviceaccount.com',
          private_key: PRIVATE_KEY,
          private_key_id: 'abc123',
        },
        path_token: `${PATH_TOKEN}${randomUUID().slice(0, 8)}`,
        advisor_mappings: [{ platform_user: advisor.email, advisor_user_id: advisor.userId }],
      },
      firm.token,
    );
    expect(meet.status).toBe(200);
    expect(meet.body.webhook_path).toBe('/webhooks/meet/{path_token}');
    for (const platform of ['teams', 'meet']) {
      const text = JSON.stringify((await api.get(`/api/v1/integrations/${platform}`, firm.token)).body);
      for (const secret of [CLIENT_SECRET, CLIENT_STATE, 'BEGIN PRIVATE KEY', PATH_TOKEN]) {
        expect(text).not.toContain(secret);
      }
    }
  });

  it('is for admins only', async () => {
    for (const user of [advisor, compliance]) {
      expect((await api.get('/api/v1/integrations/zoom', user.token)).status).toBe(403);
      expect((await api.put('/api/v1/integrations/zoom', zoomBody('acct-x'), user.token)).status).toBe(403);
      expect((await api.call('DELETE', '/api/v1/integrations/zoom', { token: user.token })).status).toBe(403);
    }
    expect((await api.get('/api/v1/integrations/zoom')).status).toBe(401);
  });

  it.each([
    ['an unknown platform', '/api/v1/integrations/webex', () => zoomBody('acct-1'), ['params.platform']],
    [
      'a body for another platform',
      '/api/v1/integrations/teams',
      () => zoomBody('acct-1'),
      ['body.platform'],
    ],
    [
      'a Zoom body without platform sent to the Teams path',
      '/api/v1/integrations/teams',
      () => {
        const { platform: _left, ...body } = zoomBody('acct-1');
        return body;
      },
      ['body.azure_tenant_id', 'body.client_id', 'body.client_secret', 'body.client_state'],
    ],
    [
      'a short secret token',
      '/api/v1/integrations/zoom',
      () => zoomBody('acct-1', { webhook_secret_token: 'short' }),
      ['body.webhook_secret_token'],
    ],
    ['a bad account id', '/api/v1/integrations/zoom', () => zoomBody('acct 1/..'), ['body.account_id']],
    [
      'no advisor mapping',
      '/api/v1/integrations/zoom',
      () => zoomBody('acct-1', { advisor_mappings: [] }),
      ['body.advisor_mappings'],
    ],
    [
      'a mapping to someone who is not an advisor of the firm',
      '/api/v1/integrations/zoom',
      () =>
        zoomBody('acct-1', {
          advisor_mappings: [{ platform_user: 'x@example.com', advisor_user_id: 'nobody-here' }],
        }),
      ['body.advisor_mappings.0.advisor_user_id'],
    ],
    [
      'a Teams tenant that is not a GUID and a short client state',
      '/api/v1/integrations/teams',
      () => ({
        platform: 'teams',
        azure_tenant_id: 'contoso',
        client_id: randomUUID(),
        client_secret: 's',
        client_state: 'short',
        advisor_mappings: [{ platform_user: 'u', advisor_user_id: 'a' }],
      }),
      ['body.azure_tenant_id', 'body.client_state'],
    ],
    [
      'a Meet key that is not a private key',
      '/api/v1/integrations/meet',
      () => ({
        platform: 'meet',
        service_account: { client_email: 'sa@x.iam.gserviceaccount.com', private_key: 'hunter2' },
        path_token: PATH_TOKEN,
        advisor_mappings: [{ platform_user: 'u', advisor_user_id: 'a' }],
      }),
      ['body.service_account.private_key'],
    ],
  ])('answers 400 naming the field for %s', async (_name, path, body, fields) => {
    const res = await api.put(path, body(), firm.token);
    expect(res.status).toBe(400);
    expect(issuePaths(res.body)).toEqual(expect.arrayContaining(fields));
    expect(JSON.stringify(res.body)).not.toContain(ZOOM_SECRET);
  });

  it('refuses a Zoom account another firm has connected (409), leaving that firm’s routing alone', async () => {
    const accountId = `acct${randomUUID().slice(0, 8)}`;
    expect((await api.put('/api/v1/integrations/zoom', zoomBody(accountId), firm.token)).status).toBe(200);
    const other = await registerFirm('integrations-other');
    const otherAdvisor = await addUser(other.token, 'advisor', 'other-adv');
    const taken = await api.put(
      '/api/v1/integrations/zoom',
      zoomBody(accountId, {
        advisor_mappings: [{ platform_user: otherAdvisor.email, advisor_user_id: otherAdvisor.userId }],
      }),
      other.token,
    );
    expect(taken.status).toBe(409);
    const digest = createHash('sha256').update(`account:${accountId}`).digest('hex');
    expect(await rawItem(`G#PLATFORM_ROUTE#zoom#${digest}`, 'ROUTE')).toMatchObject({
      tenantId: firm.tenantId,
    });
    expect((await api.get('/api/v1/integrations/zoom', other.token)).status).toBe(404);
  });

  it('moves the route when the account changes, and removes integration and routes on DELETE', async () => {
    const first = `acct${randomUUID().slice(0, 8)}`;
    const second = `acct${randomUUID().slice(0, 8)}`;
    const routeOf = (account: string) =>
      rawItem(
        `G#PLATFORM_ROUTE#zoom#${createHash('sha256').update(`account:${account}`).digest('hex')}`,
        'ROUTE',
      );
    await api.put('/api/v1/integrations/zoom', zoomBody(first), firm.token);
    const moved = await api.put('/api/v1/integrations/zoom', zoomBody(second), firm.token);
    expect(moved.status).toBe(200);
    expect(await routeOf(first)).toBeUndefined();
    expect(await routeOf(second)).toBeDefined();

    const deleted = await api.call('DELETE', '/api/v1/integrations/zoom', { token: firm.token });
    expect(deleted.status).toBe(204);
    expect(await routeOf(second)).toBeUndefined();
    expect((await api.get('/api/v1/integrations/zoom', firm.token)).status).toBe(404);
    expect((await api.call('DELETE', '/api/v1/integrations/zoom', { token: firm.token })).status).toBe(404);
  });
});
