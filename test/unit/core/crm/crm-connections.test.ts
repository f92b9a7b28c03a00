import { describe, expect, it } from 'vitest';
import type { Principal } from '../../../../functions/contracts/principal';
import { advisorCrmConnections } from '../../../../functions/core/crm/advisor-crm-connections';
import { connectCrm } from '../../../../functions/core/crm/connect-crm';
import { CrmRequestError } from '../../../../functions/core/crm/crm-provider';
import { disconnectCrm } from '../../../../functions/core/crm/disconnect-crm';
import { CrmCredentialsRejectedError, CrmUnreachableError } from '../../../../functions/core/crm/errors';
import { resyncMeetingCrm } from '../../../../functions/core/crm/resync-meeting-crm';
import { testCrmConnection } from '../../../../functions/core/crm/test-crm-connection';
import type { User } from '../../../../functions/core/identity/user';
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  ValidationError,
} from '../../../../functions/platform/errors';
import { crmConnection, crmDeps, fakeCrm, unavailable } from '../../../fakes/crm-deps';
import { pipelineMeeting } from '../../../fakes/pipeline-deps';

const ADVISOR: Principal = { userId: 'adv-1', tenantId: 'firm-a', role: 'advisor' };
const OTHER_ADVISOR: Principal = { userId: 'adv-2', tenantId: 'firm-a', role: 'advisor' };
const ASSISTANT: Principal = { userId: 'asst-1', tenantId: 'firm-a', role: 'assistant' };
const users = [
  { userId: 'asst-1', role: 'assistant', status: 'active', assignedAdvisorIds: ['adv-1'] } as unknown as User,
  { userId: 'adv-1', role: 'advisor', status: 'active' } as unknown as User,
];
const connect = (
  t: ReturnType<typeof crmDeps>,
  provider: 'wealthbox' | 'redtail' | 'salesforce',
  body: Record<string, unknown>,
  actor = ADVISOR,
  ownerId?: string,
) => connectCrm({ actor, ip: '203.0.113.5', provider, body, ...(ownerId ? { ownerId } : {}) }, t.deps);

