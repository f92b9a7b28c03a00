/**
 * The one table's physical layout. The CDK table construct and the local host both create the table from
 * this object, and the store adapter reads attribute names from it, so they cannot drift apart.
 * Access patterns per entity: `docs/data-model.md`.
 */
export const TABLE_DEFINITION = {
  partitionKey: 'pk',
  sortKey: 'sk',
  /** Epoch seconds; DynamoDB deletes the item some time after it passes. */
  ttlAttribute: 'expires_at',
  /** Keys only: the audit chain writer needs to know which firm has new events, never their content. */
  stream: 'KEYS_ONLY',
  globalIndexes: [
    { name: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
    { name: 'gsi2', partitionKey: 'gsi2pk', sortKey: 'gsi2sk' },
  ],
} as const;

export type IndexName = (typeof TABLE_DEFINITION.globalIndexes)[number]['name'];

/** Every key attribute, for projections and for stripping keys from items before they leave the store. */
export const KEY_ATTRIBUTES: readonly string[] = [
  TABLE_DEFINITION.partitionKey,
  TABLE_DEFINITION.sortKey,
  ...TABLE_DEFINITION.globalIndexes.flatMap((i) => [i.partitionKey, i.sortKey]),
];
