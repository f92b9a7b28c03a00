import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoStore } from '../../functions/adapters/store/dynamo-store';
import { DynamoFollowUpDraftStore } from '../../functions/adapters/store/follow-up-draft-store';
import { followUpDraftKey } from '../../functions/adapters/store/keys/meeting-keys';
import type { FollowUpDraft } from '../../functions/core/meetings/follow-up-draft';
import { type LocalTable, startLocalTable } from '../support/local-table';

const TABLE = 'follow-up-drafts-test';
let table: LocalTable;
let store: DynamoFollowUpDraftStore;

beforeAll(async () => {
  table = await startLocalTable(TABLE);
  store = new DynamoFollowUpDraftStore(new DynamoStore(table.storeDeps));
}, 60_000);

afterAll(async () => {
  await table?.stop();
});

const draft: FollowUpDraft = {
  meetingId: 'm-1',
  subject: 'Following up, Doug',
  body: 'Hi Doug, this fund is guaranteed to return 8% a year.',
  disclaimer: 'Advisory services through Example RIA.',
  flags: [
    {
      rule: 'guarantee_or_promissory',
      severity: 'high',
      explanation: 'A promise of results.',
      quote: 'this fund is guaranteed to return 8% a year.',
    },
  ],
  writer: 'claude',
  version: 1,
  createdBy: 'adv-1',
  createdAt: '2026-01-21T09:00:00.000Z',
};

describe('DynamoFollowUpDraftStore against DynamoDB Local', () => {
  it('keeps a draft’s flags with it, encrypted at rest like the text they quote', async () => {
    await store.put('firm-a', draft, undefined);
    expect(await store.get('firm-a', 'm-1')).toEqual(draft);
    const { Item } = await table.raw.send(
      new GetCommand({ TableName: TABLE, Key: followUpDraftKey('firm-a', 'm-1') }),
    );
    expect(Item?.flags).toBeInstanceOf(Uint8Array);
    expect(JSON.stringify(Item)).not.toContain('guaranteed');
  });

  it('reads a draft stored before drafts were scanned as having no flags', async () => {
    const key = followUpDraftKey('firm-a', 'm-1');
    const { Item } = await table.raw.send(new GetCommand({ TableName: TABLE, Key: key }));
    const { flags: _dropped, ...older } = Item ?? {};
    await table.raw.send(new PutCommand({ TableName: TABLE, Item: older }));
    expect(await store.get('firm-a', 'm-1')).toEqual({ ...draft, flags: [] });
  });
});
