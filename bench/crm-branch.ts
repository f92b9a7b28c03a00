import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startLocalHost } from '../lib/local/local-host';
import type { ExecutionEvent, ExecutionOutcome } from '../lib/local/pipeline-runner';
import type { FakeCrmControl } from '../test/fakes/crm-fake-server';
import { startFakeRedtail } from '../test/fakes/redtail-server';
import { startFakeSalesforce } from '../test/fakes/salesforce-server';
import { startFakeWealthbox } from '../test/fakes/wealthbox-server';

/** Every fake CRM answers after this long: the "fakes answering in 20 ms". */
const VENDOR_LATENCY_MS = 20;
const MEETINGS_PER_SETUP = 5;
const PROVIDERS = ['wealthbox', 'redtail', 'salesforce'] as const;
type Provider = (typeof PROVIDERS)[number];

export interface CrmBranchFigures {
  /** Median CRM branch (the `SyncCrmConnections` Map) wall time, per setup: one provider alone, or all three. */
  branchMs: Record<Provider | 'all three', number>;
  /** Per provider with all three connected: CRM API calls per meeting (min/max), action items synced. */
  calls: Record<Provider, { min: number; max: number }>;
  actionItems: number;
  /** CRM API calls of a re-sync (`POST /meetings/{id}/crm-sync`) of already synced meetings, all providers. */
  resyncCalls: number;
  statuses: string[];
}

const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)] ?? Number.NaN;
};

/** Entered → exited of the CRM Map: the branch's wall time as the execution history saw it. */
function crmBranchMs(events: readonly ExecutionEvent[]): number {
  const at = (type: string) =>
    events.find(
      (e) => e.type === type && 'state' in e && (e.state as { name: string }).name === 'SyncCrmConnections',
    )?.timestamp;
  const entered = at('StateEntered');
  const exited = at('StateExited');
  if (entered === undefined || exited === undefined) throw new Error('no SyncCrmConnections in the history');
  return exited - entered;
}

/**
 * The CRM branch through an in-memory local host pointed at the three fake CRMs (each answering in 20 ms):
 * three advisors with one provider each (the single-provider baselines) and one with all three, three meetings
 * each; the CRM calls each vendor saw per meeting; and a re-sync of the synced meetings, which must call none.
 */
