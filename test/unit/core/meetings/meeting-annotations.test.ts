import { describe, expect, it } from 'vitest';
import type { Principal } from '../../../../functions/contracts/principal';
import { verifyEvidence } from '../../../../functions/core/extraction/verify-evidence';
import { meetingDetails } from '../../../../functions/core/meetings/meeting-details';
import { reviewComplianceFlag } from '../../../../functions/core/meetings/review-compliance-flag';
import { updateActionItem } from '../../../../functions/core/meetings/update-action-item';
import { ConflictError, ForbiddenError, NotFoundError } from '../../../../functions/platform/errors';
import { processedMeetingDeps } from '../../../fakes/meeting-extras';
import { sampleExtraction } from '../../../support/sample-extraction';

const advisor: Principal = { userId: 'adv-1', tenantId: 'firm-a', role: 'advisor' };
const otherAdvisor: Principal = { userId: 'adv-2', tenantId: 'firm-a', role: 'advisor' };
const compliance: Principal = { userId: 'cco-1', tenantId: 'firm-a', role: 'compliance' };
const admin: Principal = { userId: 'admin-1', tenantId: 'firm-a', role: 'admin' };

const verified = verifyEvidence(sampleExtraction, { utterances: [] }).extraction;

const setup = (processed = true) => processedMeetingDeps(verified, { processed });

const base = { ip: '203.0.113.7', meetingId: 'm-1' };

describe('extracted item ids', () => {
  it('numbers action items and flags from 1 in extraction order', () => {
    expect(verified.action_items.map((i) => i.id)).toEqual(['ai_1', 'ai_2']);
    expect(verified.compliance_flags.map((f) => f.id)).toEqual(['cf_1']);
  });
});

describe('updateActionItem', () => {
  it('marks an item done and shows it merged into the meeting, keeping the extracted due date', async () => {
    const { deps, audited } = setup();
    const updated = await updateActionItem({ ...base, actor: advisor, itemId: 'ai_1', done: true }, deps);
    expect(updated).toMatchObject({ id: 'ai_1', done: true, assignee: null, due_date: '2026-01-23' });
    expect(updated.updated_by).toBe('adv-1');
    const details = await meetingDetails(advisor, 'm-1', deps);
    expect(details.extraction?.action_items.map((i) => i.done)).toEqual([true, false]);
    expect(audited).toEqual([
      { action: 'meeting.action_item_updated', details: { item_id: 'ai_1', fields: 'done', done: true } },
    ]);
  });

  it('keeps earlier changes when a later one touches other fields, and null clears', async () => {
    const { deps } = setup();
    await updateActionItem({ ...base, actor: advisor, itemId: 'ai_2', assignee: 'Priya (ops)' }, deps);
    await updateActionItem({ ...base, actor: advisor, itemId: 'ai_2', dueDate: '2026-02-01' }, deps);
    const both = await updateActionItem({ ...base, actor: advisor, itemId: 'ai_2', done: true }, deps);
    expect(both).toMatchObject({
      done: true,
      assignee: 'Priya (ops)',
      due_date: '2026-02-01',
      extracted_due_date: null,
    });
    const cleared = await updateActionItem({ ...base, actor: advisor, itemId: 'ai_1', dueDate: null }, deps);
    expect(cleared).toMatchObject({ due_date: null, extracted_due_date: '2026-01-23' });
  });

  it('answers 404 for an unknown item and for another advisor’s meeting', async () => {
    const { deps } = setup();
    await expect(
      updateActionItem({ ...base, actor: advisor, itemId: 'ai_9', done: true }, deps),
    ).rejects.toThrow(NotFoundError);
    await expect(
      updateActionItem({ ...base, actor: otherAdvisor, itemId: 'ai_1', done: true }, deps),
    ).rejects.toThrow(NotFoundError);
  });

  it('refuses compliance (read-only) and a meeting not processed yet (409)', async () => {
    await expect(
      updateActionItem({ ...base, actor: compliance, itemId: 'ai_1', done: true }, setup().deps),
    ).rejects.toThrow(ForbiddenError);
    await expect(
      updateActionItem({ ...base, actor: advisor, itemId: 'ai_1', done: true }, setup(false).deps),
    ).rejects.toThrow(ConflictError);
  });

  it('refuses a change built on a stale read (409)', async () => {
    const { deps, annotations } = setup();
    await updateActionItem({ ...base, actor: advisor, itemId: 'ai_1', done: true }, deps);
    const racing = {
      ...annotations,
      getActionItem: async (t: string, m: string, itemId: string) => {
        const stored = await annotations.getActionItem(t, m, itemId);
        if (!stored) throw new Error('expected a stored state');
        // Someone else writes between this read and the write.
        await annotations.putActionItem(
          t,
          { ...stored, updatedAt: '2026-01-22T00:00:00.000Z' },
          stored.updatedAt,
          { action: 'meeting.action_item_updated', outcome: 'success', ip: 'test', details: {} },
        );
        return stored;
      },
    };
    await expect(
      updateActionItem(
        { ...base, actor: advisor, itemId: 'ai_1', done: false },
        { ...deps, annotations: racing },
      ),
    ).rejects.toThrow(ConflictError);
  });
});

