import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { localDynamoClient } from '../../lib/local/dynamo-engine';
import { apiClient } from '../support/api-client';
import { addUser, registerFirm } from '../support/identity-helpers';
import { processedMeeting } from '../support/processed-meeting';

const host = inject('localHost');
const api = apiClient(inject('baseUrl'));
const raw = DynamoDBDocumentClient.from(localDynamoClient(host.dynamodbEndpoint));

interface ActionItemBody {
  id: string;
  description: string;
  done: boolean;
  assignee: string | null;
  due_date: string | null;
  extracted_due_date: string | null;
}
interface FlagBody {
  id: string;
  rule: string;
  review: { decision: string; note?: string; reviewer_id: string; reviews: number } | null;
}
interface MeetingBody {
  id: string;
  status: string;
  extraction?: { action_items: ActionItemBody[]; compliance_flags: FlagBody[] };
}

const issuePaths = (body: unknown) =>
  ((body as { error: { issues?: { path: string }[] } }).error.issues ?? []).map((i) => i.path);

let firm: Awaited<ReturnType<typeof registerFirm>>;
let advisor: Awaited<ReturnType<typeof addUser>>;
let otherAdvisor: Awaited<ReturnType<typeof addUser>>;
let compliance: Awaited<ReturnType<typeof addUser>>;
let meetingId: string;

beforeAll(async () => {
  firm = await registerFirm('review');
  advisor = await addUser(firm.token, 'advisor', 'rev-a');
  otherAdvisor = await addUser(firm.token, 'advisor', 'rev-b');
  compliance = await addUser(firm.token, 'compliance');
  meetingId = await processedMeeting(api, advisor.token);
}, 60_000);

const itemPath = (itemId: string) => `/api/v1/meetings/${meetingId}/action-items/${itemId}`;
const reviewPath = (flagId: string) => `/api/v1/meetings/${meetingId}/flags/${flagId}/review`;

describe('action items', () => {
  it('gives every extracted action item and flag a stable id', async () => {
    const { body } = await api.get<MeetingBody>(`/api/v1/meetings/${meetingId}`, advisor.token);
    const items = body.extraction?.action_items ?? [];
    expect(items.length).toBeGreaterThan(1);
    expect(items.map((i) => i.id)).toEqual(items.map((_i, n) => `ai_${n + 1}`));
    expect(items.every((i) => i.done === false && i.assignee === null)).toBe(true);
    expect(body.extraction?.compliance_flags.map((f) => f.id)[0]).toBe('cf_1');
  });

  it('marks an item done, assigns it and moves its due date; the meeting shows the merged item', async () => {
    const done = await api.patch<ActionItemBody>(itemPath('ai_1'), { done: true }, advisor.token);
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ id: 'ai_1', done: true });
    const moved = await api.patch<ActionItemBody>(
      itemPath('ai_1'),
      { assignee: 'Priya in operations', due_date: '2026-02-06' },
      advisor.token,
    );
    expect(moved.body).toMatchObject({ done: true, assignee: 'Priya in operations', due_date: '2026-02-06' });
    const { body } = await api.get<MeetingBody>(`/api/v1/meetings/${meetingId}`, advisor.token);
    expect(body.extraction?.action_items[0]).toMatchObject({
      done: true,
      assignee: 'Priya in operations',
      due_date: '2026-02-06',
      extracted_due_date: moved.body.extracted_due_date,
    });
  });

  it('keeps the assignee encrypted at rest', async () => {
    const { Items = [] } = await raw.send(
      new QueryCommand({
        TableName: host.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :sk)',
        ExpressionAttributeValues: { ':pk': `T#${firm.tenantId}#MEETING#${meetingId}`, ':sk': 'ACTION#' },
      }),
    );
    expect(Items.length).toBeGreaterThan(0);
    expect(JSON.stringify(Items)).not.toContain('Priya');
  });

  it.each([
    ['an empty change', {}, ['body']],
    ['a due date in words', { due_date: 'next Friday' }, ['body.due_date']],
    ['done as a string', { done: 'yes' }, ['body.done']],
    ['an unknown field', { status: 'done' }, ['body']],
  ])('refuses %s with 400 naming the field', async (_what, change, paths) => {
    const res = await api.patch(itemPath('ai_1'), change, advisor.token);
    expect(res.status).toBe(400);
    for (const path of paths) expect(issuePaths(res.body).some((p) => p.startsWith(path))).toBe(true);
  });

  it('answers 400 for a malformed item id, 404 for an unknown one and for another advisor', async () => {
    const malformed = await api.patch(itemPath('task-1'), { done: true }, advisor.token);
    expect(malformed.status).toBe(400);
    expect(issuePaths(malformed.body)).toContain('params.itemId');
    expect((await api.patch(itemPath('ai_99'), { done: true }, advisor.token)).status).toBe(404);
    expect((await api.patch(itemPath('ai_1'), { done: true }, otherAdvisor.token)).status).toBe(404);
  });

  it('refuses compliance, which reviews but does not change client work (403)', async () => {
    expect((await api.patch(itemPath('ai_1'), { done: false }, compliance.token)).status).toBe(403);
  });
});

