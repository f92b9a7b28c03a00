import { describe, expect, it } from 'vitest';
import { isRetryableCrmFailure } from '../../../../functions/core/crm/crm-failure-retryable';
import { CrmRequestError } from '../../../../functions/core/crm/crm-provider';
import { syncMeetingToCrm } from '../../../../functions/core/crm/sync-meeting-to-crm';
import { NotFoundError } from '../../../../functions/platform/errors';
import { crmConnection, crmDeps, fakeCrm, unavailable } from '../../../fakes/crm-deps';
import { pipelineMeeting } from '../../../fakes/pipeline-deps';

const INPUT = {
  tenantId: 'firm-a',
  meetingId: 'm-1',
  connectionId: 'conn-wb',
  provider: 'wealthbox',
} as const;
const DOUG = { id: '501', name: 'Douglas Miller', emails: [] };

function setup(behaviour: Parameters<typeof fakeCrm>[1] = { contacts: [DOUG] }) {
  const wealthbox = fakeCrm('wealthbox', behaviour);
  const t = crmDeps({ crms: { wealthbox } });
  t.connections.set('firm-a/adv-1/wealthbox', crmConnection({ crmUserId: 'wb-user-9' }));
  return { ...t, wealthbox };
}

describe('syncMeetingToCrm', () => {
  it('links one note and one task per verified action item to the matched contact, within budget', async () => {
    const t = setup();
    const status = await syncMeetingToCrm(INPUT, t.deps);

    expect(t.wealthbox.calls).toEqual(['findContacts', 'createNote', 'createTask', 'createTask']);
    expect(t.wealthbox.calls.length).toBeLessThanOrEqual(2 + 2);
    expect(t.wealthbox.notes).toHaveLength(1);
    const note = t.wealthbox.notes[0];
    expect(note).toMatchObject({
      contactId: '501',
      subject: 'Annual review (2026-01-20)',
      externalId: 'm-1:note',
    });
    expect(note?.body).toContain('Summary\n- Annual review with Doug.');
    expect(note?.body).toContain('Financial situation\n- About $450,000 in the 401(k).');
    expect(note?.body).not.toContain('Made-up worry');
    expect(note?.body).toContain('https://app.example.com/meetings/m-1');
    expect(
      t.wealthbox.tasks.map((task) => [
        task.title,
        task.dueDate,
        task.priority,
        task.assigneeId,
        task.externalId,
      ]),
    ).toEqual([
      ['Send the rollover paperwork.', '2026-01-23', 'high', 'wb-user-9', 'm-1:task:0'],
      ['Gather the last two tax returns.', undefined, 'medium', undefined, 'm-1:task:2'],
    ]);
    expect(status).toMatchObject({
      status: 'synced',
      attempts: 1,
      contact: { status: 'matched', contactId: '501', by: 'normalised' },
      note: { externalId: 'm-1:note', remoteId: 'wealthbox-note-1' },
      tasks: [
        { externalId: 'm-1:task:0', remoteId: 'wealthbox-task-1' },
        { externalId: 'm-1:task:2', remoteId: 'wealthbox-task-2' },
      ],
    });
    expect([...t.ledger.values()].map((e) => [e.kind, e.externalId, e.remoteId])).toEqual([
      ['note', 'm-1:note', 'wealthbox-note-1'],
      ['task', 'm-1:task:0', 'wealthbox-task-1'],
      ['task', 'm-1:task:2', 'wealthbox-task-2'],
    ]);
  });

  it('makes no CRM call at all when re-run after a complete sync, and duplicates nothing', async () => {
    const t = setup();
    await syncMeetingToCrm(INPUT, t.deps);
    const before = t.wealthbox.calls.length;
    const again = await syncMeetingToCrm(INPUT, t.deps);
    expect(t.wealthbox.calls.length - before).toBe(0);
    expect(t.wealthbox.notes).toHaveLength(1);
    expect(t.wealthbox.tasks).toHaveLength(2);
    expect(again).toMatchObject({ status: 'synced', attempts: 2, contact: { contactId: '501' } });
  });

  it('after a failure part-way, records why and the attempt, and the retry creates only what is missing', async () => {
    const t = setup({ contacts: [DOUG], failOnCreate: { call: 3, error: unavailable('wealthbox') } });
    const error = await syncMeetingToCrm(INPUT, t.deps).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CrmRequestError);
    expect(isRetryableCrmFailure(error)).toBe(true);
    expect(t.statuses.get('firm-a/m-1/conn-wb')).toMatchObject({
      status: 'failed',
      errorKind: 'unavailable',
      reason: 'wealthbox: HTTP 503 after 3 attempts',
      attempts: 1,
      note: { remoteId: 'wealthbox-note-1' },
      tasks: [{ externalId: 'm-1:task:0' }],
    });

    const callsBefore = t.wealthbox.calls.length;
    const status = await syncMeetingToCrm(INPUT, t.deps);
    // The contact is remembered and the note and first task are in the ledger: one call for the last task.
    expect(t.wealthbox.calls.slice(callsBefore)).toEqual(['createTask']);
    expect(t.wealthbox.notes).toHaveLength(1);
    expect(t.wealthbox.tasks.map((task) => task.externalId)).toEqual(['m-1:task:0', 'm-1:task:2']);
    expect(status).toMatchObject({ status: 'synced', attempts: 2 });
  });

  it('creates the note unlinked when the contact is ambiguous, and records the candidates, not a guess', async () => {
    const t = setup({
      contacts: [
        { id: '1', name: 'Doug Miller', emails: [] },
        { id: '2', name: 'Doug Miller', emails: ['d@example.com'] },
      ],
    });
    const status = await syncMeetingToCrm(INPUT, t.deps);
    expect(t.wealthbox.notes[0]?.contactId).toBeUndefined();
    expect(t.wealthbox.tasks.every((task) => task.contactId === undefined)).toBe(true);
    expect(status).toMatchObject({
      status: 'synced',
      contact: {
        status: 'not_matched',
        reason: 'ambiguous',
        candidates: [
          { id: '1', name: 'Doug Miller' },
          { id: '2', name: 'Doug Miller' },
        ],
      },
    });
  });

  it('makes no CRM call, not even a search, when re-run after a complete sync whose contact was not matched', async () => {
    // Everything was created (unlinked): nothing is missing, so there is nothing a new search could link.
    const t = setup({
      contacts: [
        { id: '1', name: 'Doug Miller', emails: [] },
        { id: '2', name: 'Doug Miller', emails: ['d@example.com'] },
      ],
    });
    const first = await syncMeetingToCrm(INPUT, t.deps);
    expect(t.wealthbox.calls).toEqual(['findContacts', 'createNote', 'createTask', 'createTask']);
    const again = await syncMeetingToCrm(INPUT, t.deps);
    expect(t.wealthbox.calls).toHaveLength(4);
    expect(t.wealthbox.notes).toHaveLength(1);
    expect(t.wealthbox.tasks).toHaveLength(2);
    expect(again).toEqual({ ...first, attempts: 2, updatedAt: again.updatedAt });
    expect(again.contact).toMatchObject({ status: 'not_matched', reason: 'ambiguous' });
  });

  it('skips with the reason and candidates where the CRM cannot hold an unlinked note (Redtail)', async () => {
    const redtail = fakeCrm('redtail', {
      contacts: [{ id: '77', name: 'Dana Miller', emails: [] }],
      requiresContact: true,
    });
    const t = crmDeps({ crms: { redtail } });
    t.connections.set(
      'firm-a/adv-1/redtail',
      crmConnection({
        connectionId: 'conn-rt',
        provider: 'redtail',
        credentials: { provider: 'redtail', apiKey: 'k', userKey: 'u' },
      }),
    );
    const status = await syncMeetingToCrm({ ...INPUT, connectionId: 'conn-rt', provider: 'redtail' }, t.deps);
    expect(redtail.notes).toHaveLength(0);
    expect(status).toMatchObject({
      status: 'skipped',
      reason: 'Contact not matched (not_found); redtail cannot hold a note or task linked to no contact.',
      contact: {
        status: 'not_matched',
        reason: 'not_found',
        candidates: [{ id: '77', name: 'Dana Miller' }],
      },
      notCreated: [
        { externalId: 'm-1:note', reason: 'redtail: a note must belong to a contact' },
        { externalId: 'm-1:task:0', reason: 'redtail: a task must belong to a contact' },
        { externalId: 'm-1:task:2', reason: 'redtail: a task must belong to a contact' },
      ],
    });
  });

  it('searches again on a re-run after "not matched", and links once the client is in the CRM', async () => {
    const behaviour = {
      contacts: [] as { id: string; name: string; emails: string[] }[],
      requiresContact: true,
    };
    const redtail = fakeCrm('redtail', behaviour);
    const t = crmDeps({ crms: { redtail } });
    t.connections.set(
      'firm-a/adv-1/redtail',
      crmConnection({
        connectionId: 'conn-rt',
        provider: 'redtail',
        credentials: { provider: 'redtail', apiKey: 'k', userKey: 'u' },
      }),
    );
    const input = { ...INPUT, connectionId: 'conn-rt', provider: 'redtail' } as const;
    expect((await syncMeetingToCrm(input, t.deps)).status).toBe('skipped');
    behaviour.contacts.push({ id: '88', name: 'Doug Miller', emails: [] });
    const status = await syncMeetingToCrm(input, t.deps);
    expect(status).toMatchObject({
      status: 'synced',
      contact: { status: 'matched', contactId: '88' },
      notCreated: [],
    });
    expect(redtail.notes.map((n) => n.contactId)).toEqual(['88']);
  });

  it('searches each client name until one matches uniquely', async () => {
    const t = setup({ contacts: [{ id: '9', name: 'Mary Okafor', emails: [] }] });
    t.meetings.set('m-1', { ...t.meeting, clientNames: ['Doug Miller', 'Mary Okafor'] });
    const status = await syncMeetingToCrm(INPUT, t.deps);
    expect(t.wealthbox.calls.filter((c) => c === 'findContacts')).toHaveLength(2);
    expect(status.contact).toMatchObject({ status: 'matched', contactId: '9' });
  });

  it('skips, calling nothing, when the connection was removed or replaced since the sync was scheduled', async () => {
    const t = setup();
    t.connections.set('firm-a/adv-1/wealthbox', crmConnection({ connectionId: 'conn-new' }));
    const status = await syncMeetingToCrm(INPUT, t.deps);
    expect(status).toMatchObject({
      status: 'skipped',
      reason: expect.stringContaining('removed or replaced'),
    });
    expect(t.wealthbox.calls).toEqual([]);
  });

  it("uses the meeting owner's connection, never another advisor's", async () => {
    const t = setup();
    t.meetings.set('m-1', pipelineMeeting({ ownerUserId: 'adv-2', extractionKey: t.meeting.extractionKey }));
    const status = await syncMeetingToCrm(INPUT, t.deps);
    expect(status.status).toBe('skipped');
    expect(t.wealthbox.calls).toEqual([]);
  });

  it('skips a meeting with nothing extracted', async () => {
    const t = setup();
    t.meetings.set('m-1', pipelineMeeting());
    expect(await syncMeetingToCrm(INPUT, t.deps)).toEqual({
      ...INPUT,
      attempts: 1,
      status: 'skipped',
      reason: 'The meeting has nothing extracted to sync yet.',
      tasks: [],
      notCreated: [],
      updatedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    expect(t.wealthbox.calls).toEqual([]);
  });

  it('syncs a meeting skipped earlier for having nothing extracted once it has, searching for the contact', async () => {
    const t = setup();
    const extracted = t.meeting;
    t.meetings.set('m-1', pipelineMeeting());
    expect((await syncMeetingToCrm(INPUT, t.deps)).status).toBe('skipped');
    t.meetings.set('m-1', extracted);
    const status = await syncMeetingToCrm(INPUT, t.deps);
    expect(status).toMatchObject({ status: 'synced', attempts: 2, contact: { status: 'matched' } });
    expect(t.wealthbox.calls).toEqual(['findContacts', 'createNote', 'createTask', 'createTask']);
  });

  it('skips a connection that is no longer active with the same answer as a removed one', async () => {
    const t = setup();
    t.connections.set(
      'firm-a/adv-1/wealthbox',
      crmConnection({ crmUserId: 'wb-user-9', status: 'disabled' }),
    );
    expect(await syncMeetingToCrm(INPUT, t.deps)).toEqual({
      ...INPUT,
      attempts: 1,
      status: 'skipped',
      reason: 'The CRM connection was removed or replaced after this sync was scheduled.',
      tasks: [],
      notCreated: [],
      updatedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    expect(t.wealthbox.calls).toEqual([]);
  });

  it('answers NotFoundError for a meeting that is not there', async () => {
    const t = setup();
    await expect(syncMeetingToCrm({ ...INPUT, meetingId: 'm-404' }, t.deps)).rejects.toThrow(
      new NotFoundError('Meeting not found.'),
    );
  });

  it('records refused credentials as a failure retrying cannot fix', async () => {
    const t = setup({
      contacts: [DOUG],
      failOnCreate: { call: 1, error: new CrmRequestError('wealthbox', 'auth', 'HTTP 401', 401) },
    });
    const error = await syncMeetingToCrm(INPUT, t.deps).catch((e: unknown) => e);
    expect(isRetryableCrmFailure(error)).toBe(false);
    expect(t.statuses.get('firm-a/m-1/conn-wb')).toMatchObject({ status: 'failed', errorKind: 'auth' });
  });

  it('never stores an internal error message, only its name', async () => {
    const t = setup({
      contacts: [DOUG],
      failOnCreate: { call: 1, error: new TypeError('Doug Miller secret') },
    });
    await syncMeetingToCrm(INPUT, t.deps).catch(() => undefined);
    const status = t.statuses.get('firm-a/m-1/conn-wb');
    expect(status?.reason).toBe('TypeError: the sync stopped on an internal error (see the logs).');
    expect(status).toMatchObject({ status: 'failed', errorKind: 'internal' });
  });
});
