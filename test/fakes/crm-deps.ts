import type { AuditEntry } from '../../functions/core/audit/audit-entry';
import type { CrmConnection } from '../../functions/core/crm/crm-connection';
import {
  type CrmContact,
  type CrmCredentials,
  type CrmNoteInput,
  type CrmProvider,
  type CrmProviderName,
  type CrmRemoteRecord,
  CrmRequestError,
  type CrmTaskInput,
  CrmUnsupportedError,
} from '../../functions/core/crm/crm-provider';
import type { CrmLedgerEntry, CrmSyncStatus } from '../../functions/core/crm/crm-sync-status';
import type { CrmDeps } from '../../functions/core/crm/ports';
import type { VerifiedExtraction } from '../../functions/core/extraction/extraction-schema';
import type { User } from '../../functions/core/identity/user';
import type { Meeting } from '../../functions/core/meetings/meeting';
import { createCrmConnector } from '../../functions/integrations/crm/crm-connector';
import { ConflictError, NotFoundError } from '../../functions/platform/errors';
import { NOW, pipelineMeeting } from './pipeline-deps';

const cite = [{ utterance_index: 0, quote: 'we talked about the rollover today' }];

/** A verified extraction with notes in two categories, two verified action items and one unverified. */
export function crmExtraction(): VerifiedExtraction {
  return {
    notes: {
      summary: [{ text: 'Annual review with Doug.', evidence: cite, evidence_status: 'verified' }],
      financial_situation: [
        { text: 'About $450,000 in the 401(k).', evidence: cite, evidence_status: 'verified' },
      ],
      goals_and_concerns: [{ text: 'Made-up worry.', evidence: cite, evidence_status: 'unverified' }],
      recommendations: [],
      next_steps: [],
    },
    action_items: [
      {
        id: 'ai_1',
        description: 'Send the rollover paperwork.',
        owner: 'advisor',
        due_date: '2026-01-23',
        priority: 'high',
        evidence: cite,
        evidence_status: 'verified',
      },
      {
        id: 'ai_2',
        description: 'Invented task.',
        owner: 'client',
        due_date: null,
        priority: 'low',
        evidence: cite,
        evidence_status: 'unverified',
      },
      {
        id: 'ai_3',
        description: 'Gather the last two tax returns.',
        owner: 'client',
        due_date: null,
        priority: 'medium',
        evidence: cite,
        evidence_status: 'verified',
      },
    ],
    client_facts: [],
    compliance_flags: [],
    follow_up_email: { subject: 'Thanks', body: 'Thanks.', disclaimer: 'Draft.', flags: [] },
    extractor: 'offline',
  };
}

export interface FakeCrmBehaviour {
  contacts: CrmContact[];
  /** Redtail-like: notes and tasks need a contact. */
  requiresContact?: boolean;
  /** Throws this on the nth create call (1-based, notes and tasks counted together), once. */
  failOnCreate?: { call: number; error: Error };
  verifyError?: Error;
}

/** An in-memory CRM that counts every call as the vendor would see it (one per HTTP request). */
export function fakeCrm(provider: CrmProviderName, behaviour: FakeCrmBehaviour) {
  const calls: string[] = [];
  const notes: (CrmNoteInput & { id: string })[] = [];
  const tasks: (CrmTaskInput & { id: string })[] = [];
  let creates = 0;
  const maybeFail = () => {
    creates += 1;
    if (behaviour.failOnCreate?.call === creates) {
      const { error } = behaviour.failOnCreate;
      behaviour.failOnCreate = undefined;
      throw error;
    }
  };
  const crm: CrmProvider = {
    provider,
    verifyCredentials: async () => {
      calls.push('verify');
      if (behaviour.verifyError) throw behaviour.verifyError;
      return { accountLabel: `${provider} account` };
    },
    findContacts: async ({ name }) => {
      calls.push('findContacts');
      const surname = name.trim().split(/\s+/).at(-1)?.toLowerCase() ?? '';
      return behaviour.contacts.filter((c) => c.name.toLowerCase().includes(surname));
    },
    createNote: async (note) => {
      if (behaviour.requiresContact && !note.contactId)
        throw new CrmUnsupportedError(provider, 'a note must belong to a contact');
      calls.push('createNote');
      maybeFail();
      const id = `${provider}-note-${notes.length + 1}`;
      notes.push({ ...note, id });
      return { externalId: note.externalId, remoteId: id };
    },
    createTasks: async (input, onCreated) => {
      if (behaviour.requiresContact && input.some((t) => !t.contactId))
        throw new CrmUnsupportedError(provider, 'a task must belong to a contact');
      const done: CrmRemoteRecord[] = [];
      for (const task of input) {
        calls.push('createTask');
        maybeFail();
        const id = `${provider}-task-${tasks.length + 1}`;
        tasks.push({ ...task, id });
        const record = { externalId: task.externalId, remoteId: id };
        await onCreated?.(record);
        done.push(record);
      }
      return done;
    },
  };
  return { crm, calls, notes, tasks };
}

export const unavailable = (provider: CrmProviderName) =>
  new CrmRequestError(provider, 'unavailable', 'HTTP 503 after 3 attempts', 503);

