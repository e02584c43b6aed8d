/**
 * The single table's key schema, shared by the Storage stack and the local cloud so that both create
 * exactly the same table. Indexes are generic (gsiN); entities name their access patterns on top.
 */
export const TableDefinition = {
  partitionKey: "pk",
  sortKey: "sk",
  globalIndexes: [
    { name: "gsi1", partitionKey: "gsi1pk", sortKey: "gsi1sk" },
    { name: "gsi2", partitionKey: "gsi2pk", sortKey: "gsi2sk" },
    { name: "gsi3", partitionKey: "gsi3pk", sortKey: "gsi3sk" },
  ],
  /** Epoch seconds; sessions, links and idempotency records expire through it. */
  timeToLiveAttribute: "expiresAt",
} as const;

export const tableAttributes = (): string[] => [
  TableDefinition.partitionKey,
  TableDefinition.sortKey,
  ...TableDefinition.globalIndexes.flatMap((index) => [index.partitionKey, index.sortKey]),
];