describe('reviewComplianceFlag', () => {
  it('records a dismissal with its note, audits decision and rule but not the note', async () => {
    const { deps, audited } = setup();
    const flag = await reviewComplianceFlag(
      {
        ...base,
        actor: compliance,
        flagId: 'cf_1',
        decision: 'dismissed',
        note: 'Client venting; fee refunded.',
      },
      deps,
    );
    expect(flag.review).toEqual({
      decision: 'dismissed',
      note: 'Client venting; fee refunded.',
      reviewer_id: 'cco-1',
      reviewed_at: expect.any(String),
      reviews: 1,
    });
    expect(audited).toEqual([
      {
        action: 'meeting.flag_reviewed',
        details: { flag_id: 'cf_1', rule: 'complaint', severity: 'medium', decision: 'dismissed' },
      },
    ]);
    expect(JSON.stringify(audited)).not.toContain('venting');
  });

  it('keeps the history: the newest review is the flag’s state', async () => {
    const { deps } = setup();
    await reviewComplianceFlag(
      { ...base, actor: compliance, flagId: 'cf_1', decision: 'escalated', note: 'Check fee.' },
      deps,
    );
    const second = await reviewComplianceFlag(
      { ...base, actor: admin, flagId: 'cf_1', decision: 'dismissed', note: 'Fee refunded.' },
      deps,
    );
    expect(second.review).toMatchObject({ decision: 'dismissed', reviewer_id: 'admin-1', reviews: 2 });
  });

  it('shows the advisor the decision but not the reviewer’s note', async () => {
    const { deps } = setup();
    await reviewComplianceFlag(
      { ...base, actor: compliance, flagId: 'cf_1', decision: 'escalated', note: 'Talk to adv.' },
      deps,
    );
    const seenByAdvisor = await meetingDetails(advisor, 'm-1', deps);
    expect(seenByAdvisor.extraction?.compliance_flags[0]?.review).toEqual({
      decision: 'escalated',
      reviewer_id: 'cco-1',
      reviewed_at: expect.any(String),
      reviews: 1,
    });
    const seenByCompliance = await meetingDetails(compliance, 'm-1', deps);
    expect(seenByCompliance.extraction?.compliance_flags[0]?.review?.note).toBe('Talk to adv.');
  });

  it('refuses advisors (403), unknown flags (404) and unprocessed meetings (409)', async () => {
    await expect(
      reviewComplianceFlag(
        { ...base, actor: advisor, flagId: 'cf_1', decision: 'dismissed', note: 'ok' },
        setup().deps,
      ),
    ).rejects.toThrow(ForbiddenError);
    await expect(
      reviewComplianceFlag(
        { ...base, actor: compliance, flagId: 'cf_7', decision: 'dismissed', note: 'ok' },
        setup().deps,
      ),
    ).rejects.toThrow(NotFoundError);
    await expect(
      reviewComplianceFlag(
        { ...base, actor: compliance, flagId: 'cf_1', decision: 'dismissed', note: 'ok' },
        setup(false).deps,
      ),
    ).rejects.toThrow(ConflictError);
  });
});
