import { describe, expect, it } from 'vitest';
import { crmConnectionView, meetingCrmView } from '../../../functions/http/views/crm-views';
import { crmConnection } from '../../fakes/crm-deps';

describe('CRM views', () => {
  it('never shows a connection’s credentials', () => {
    const view = crmConnectionView(crmConnection());
    expect(JSON.stringify(view)).not.toContain('wb-secret-token');
    expect(view).not.toHaveProperty('credentials');
  });

  it('shows each status item, and the pipeline outcome for a connection that has none', () => {
    const views = meetingCrmView(
      [
        { connectionId: 'c-1', provider: 'wealthbox', status: 'synced' },
        { connectionId: 'c-2', provider: 'redtail', status: 'failed', error: 'States.Timeout' },
      ],
      [
        {
          tenantId: 't',
          meetingId: 'm',
          connectionId: 'c-1',
          provider: 'wealthbox',
          status: 'synced',
          contact: { status: 'not_matched', reason: 'ambiguous', candidates: [{ id: '1', name: 'A B' }] },
          note: { externalId: 'm:note', remoteId: 'n-1' },
          tasks: [{ externalId: 'm:task:0', remoteId: 't-1' }],
          notCreated: [],
          attempts: 1,
          updatedAt: '2026-01-01T00:00:00.000Z',
        },
      ],
    );
    expect(views).toEqual([
      {
        connection_id: 'c-1',
        provider: 'wealthbox',
        status: 'synced',
        attempts: 1,
        contact: { status: 'not_matched', reason: 'ambiguous', candidates: [{ id: '1', name: 'A B' }] },
        remote_ids: { note: 'n-1', tasks: ['t-1'] },
        updated_at: '2026-01-01T00:00:00.000Z',
      },
      { connection_id: 'c-2', provider: 'redtail', status: 'failed', reason: 'States.Timeout' },
    ]);
  });
});
