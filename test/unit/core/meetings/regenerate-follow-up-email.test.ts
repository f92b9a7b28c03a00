import { describe, expect, it } from 'vitest';
import { OFFLINE_DRAFT_LABEL } from '../../../../functions/core/extraction/follow-up-email-draft';
import { verifyEvidence } from '../../../../functions/core/extraction/verify-evidence';
import type { Principal } from '../../../../functions/core/identity/principal';
import type { FollowUpRequest } from '../../../../functions/core/meetings/follow-up-draft';
import { currentFollowUpEmail } from '../../../../functions/core/meetings/follow-up-email';
import type { MeetingDeps } from '../../../../functions/core/meetings/ports';
import { regenerateFollowUpEmail } from '../../../../functions/core/meetings/regenerate-follow-up-email';
import { updateActionItem } from '../../../../functions/core/meetings/update-action-item';
import { ConflictError, ForbiddenError, NotFoundError } from '../../../../functions/platform/errors';
import { processedMeetingDeps } from '../../../fakes/meeting-extras';
import { sampleExtraction } from '../../../support/sample-extraction';

const advisor: Principal = { userId: 'adv-1', tenantId: 'firm-a', role: 'advisor' };
const compliance: Principal = { userId: 'cco-1', tenantId: 'firm-a', role: 'compliance' };
const verified = verifyEvidence(sampleExtraction, { utterances: [] }).extraction;

function setup(processed = true) {
  const made = processedMeetingDeps(verified, { processed, advisorName: 'Renata Okafor' });
  made.deps.firmSettings = {
    get: async () => ({
      tenantId: 'firm-a',
      followUpDisclaimer: 'Advisory services through Example RIA.',
      archiveIncludesTranscript: false,
      updatedBy: 'admin-1',
      updatedAt: '2026-01-01T00:00:00.000Z',
    }),
  };
  return made;
}

const input = { actor: advisor, ip: '203.0.113.7', meetingId: 'm-1' };

describe('regenerateFollowUpEmail', () => {
  it('drafts from the open action items as they stand now, with the firm’s disclaimer, as version 1', async () => {
    const { deps } = setup();
    await updateActionItem({ ...input, itemId: 'ai_1', done: true }, deps);
    await updateActionItem({ ...input, itemId: 'ai_2', dueDate: '2026-01-31' }, deps);
    const draft = await regenerateFollowUpEmail(input, deps);
    expect(draft).toMatchObject({
      version: 1,
      writer: 'offline',
      disclaimer: 'Advisory services through Example RIA.',
    });
    expect(draft.body).not.toContain('custodian');
    expect(draft.body).toContain('pension estimate letter');
    expect(draft.body).toContain('January 31, 2026');
    expect(draft.body).toContain(OFFLINE_DRAFT_LABEL);
    expect(draft.body).toContain('Renata Okafor');
  });

  it('becomes the meeting’s current draft; each regeneration is the next version', async () => {
    const { deps } = setup();
    expect((await currentFollowUpEmail(advisor, 'm-1', deps)).version).toBe(0);
    await regenerateFollowUpEmail(input, deps);
    await regenerateFollowUpEmail({ ...input, instructions: 'Warmer, please.' }, deps);
    const current = await currentFollowUpEmail(compliance, 'm-1', deps);
    expect(current).toMatchObject({ version: 2, instructions: 'Warmer, please.' });
  });

  it('hands the writer the instructions and overrides whatever disclaimer it returns', async () => {
    const { deps } = setup();
    const seen: FollowUpRequest[] = [];
    const writer: MeetingDeps['followUpWriter'] = {
      kind: 'claude',
      write: async (request) => {
        seen.push(request);
        return { subject: 'S', body: 'B', disclaimer: 'made up' };
      },
    };
    const draft = await regenerateFollowUpEmail(
      { ...input, instructions: 'Mention the fee refund first.' },
      { ...deps, followUpWriter: writer },
    );
    expect(seen[0]?.instructions).toBe('Mention the fee refund first.');
    expect(seen[0]?.openActionItems).toHaveLength(2);
    expect(draft).toMatchObject({ writer: 'claude', disclaimer: 'Advisory services through Example RIA.' });
  });

  it('audits version and writer, never the text or the instructions', async () => {
    const { deps, audited } = setup();
    await regenerateFollowUpEmail({ ...input, instructions: 'Mention the $75 fee.' }, deps);
    expect(audited).toEqual([
      {
        action: 'meeting.follow_up_regenerated',
        details: { version: 1, writer: 'offline', instructions_given: true },
      },
    ]);
  });

  it('refuses compliance (403), another advisor (404) and a meeting not processed yet (409)', async () => {
    await expect(regenerateFollowUpEmail({ ...input, actor: compliance }, setup().deps)).rejects.toThrow(
      ForbiddenError,
    );
    await expect(
      regenerateFollowUpEmail({ ...input, actor: { ...advisor, userId: 'adv-2' } }, setup().deps),
    ).rejects.toThrow(NotFoundError);
    await expect(regenerateFollowUpEmail(input, setup(false).deps)).rejects.toThrow(ConflictError);
  });
});
