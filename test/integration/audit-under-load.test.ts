import { describe, expect, inject, it } from 'vitest';
import { apiClient } from '../support/api-client';
import { addUser, registerFirm } from '../support/identity-helpers';
import { uploadedTranscript } from '../support/processed-meeting';

const api = apiClient(inject('baseUrl'));

interface AuditPage {
  items: { seq: number; action: string; target?: { id: string } }[];
  cursor?: string;
  chain: { verified: boolean; checked: number; pending: number };
}

/** Every event of the firm's trail, once the chain writer has linked everything recorded. */
async function settledTrail(token: string) {
  const first = await api.settledAudit<AuditPage>('/api/v1/audit?order=oldest&limit=100', token);
  const items = [...first.body.items];
  let cursor = first.body.cursor;
  while (cursor) {
    const page = await api.get<AuditPage>(`/api/v1/audit?order=oldest&limit=100&cursor=${cursor}`, token);
    items.push(...page.body.items);
    cursor = page.body.cursor;
  }
  return { items, chain: first.body.chain };
}

async function statusesOf(ids: readonly string[], token: string) {
  return Promise.all(
    ids.map(async (id) => (await api.get<{ status: string }>(`/api/v1/meetings/${id}`, token)).body.status),
  );
}

describe('audited writes of one firm under concurrency (local host)', () => {
  it('consents 30 meetings at once: every consent answers 200, every meeting completes, every event is chained once', async () => {
    const firm = await registerFirm('busy');
    const advisor = await addUser(firm.token, 'advisor');
    const ids: string[] = [];
    for (let n = 1; n <= 30; n += 1)
      ids.push(await uploadedTranscript(api, advisor.token, 'meeting-02', `Review ${n}`));
    for (
      let waited = 0;
      (await statusesOf(ids, advisor.token)).some((s) => s !== 'awaiting_consent');
      waited += 1
    ) {
      expect(waited).toBeLessThan(200);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }

    const consents = await Promise.all(
      ids.map((id) =>
        api.post(
          `/api/v1/meetings/${id}/consent`,
          { method: 'verbal_at_start', participant_states: ['CA'] },
          advisor.token,
        ),
      ),
    );
    expect(consents.map((c) => c.status)).toEqual(ids.map(() => 200));

    for (let waited = 0; ; waited += 1) {
      const statuses = await statusesOf(ids, advisor.token);
      expect(statuses).not.toContain('failed');
      if (statuses.every((s) => s === 'completed')) break;
      expect(waited).toBeLessThan(600);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }

    const { items, chain } = await settledTrail(firm.token);
    expect(chain).toMatchObject({ verified: true, pending: 0, checked: items.length });
    expect(items.map((e) => e.seq)).toEqual(items.map((_e, i) => i + 1));
    for (const action of ['meeting.created', 'meeting.consent_recorded', 'meeting.completed']) {
      const targets = items.filter((e) => e.action === action).map((e) => e.target?.id);
      expect(targets.sort(), action).toEqual([...ids].sort());
    }
  }, 240_000);
});