export async function crmBranch(goldenDir: string): Promise<CrmBranchFigures> {
  const fakes = {
    wealthbox: await startFakeWealthbox({
      contacts: [{ id: 301, first_name: 'Kiran', last_name: 'Batra', emails: [] }],
    }),
    redtail: await startFakeRedtail({ contacts: [{ id: 401, first_name: 'Kiran', last_name: 'Batra' }] }),
    salesforce: await startFakeSalesforce({
      contacts: [{ Id: '003000000000000501', FirstName: 'Kiran', LastName: 'Batra', Email: null }],
    }),
  };
  const all: FakeCrmControl[] = Object.values(fakes);
  for (const fake of all) fake.setLatency(VENDOR_LATENCY_MS);
  process.env.CRM_WEALTHBOX_BASE_URL = fakes.wealthbox.baseUrl;
  process.env.CRM_REDTAIL_BASE_URL = fakes.redtail.baseUrl;
  process.env.CRM_SALESFORCE_BASE_URL = fakes.salesforce.baseUrl;

  const outcomes = new Map<string, ExecutionOutcome>();
  const waiting = new Map<string, (outcome: ExecutionOutcome) => void>();
  const host = await startLocalHost({
    memory: true,
    port: 0,
    print: () => undefined,
    onPipelineExecutionDone: (meetingId, outcome) => {
      outcomes.set(meetingId, outcome);
      waiting.get(meetingId)?.(outcome);
    },
  });
  const call = async <T>(method: string, path: string, body?: unknown, token?: string) => {
    const res = await fetch(`${host.url}${path}`, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${text}`);
    return (text ? JSON.parse(text) : {}) as T;
  };

  try {
    const stamp = Date.now();
    const admin = await call<{ access_token: string }>('POST', '/api/v1/auth/register', {
      firm_name: 'CRM Bench Wealth',
      name: 'Bench Admin',
      email: `crm.bench.${stamp}@example.com`,
      password: 'bench password 123',
    });
    const advisor = async (label: string, providers: readonly Provider[]) => {
      const invite = await call<{ invite_token: string }>(
        'POST',
        '/api/v1/users/invites',
        { email: `crm.${label}.${stamp}@example.com`, name: `Advisor ${label}`, role: 'advisor' },
        admin.access_token,
      );
      const { access_token: token } = await call<{ access_token: string }>(
        'POST',
        '/api/v1/users/invites/accept',
        {
          invite_token: invite.invite_token,
          password: 'bench password 123',
        },
      );
      const credentials: Record<Provider, Record<string, string>> = {
        wealthbox: { api_token: fakes.wealthbox.apiToken },
        redtail: {
          api_key: fakes.redtail.apiKey,
          username: fakes.redtail.username,
          password: fakes.redtail.password,
        },
        salesforce: {
          client_id: fakes.salesforce.clientId,
          client_secret: fakes.salesforce.clientSecret,
          my_domain_url: 'https://bench.my.salesforce.com',
        },
      };
      for (const p of providers) await call('POST', `/api/v1/crm/connections/${p}`, credentials[p], token);
      return token;
    };

    const file = await readFile(join(goldenDir, 'meeting-02.vtt'));
    const meeting = async (token: string) => {
      const ticket = await call<{ meeting: { id: string }; upload: { url: string } }>(
        'POST',
        '/api/v1/meetings/upload',
        {
          title: 'CRM bench',
          meeting_date: '2026-02-12',
          client_names: ['Kiran Batra'],
          file_name: 'meeting-02.vtt',
          content_type: 'text/vtt',
          size_bytes: file.byteLength,
        },
        token,
      );
      const id = ticket.meeting.id;
      const done = new Promise<ExecutionOutcome>((resolve) => waiting.set(id, resolve));
      await call(
        'POST',
        `/api/v1/meetings/${id}/consent`,
        { method: 'written', participant_states: ['OH'] },
        token,
      );
      const put = await fetch(ticket.upload.url, {
        method: 'PUT',
        headers: { 'content-type': 'text/vtt' },
        body: file,
      });
      await put.text();
      const outcome = outcomes.get(id) ?? (await done);
      const details = await call<{
        crm?: { provider: string; status: string; remote_ids?: { tasks: string[] } }[];
      }>('GET', `/api/v1/meetings/${id}`, undefined, token);
      return { id, outcome, details };
    };

    const branchMs = {} as CrmBranchFigures['branchMs'];
    const statuses: string[] = [];
    for (const p of PROVIDERS) {
      const token = await advisor(p, [p]);
      const times: number[] = [];
      for (let i = 0; i < MEETINGS_PER_SETUP; i += 1) {
        const { outcome, details } = await meeting(token);
        times.push(crmBranchMs(outcome.events));
        statuses.push(...(details.crm ?? []).map((c) => `${c.provider}:${c.status}`));
      }
      branchMs[p] = median(times);
    }

    const token = await advisor('all', PROVIDERS);
    const times: number[] = [];
    const perProvider = Object.fromEntries(PROVIDERS.map((p) => [p, [] as number[]])) as Record<
      Provider,
      number[]
    >;
    const ids: string[] = [];
    let actionItems = 0;
    for (let i = 0; i < MEETINGS_PER_SETUP; i += 1) {
      for (const fake of all) fake.resetRequests();
      const { id, outcome, details } = await meeting(token);
      ids.push(id);
      times.push(crmBranchMs(outcome.events));
      for (const p of PROVIDERS) perProvider[p].push(fakes[p].totalRequests());
      statuses.push(...(details.crm ?? []).map((c) => `${c.provider}:${c.status}`));
      actionItems = details.crm?.[0]?.remote_ids?.tasks.length ?? 0;
    }
    branchMs['all three'] = median(times);

    for (const fake of all) fake.resetRequests();
    for (const id of ids) await call('POST', `/api/v1/meetings/${id}/crm-sync`, {}, token);
    const resyncCalls = all.reduce((sum, fake) => sum + fake.totalRequests(), 0);

    const calls = Object.fromEntries(
      PROVIDERS.map((p) => [p, { min: Math.min(...perProvider[p]), max: Math.max(...perProvider[p]) }]),
    ) as CrmBranchFigures['calls'];
    return { branchMs, calls, actionItems, resyncCalls, statuses };
  } finally {
    await host.stop();
    await Promise.all(all.map((fake) => fake.close()));
  }
}
