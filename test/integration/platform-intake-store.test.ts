import { type DynamoDBDocumentClient, GetCommand, PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoStore } from '../../functions/adapters/store/dynamo-store';
import { ENTITY_ATTRIBUTE } from '../../functions/adapters/store/item-codec';
import { userKeys } from '../../functions/adapters/store/keys/user-keys';
import { DynamoMeetingStore } from '../../functions/adapters/store/meeting-store';
import { DynamoPlatformIntakeStore } from '../../functions/adapters/store/platform-intake-store';
import type { Meeting } from '../../functions/core/meetings/meeting';
import { MEETING_OWNER_ROLES } from '../../functions/core/platforms/mapped-advisor';
import type { PlatformIntake } from '../../functions/core/platforms/ports';
import { type LocalTable, startLocalTable } from '../support/local-table';

const TABLE = 'platform-intake-test';
const NOW_S = 1_800_000_000;
let table: LocalTable;
let raw: DynamoDBDocumentClient;
let store: DynamoPlatformIntakeStore;
let meetings: DynamoMeetingStore;

beforeAll(async () => {
  table = await startLocalTable(TABLE);
  raw = table.raw;
  store = new DynamoPlatformIntakeStore(table.storeDeps);
  meetings = new DynamoMeetingStore(new DynamoStore(table.storeDeps));
}, 60_000);

afterAll(async () => {
  await table?.stop();
});

/** Only what the admission's condition reads of a user item: the identity store writes the rest. */
async function putUser(tenantId: string, userId: string, role: string, status: string) {
  await raw.send(
    new PutCommand({
      TableName: TABLE,
      Item: { ...userKeys(tenantId, userId), [ENTITY_ATTRIBUTE]: 'user', role, status },
    }),
  );
}

let ids = 0;
function admission(tenantId: string, eventId: string, options: { owner?: string; nowSeconds?: number } = {}) {
  ids += 1;
  const meetingId = `00000000-0000-4000-8000-${String(ids).padStart(12, '0')}`;
  const at = '2026-11-20T10:00:00.000Z';
  const meeting: Meeting = {
    meetingId,
    tenantId,
    ownerUserId: options.owner ?? 'adv-1',
    createdBy: options.owner ?? 'adv-1',
    title: 'Annual review with the Okafors',
    meetingDate: '2026-11-20',
    clientNames: [],
    status: 'pending_upload',
    source: { type: 'platform', platform: 'zoom', kind: 'transcript', externalMeetingId: eventId },
    createdAt: at,
    updatedAt: at,
  };
  const intake: PlatformIntake = {
    tenantId,
    meetingId,
    platform: 'zoom',
    descriptor: {
      platform: 'zoom',
      downloadUrl: 'https://zoom.us/rec/download/t.vtt',
      downloadToken: 'secret-download-token',
      fileType: 'TRANSCRIPT',
      extension: 'vtt',
      kind: 'transcript',
    },
    createdAt: at,
    expiresAt: NOW_S + 86_400,
  };
  return {
    meeting,
    intake,
    eventId,
    ownerRoles: MEETING_OWNER_ROLES,
    nowSeconds: options.nowSeconds ?? NOW_S,
    claimExpiresAt: (options.nowSeconds ?? NOW_S) + 600,
    audit: TEST_AUDIT,
  };
}

const TEST_AUDIT = { action: 'meeting.created', outcome: 'success' as const, ip: 'test', details: {} };

async function itemsOf(tenantId: string) {
  const { Items } = await raw.send(new ScanCommand({ TableName: TABLE }));
  return (Items ?? []).filter((item) => String(item.pk).includes(tenantId));
}