describe('compliance flag review', () => {
  it('lets compliance escalate then dismiss a flag, with notes the advisor does not see', async () => {
    const escalated = await api.post<FlagBody>(
      reviewPath('cf_1'),
      { decision: 'escalate', note: 'Fee complaint: confirm the refund posted.' },
      compliance.token,
    );
    expect(escalated.status).toBe(200);
    expect(escalated.body.review).toMatchObject({
      decision: 'escalated',
      reviews: 1,
      reviewer_id: compliance.userId,
    });
    const dismissed = await api.post<FlagBody>(
      reviewPath('cf_1'),
      { decision: 'dismiss', note: 'Refund confirmed on the statement.' },
      compliance.token,
    );
    expect(dismissed.body.review).toMatchObject({
      decision: 'dismissed',
      note: 'Refund confirmed on the statement.',
      reviews: 2,
    });
    const seen = await api.get<MeetingBody>(`/api/v1/meetings/${meetingId}`, advisor.token);
    expect(seen.body.extraction?.compliance_flags[0]?.review).toMatchObject({
      decision: 'dismissed',
      reviews: 2,
    });
    expect(seen.body.extraction?.compliance_flags[0]?.review).not.toHaveProperty('note');
  });

  it('writes each review to the audit trail without the note, and keeps the note encrypted', async () => {
    const audit = await api.settledAudit<{ items: { action: string; details: Record<string, unknown> }[] }>(
      '/api/v1/audit?limit=100',
      compliance.token,
    );
    const reviews = audit.body.items.filter((e) => e.action === 'meeting.flag_reviewed');
    expect(reviews.map((e) => e.details.decision).sort()).toEqual(['dismissed', 'escalated']);
    expect(JSON.stringify(audit.body)).not.toContain('Refund confirmed');
    const { Items = [] } = await raw.send(
      new QueryCommand({
        TableName: host.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :sk)',
        ExpressionAttributeValues: {
          ':pk': `T#${firm.tenantId}#MEETING#${meetingId}`,
          ':sk': 'FLAG_REVIEW#',
        },
      }),
    );
    expect(Items).toHaveLength(2);
    expect(JSON.stringify(Items)).not.toContain('Refund confirmed');
  });

  it('refuses advisors (403), bad decisions and empty notes (400 naming the field), unknown flags (404)', async () => {
    expect(
      (await api.post(reviewPath('cf_1'), { decision: 'dismiss', note: 'fine by me' }, advisor.token)).status,
    ).toBe(403);
    const badDecision = await api.post(
      reviewPath('cf_1'),
      { decision: 'ignore', note: 'n/a here' },
      compliance.token,
    );
    expect(badDecision.status).toBe(400);
    expect(issuePaths(badDecision.body)).toContain('body.decision');
    const noNote = await api.post(reviewPath('cf_1'), { decision: 'dismiss', note: ' ' }, compliance.token);
    expect(noNote.status).toBe(400);
    expect(issuePaths(noNote.body)).toContain('body.note');
    expect(
      (await api.post(reviewPath('cf_42'), { decision: 'dismiss', note: 'none such' }, compliance.token))
        .status,
    ).toBe(404);
  });

  it('answers another firm’s compliance officer exactly like a missing meeting (404)', async () => {
    const other = await registerFirm('review-other');
    const otherCompliance = await addUser(other.token, 'compliance');
    const res = await api.post(
      reviewPath('cf_1'),
      { decision: 'dismiss', note: 'not ours' },
      otherCompliance.token,
    );
    expect(res.status).toBe(404);
  });
});

describe('follow-up email regeneration (offline writer)', () => {
  const path = () => `/api/v1/meetings/${meetingId}/follow-up-email/regenerate`;

  it('writes a new draft from the open items, keeps it as the current draft, and never sends it', async () => {
    const res = await api.post<{ status: string; version: number; extractor: string; body: string }>(
      path(),
      {},
      advisor.token,
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'draft', version: 1, extractor: 'offline' });
    const current = await api.get<{ version: number; body: string }>(
      `/api/v1/meetings/${meetingId}/follow-up-email`,
      advisor.token,
    );
    expect(current.body).toMatchObject({ version: 1, body: res.body.body });
  });

  it('refuses over-long instructions and unknown fields (400 naming the field), compliance (403)', async () => {
    const long = await api.post(path(), { instructions: 'x'.repeat(1001) }, advisor.token);
    expect(long.status).toBe(400);
    expect(issuePaths(long.body)).toContain('body.instructions');
    expect((await api.post(path(), { send: true }, advisor.token)).status).toBe(400);
    expect((await api.post(path(), {}, compliance.token)).status).toBe(403);
    expect((await api.post(path(), {}, otherAdvisor.token)).status).toBe(404);
  });
});