export function crmConnection(overrides: Partial<CrmConnection> = {}): CrmConnection {
  return {
    connectionId: 'conn-wb',
    tenantId: 'firm-a',
    advisorId: 'adv-1',
    provider: 'wealthbox',
    status: 'active',
    credentials: { provider: 'wealthbox', apiToken: 'wb-secret-token' },
    connectedBy: 'adv-1',
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    ...overrides,
  };
}

/** Answers Redtail's `GET /authentication` (Basic `apiKey:username:password`) with the user key `exchange` gives. */
function redtailAuthentication(
  exchange: (login: { apiKey: string; username: string; password: string }) => Promise<string>,
): typeof fetch {
  return async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const basic = new Headers(init?.headers).get('authorization')?.replace(/^Basic /, '') ?? '';
    const [apiKey = '', username = '', password = ''] = Buffer.from(basic, 'base64')
      .toString('utf8')
      .split(':');
    if (!url.pathname.endsWith('/authentication')) return new Response('{}', { status: 404 });
    const userKey = await exchange({ apiKey, username, password });
    return Response.json({ user_key: userKey });
  };
}

/** In-memory `CrmDeps` with the DynamoDB stores' rules (one connection per provider per advisor, ledger once). */
export function crmDeps(options: {
  meeting?: Meeting;
  extraction?: VerifiedExtraction;
  crms?: Partial<Record<CrmProviderName, ReturnType<typeof fakeCrm>>>;
  users?: User[];
  redtailUserKey?: (login: { apiKey: string; username: string; password: string }) => Promise<string>;
}) {
  const meeting =
    options.meeting ??
    pipelineMeeting({ status: 'completed', extractionKey: 'tenants/firm-a/meetings/m-1/extraction.json' });
  const meetings = new Map([[meeting.meetingId, meeting]]);
  const connections = new Map<string, CrmConnection>();
  const ledger = new Map<string, CrmLedgerEntry>();
  const statuses = new Map<string, CrmSyncStatus>();
  const audit: AuditEntry[] = [];
  const credentialsSeen: CrmCredentials[] = [];
  let ids = 0;
  const connKey = (t: string, a: string, p: string) => `${t}/${a}/${p}`;
  const deps: CrmDeps = {
    connections: {
      get: async (t, a, p) => connections.get(connKey(t, a, p)),
      create: async (c, entry) => {
        const key = connKey(c.tenantId, c.advisorId, c.provider);
        if (connections.has(key)) throw new ConflictError('exists');
        connections.set(key, c);
        audit.push(entry);
      },
      replace: async (c, entry) => {
        const key = connKey(c.tenantId, c.advisorId, c.provider);
        if (connections.get(key)?.connectionId !== c.connectionId) throw new ConflictError('changed');
        connections.set(key, c);
        audit.push(entry);
      },
      delete: async (t, a, p, entry) => {
        if (!connections.delete(connKey(t, a, p))) throw new NotFoundError('crm_connection not found.');
        audit.push(entry);
      },
      listForAdvisor: async (t, a) =>
        [...connections.values()].filter((c) => c.tenantId === t && c.advisorId === a),
    },
    connector: {
      provider: (credentials) => {
        credentialsSeen.push(credentials);
        const crm = options.crms?.[credentials.provider];
        if (!crm) throw new Error(`no fake for ${credentials.provider}`);
        return crm.crm;
      },
      // Connecting goes through the real integrations; only Redtail's password exchange answers from here.
      connection: (provider) =>
        createCrmConnector({
          baseUrls: {},
          timeoutMs: 1000,
          maxAttempts: 1,
          fetch: redtailAuthentication(options.redtailUserKey ?? (async () => 'redtail-user-key')),
        }).connection(provider),
    },
    ledger: {
      entries: async (t, m, c) =>
        [...ledger.values()].filter((e) => e.tenantId === t && e.meetingId === m && e.connectionId === c),
      record: async (e) => {
        const key = `${e.tenantId}/${e.meetingId}/${e.connectionId}/${e.externalId}`;
        if (!ledger.has(key)) ledger.set(key, e);
      },
      status: async (t, m, c) => statuses.get(`${t}/${m}/${c}`),
      putStatus: async (s) => void statuses.set(`${s.tenantId}/${s.meetingId}/${s.connectionId}`, s),
      statuses: async (t, m) => [...statuses.values()].filter((s) => s.tenantId === t && s.meetingId === m),
    },
    meetings: {
      create: async () => undefined,
      get: async (_t, id) => meetings.get(id),
      list: async () => ({ items: [] }),
      replace: async (next, _expected, entry) => {
        meetings.set(next.meetingId, next);
        if (entry) audit.push(entry);
      },
    },
    users: {
      getUser: async (_t, id) => options.users?.find((u) => u.userId === id),
    },
    extractions: {
      getJson: async (_t, key) => {
        if (key !== meeting.extractionKey) throw new NotFoundError('no blob');
        return options.extraction ?? crmExtraction();
      },
    },
    audit: { append: async (_t, entry) => void audit.push(entry) },
    clock: { now: () => NOW },
    ids: { uuid: () => `id-${++ids}`, token: () => 'token' },
    settings: { appBaseUrl: 'https://app.example.com' },
  };
  return { deps, meeting, meetings, connections, ledger, statuses, audit, credentialsSeen };
}