describe('DynamoPlatformIntakeStore.admit against DynamoDB Local', () => {
  it('writes the claim, the meeting and its intake in one go, client content encrypted at rest', async () => {
    await putUser('tenant-a', 'adv-1', 'advisor', 'active');
    const input = admission('tenant-a', 'acct:uuid-1');
    expect(await store.admit(input)).toEqual({ outcome: 'admitted' });
    expect(await meetings.get('tenant-a', input.meeting.meetingId)).toEqual(input.meeting);
    expect(await store.get('tenant-a', input.meeting.meetingId)).toEqual(input.intake);
    const stored = JSON.stringify(await itemsOf('tenant-a'));
    expect(stored).not.toContain('Okafor');
    expect(stored).not.toContain('secret-download-token');
  });

  it('answers a second delivery with the first one’s meeting and writes nothing', async () => {
    await putUser('tenant-b', 'adv-1', 'advisor', 'active');
    const first = admission('tenant-b', 'acct:uuid-2');
    await store.admit(first);
    const before = (await itemsOf('tenant-b')).length;
    const again = admission('tenant-b', 'acct:uuid-2');
    expect(await store.admit(again)).toEqual({
      outcome: 'duplicate',
      meetingId: first.meeting.meetingId,
    });
    expect(await meetings.get('tenant-b', again.meeting.meetingId)).toBeUndefined();
    expect((await itemsOf('tenant-b')).length).toBe(before);
  });

  it('answers a redelivery with the meeting even after its owner was deactivated', async () => {
    await putUser('tenant-h', 'adv-1', 'advisor', 'active');
    const first = admission('tenant-h', 'acct:uuid-8');
    await store.admit(first);
    await putUser('tenant-h', 'adv-1', 'advisor', 'deactivated');
    expect(await store.admit(admission('tenant-h', 'acct:uuid-8'))).toEqual({
      outcome: 'duplicate',
      meetingId: first.meeting.meetingId,
    });
  });

  it.each([
    ['a deactivated advisor', 'advisor', 'deactivated'],
    ['an invited (not yet active) advisor', 'advisor', 'invited'],
    ['a compliance officer', 'compliance', 'active'],
    ['an assistant', 'assistant', 'active'],
  ])('admits nothing for %s, not even the claim', async (_name, role, status) => {
    const tenant = `tenant-${role}-${status}`;
    await putUser(tenant, 'adv-1', role, status);
    expect(await store.admit(admission(tenant, 'acct:uuid-3'))).toEqual({ outcome: 'owner_ineligible' });
    expect(await itemsOf(tenant)).toHaveLength(1); // the user item alone
  });

  it('admits nothing for an owner who is not a user of the firm', async () => {
    await putUser('tenant-c', 'adv-1', 'advisor', 'active');
    expect(await store.admit(admission('tenant-d', 'acct:uuid-4'))).toEqual({ outcome: 'owner_ineligible' });
    expect(await itemsOf('tenant-d')).toHaveLength(0);
  });

  it('treats a claim past its expiry (not yet removed by the TTL) as gone', async () => {
    await putUser('tenant-e', 'adv-1', 'advisor', 'active');
    const old = admission('tenant-e', 'acct:uuid-5');
    await store.admit(old);
    const later = admission('tenant-e', 'acct:uuid-5', { nowSeconds: NOW_S + 601 });
    expect(await store.admit(later)).toEqual({ outcome: 'admitted' });
    expect(await meetings.get('tenant-e', later.meeting.meetingId)).toBeDefined();
  });

  it('admits exactly one of many concurrent deliveries of one event', async () => {
    await putUser('tenant-f', 'adv-1', 'advisor', 'active');
    const inputs = Array.from({ length: 12 }, () => admission('tenant-f', 'acct:uuid-6'));
    const results = await Promise.all(inputs.map((input) => store.admit(input)));
    const admitted = results.flatMap((r, i) =>
      r.outcome === 'admitted' ? [inputs[i]?.meeting.meetingId] : [],
    );
    expect(admitted).toHaveLength(1);
    for (const r of results) {
      if (r.outcome === 'duplicate') expect(r.meetingId).toBe(admitted[0]);
    }
    const meetingItems = (await itemsOf('tenant-f')).filter((item) => item[ENTITY_ATTRIBUTE] === 'meeting');
    expect(meetingItems).toHaveLength(1);
    const { Item } = await raw.send(
      new GetCommand({ TableName: TABLE, Key: { pk: meetingItems[0]?.pk, sk: meetingItems[0]?.sk } }),
    );
    expect(Item?.meetingId).toBe(admitted[0]);
  });

  it('refuses an intake item that is not the admitted meeting’s', async () => {
    const input = admission('tenant-g', 'acct:uuid-7');
    await expect(
      store.admit({ ...input, intake: { ...input.intake, meetingId: 'someone-elses' } }),
    ).rejects.toThrow(/must belong to the meeting/);
  });
});