describe('connectCrm', () => {
  it('verifies Wealthbox credentials with one call, then stores the connection and audits it', async () => {
    const wealthbox = fakeCrm('wealthbox', { contacts: [] });
    const t = crmDeps({ crms: { wealthbox } });
    const connection = await connect(t, 'wealthbox', { api_token: 'wb-token' });
    expect(wealthbox.calls).toEqual(['verify']);
    expect(connection).toMatchObject({
      advisorId: 'adv-1',
      provider: 'wealthbox',
      status: 'active',
      accountLabel: 'wealthbox account',
      credentials: { provider: 'wealthbox', apiToken: 'wb-token' },
    });
    expect(t.connections.size).toBe(1);
    expect(t.audit).toEqual([
      expect.objectContaining({
        action: 'crm.connected',
        target: { type: 'crm_connection', id: connection.connectionId },
        details: { provider: 'wealthbox', advisor_id: 'adv-1' },
      }),
    ]);
    expect(JSON.stringify(t.audit)).not.toContain('wb-token');
  });

  it('exchanges the Redtail password for a user key and stores only the key', async () => {
    const redtail = fakeCrm('redtail', { contacts: [] });
    const logins: unknown[] = [];
    const t = crmDeps({
      crms: { redtail },
      redtailUserKey: async (login) => {
        logins.push(login);
        return 'the-user-key';
      },
    });
    const connection = await connect(t, 'redtail', {
      api_key: 'rt-key',
      username: 'sarah',
      password: 'pa55word!',
    });
    expect(logins).toEqual([{ apiKey: 'rt-key', username: 'sarah', password: 'pa55word!' }]);
    expect(connection.credentials).toEqual({
      provider: 'redtail',
      apiKey: 'rt-key',
      userKey: 'the-user-key',
    });
    expect(JSON.stringify([...t.connections.values()])).not.toContain('pa55word!');
  });

  it('refuses a Salesforce URL that is not a My Domain, naming the field, storing nothing', async () => {
    const t = crmDeps({ crms: { salesforce: fakeCrm('salesforce', { contacts: [] }) } });
    const error = await connect(t, 'salesforce', {
      client_id: 'id',
      client_secret: 'secret',
      my_domain_url: 'https://evil.example.com',
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues).toEqual([
      {
        path: 'body.my_domain_url',
        message: 'must be your Salesforce My Domain (https://<domain>.my.salesforce.com)',
      },
    ]);
    expect(t.connections.size).toBe(0);
  });

  it.each([
    ['wealthbox', {}, ['body.api_token']],
    ['wealthbox', { api_token: '' }, ['body.api_token']],
    ['redtail', { api_key: 'k' }, ['body.username', 'body.password']],
    [
      'salesforce',
      { client_id: 'i', client_secret: 's', my_domain_url: 'http://x.my.salesforce.com' },
      ['body.my_domain_url'],
    ],
    [
      'salesforce',
      { my_domain_url: 'not a url' },
      ['body.client_id', 'body.client_secret', 'body.my_domain_url'],
    ],
  ] as const)('%s with %j is a 400 naming %j', async (provider, body, paths) => {
    const t = crmDeps({ crms: { [provider]: fakeCrm(provider, { contacts: [] }) } });
    const error = await connect(t, provider, body).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues.map((i) => i.path)).toEqual(paths);
    expect(t.connections.size).toBe(0);
  });

  it("answers refused credentials with a 400 naming the provider's answer, and stores nothing", async () => {
    const wealthbox = fakeCrm('wealthbox', {
      contacts: [],
      verifyError: new CrmRequestError('wealthbox', 'auth', 'HTTP 401 (invalid_token)', 401),
    });
    const t = crmDeps({ crms: { wealthbox } });
    const error = await connect(t, 'wealthbox', { api_token: 'bad' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CrmCredentialsRejectedError);
    expect((error as CrmCredentialsRejectedError).message).toBe(
      'wealthbox refused the credentials: HTTP 401 (invalid_token)',
    );
    expect((error as CrmCredentialsRejectedError).issues).toEqual([
      { path: 'body.api_token', message: 'wealthbox answered: HTTP 401 (invalid_token)' },
    ]);
    expect(t.connections.size).toBe(0);
    expect(t.audit).toEqual([]);
  });

  it('answers a CRM that is down with 424, not a credentials error', async () => {
    const wealthbox = fakeCrm('wealthbox', { contacts: [], verifyError: unavailable('wealthbox') });
    const t = crmDeps({ crms: { wealthbox } });
    await expect(connect(t, 'wealthbox', { api_token: 'x' })).rejects.toBeInstanceOf(CrmUnreachableError);
    expect(t.connections.size).toBe(0);
  });

  it('allows one connection per provider per advisor, without calling the CRM for the second', async () => {
    const wealthbox = fakeCrm('wealthbox', { contacts: [] });
    const t = crmDeps({ crms: { wealthbox } });
    await connect(t, 'wealthbox', { api_token: 'a' });
    await expect(connect(t, 'wealthbox', { api_token: 'b' })).rejects.toBeInstanceOf(ConflictError);
    expect(wealthbox.calls).toEqual(['verify']);
    // Another advisor of the firm has their own.
    await connect(t, 'wealthbox', { api_token: 'c' }, OTHER_ADVISOR);
    expect(t.connections.size).toBe(2);
  });

  it('lets an assistant connect for an assigned advisor only', async () => {
    const t = crmDeps({ crms: { wealthbox: fakeCrm('wealthbox', { contacts: [] }) }, users });
    const connection = await connect(t, 'wealthbox', { api_token: 'a' }, ASSISTANT, 'adv-1');
    expect(connection).toMatchObject({ advisorId: 'adv-1', connectedBy: 'asst-1' });
    await expect(connect(t, 'wealthbox', { api_token: 'a' }, ASSISTANT, 'adv-2')).rejects.toBeInstanceOf(
      ValidationError,
    );
    await expect(connect(t, 'wealthbox', { api_token: 'a' }, OTHER_ADVISOR, 'adv-1')).rejects.toBeInstanceOf(
      ValidationError,
    );
  });
});

describe('listing, testing and disconnecting', () => {
  it("lists an advisor's own connections; another advisor may not see them", async () => {
    const t = crmDeps({ users });
    t.connections.set('firm-a/adv-1/wealthbox', crmConnection());
    expect(await advisorCrmConnections({ actor: ADVISOR }, t.deps)).toHaveLength(1);
    expect(await advisorCrmConnections({ actor: OTHER_ADVISOR }, t.deps)).toHaveLength(0);
    await expect(
      advisorCrmConnections({ actor: OTHER_ADVISOR, ownerId: 'adv-1' }, t.deps),
    ).rejects.toBeInstanceOf(ForbiddenError);
    expect(await advisorCrmConnections({ actor: ASSISTANT, ownerId: 'adv-1' }, t.deps)).toHaveLength(1);
  });

  it('tests a stored connection: refused credentials are a result naming the answer, and it is recorded', async () => {
    const wealthbox = fakeCrm('wealthbox', {
      contacts: [],
      verifyError: new CrmRequestError('wealthbox', 'auth', 'HTTP 401', 401),
    });
    const t = crmDeps({ crms: { wealthbox } });
    t.connections.set('firm-a/adv-1/wealthbox', crmConnection());
    const result = await testCrmConnection({ actor: ADVISOR, ip: 'x', provider: 'wealthbox' }, t.deps);
    expect(result).toMatchObject({
      ok: false,
      answer: 'wealthbox: HTTP 401',
      connection: { lastTestOutcome: 'failed' },
    });
    expect(t.audit.map((e) => [e.action, e.outcome])).toEqual([['crm.connection_tested', 'failure']]);
    await expect(
      testCrmConnection({ actor: ADVISOR, ip: 'x', provider: 'redtail' }, t.deps),
    ).rejects.toBeInstanceOf(NotFoundError);
  });

  it('disconnects (audited), and a second disconnect is 404', async () => {
    const t = crmDeps({});
    t.connections.set('firm-a/adv-1/wealthbox', crmConnection());
    await disconnectCrm({ actor: ADVISOR, ip: 'x', provider: 'wealthbox' }, t.deps);
    expect(t.connections.size).toBe(0);
    expect(t.audit.map((e) => e.action)).toEqual(['crm.disconnected']);
    await expect(
      disconnectCrm({ actor: ADVISOR, ip: 'x', provider: 'wealthbox' }, t.deps),
    ).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('resyncMeetingCrm', () => {
  it('syncs every active connection of the owner; one failing does not stop the others; re-run adds nothing', async () => {
    const wealthbox = fakeCrm('wealthbox', { contacts: [{ id: '1', name: 'Doug Miller', emails: [] }] });
    const redtail = fakeCrm('redtail', {
      contacts: [{ id: '2', name: 'Doug Miller', emails: [] }],
      failOnCreate: { call: 1, error: unavailable('redtail') },
    });
    const t = crmDeps({ crms: { wealthbox, redtail } });
    t.connections.set('firm-a/adv-1/wealthbox', crmConnection());
    t.connections.set(
      'firm-a/adv-1/redtail',
      crmConnection({
        connectionId: 'conn-rt',
        provider: 'redtail',
        credentials: { provider: 'redtail', apiKey: 'k', userKey: 'u' },
      }),
    );
    const first = await resyncMeetingCrm({ actor: ADVISOR, ip: 'x', meetingId: 'm-1' }, t.deps);
    expect(first.map((s) => [s.provider, s.status])).toEqual([
      ['wealthbox', 'synced'],
      ['redtail', 'failed'],
    ]);
    const second = await resyncMeetingCrm({ actor: ADVISOR, ip: 'x', meetingId: 'm-1' }, t.deps);
    expect(second.map((s) => [s.provider, s.status, s.attempts])).toEqual([
      ['wealthbox', 'synced', 2],
      ['redtail', 'synced', 2],
    ]);
    expect(wealthbox.notes).toHaveLength(1);
    expect(wealthbox.tasks).toHaveLength(2);
    expect(redtail.notes).toHaveLength(1);
    expect(t.audit.map((e) => [e.action, e.outcome])).toEqual([
      ['meeting.crm_resynced', 'failure'],
      ['meeting.crm_resynced', 'success'],
    ]);
    expect(t.audit[0]).toEqual({
      action: 'meeting.crm_resynced',
      outcome: 'failure',
      actor: { userId: 'adv-1', role: 'advisor' },
      target: { type: 'meeting', id: 'm-1' },
      ip: 'x',
      details: { connections: 2, synced: 1, failed: 1 },
    });
    expect(t.audit[1]?.details).toEqual({ connections: 2, synced: 2, failed: 0 });
  });

  it('leaves a disabled connection alone, and answers with the recorded failure of one that fails', async () => {
    const wealthbox = fakeCrm('wealthbox', {
      contacts: [{ id: '1', name: 'Doug Miller', emails: [] }],
      failOnCreate: { call: 1, error: unavailable('wealthbox') },
    });
    const redtail = fakeCrm('redtail', { contacts: [] });
    const t = crmDeps({ crms: { wealthbox, redtail } });
    t.connections.set('firm-a/adv-1/wealthbox', crmConnection());
    t.connections.set(
      'firm-a/adv-1/redtail',
      crmConnection({
        connectionId: 'conn-rt',
        provider: 'redtail',
        status: 'disabled',
        credentials: { provider: 'redtail', apiKey: 'k', userKey: 'u' },
      }),
    );
    const results = await resyncMeetingCrm({ actor: ADVISOR, ip: 'x', meetingId: 'm-1' }, t.deps);
    expect(results).toEqual([t.statuses.get('firm-a/m-1/conn-wb')]);
    expect(results[0]).toMatchObject({ status: 'failed', errorKind: 'unavailable', attempts: 1 });
    expect(redtail.calls).toEqual([]);
    expect(t.audit.at(-1)?.details).toEqual({ connections: 1, synced: 0, failed: 1 });
  });

  it('fails, naming the provider, when a sync could not even record why it failed', async () => {
    const wealthbox = fakeCrm('wealthbox', { contacts: [] });
    const t = crmDeps({ crms: { wealthbox } });
    t.connections.set('firm-a/adv-1/wealthbox', crmConnection());
    t.deps.ledger.putStatus = async () => {
      throw new Error('table unavailable');
    };
    await expect(resyncMeetingCrm({ actor: ADVISOR, ip: 'x', meetingId: 'm-1' }, t.deps)).rejects.toThrow(
      'CRM sync of wealthbox failed before it could record why',
    );
  });

  it('is 409 for a meeting that is not completed, 404 for another advisor, 403 for compliance', async () => {
    const t = crmDeps({ meeting: pipelineMeeting({ status: 'processing' }) });
    await expect(resyncMeetingCrm({ actor: ADVISOR, ip: 'x', meetingId: 'm-1' }, t.deps)).rejects.toThrow(
      new ConflictError('The meeting is processing; only a completed meeting can be synced again.'),
    );
    await expect(
      resyncMeetingCrm({ actor: OTHER_ADVISOR, ip: 'x', meetingId: 'm-1' }, t.deps),
    ).rejects.toBeInstanceOf(NotFoundError);
    await expect(
      resyncMeetingCrm(
        { actor: { ...ADVISOR, userId: 'c-1', role: 'compliance' }, ip: 'x', meetingId: 'm-1' },
        t.deps,
      ),
    ).rejects.toBeInstanceOf(ForbiddenError);
  });
});
