import { describe, expect, it } from 'vitest';
import { TABLE_DEFINITION } from '../../../functions/contracts/table-definition';
import { localTableInput } from '../../../lib/local/create-local-table';

describe('localTableInput', () => {
  const input = localTableInput('smartad');

  it('is on-demand with the table keys from TABLE_DEFINITION', () => {
    expect(input.BillingMode).toBe('PAY_PER_REQUEST');
    expect(input.KeySchema).toEqual([
      { AttributeName: TABLE_DEFINITION.partitionKey, KeyType: 'HASH' },
      { AttributeName: TABLE_DEFINITION.sortKey, KeyType: 'RANGE' },
    ]);
  });

  it('declares every global index with all attributes projected', () => {
    expect(input.GlobalSecondaryIndexes.map((i) => i.IndexName)).toEqual(
      TABLE_DEFINITION.globalIndexes.map((i) => i.name),
    );
    for (const index of input.GlobalSecondaryIndexes)
      expect(index.Projection).toEqual({ ProjectionType: 'ALL' });
  });

  it('defines each key attribute once, as a string', () => {
    const names = input.AttributeDefinitions.map((a) => a.AttributeName);
    expect(new Set(names).size).toBe(names.length);
    expect(input.AttributeDefinitions.every((a) => a.AttributeType === 'S')).toBe(true);
    expect(names).toHaveLength(2 + 2 * TABLE_DEFINITION.globalIndexes.length);
  });
});
