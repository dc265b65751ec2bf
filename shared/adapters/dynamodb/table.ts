/**
 * The single archive table, designed from its access patterns (docs/data-model.md). Both the CDK stack
 * (infra/aws) and the embedded platform (infra/local) create it from this one description.
 *
 * | pattern                                  | index | pk                          | sk                      |
 * |------------------------------------------|-------|-----------------------------|-------------------------|
 * | agency / unit / officer / account record | table | AGENCY#a, OFFICER#o, USER#u | META, UNIT#u, QUAL#q    |
 * | officer file meta + chain (by seq)       | table | FILE#o                      | META, E#<seq>           |
 * | drafts, grants, attachments of a file    | table | FILE#o                      | D#id, G#id, A#id        |
 * | timeline newest first, by period         | gsi1  | FILE#o                      | T#<occurredOn>#<seq>    |
 * | timeline by category                     | gsi2  | FILE#o#C#<category>         | T#<occurredOn>#<seq>    |
 * | review / archive queue of a department   | gsi1  | QUEUE#<agency>#<unit>#<st>  | <updatedAt>#<id>        |
 * | officers of a unit                       | gsi1  | UNIT#u                      | OFFICER#<name>#<id>     |
 * | agencies of the tree                     | gsi1  | AGENCIES                    | <path>                  |
 * | grants of a grantee / pending approvals  | gsi1/2| GRANTEE#u / GRANTQ#<agency> | <createdAt>#<id>        |
 * | rule versions of a rule                  | table | RULE#<id>                   | V#<jurisdiction>#<from> |
 * | audit chain (per agency shard)           | table | AUDIT#<agency>#<shard>      | <seq>                   |
 * | audit by day / by object                 | gsi1/2| AUDITDAY#<agency>#<date> / AUDITOBJ#<type>#<id> | <at>#<id> |
 * | idempotency records (TTL)                | table | IDEM#<user>#<key>           | META                    |
 */
export const TABLE = {
  partitionKey: 'pk',
  sortKey: 'sk',
  ttlAttribute: 'ttl',
  indexes: [
    { name: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
    { name: 'gsi2', partitionKey: 'gsi2pk', sortKey: 'gsi2sk' },
  ],
} as const;

export type IndexName = (typeof TABLE.indexes)[number]['name'];

/** CreateTable input for the embedded platform and tests (on-demand, like the AWS table). */
export const createTableInput = (tableName: string) => ({
  TableName: tableName,
  BillingMode: 'PAY_PER_REQUEST' as const,
  AttributeDefinitions: [TABLE.partitionKey, TABLE.sortKey, ...TABLE.indexes.flatMap((i) => [i.partitionKey, i.sortKey])].map((name) => ({ AttributeName: name, AttributeType: 'S' as const })),
  KeySchema: [
    { AttributeName: TABLE.partitionKey, KeyType: 'HASH' as const },
    { AttributeName: TABLE.sortKey, KeyType: 'RANGE' as const },
  ],
  GlobalSecondaryIndexes: TABLE.indexes.map((i) => ({
    IndexName: i.name,
    KeySchema: [
      { AttributeName: i.partitionKey, KeyType: 'HASH' as const },
      { AttributeName: i.sortKey, KeyType: 'RANGE' as const },
    ],
    Projection: { ProjectionType: 'ALL' as const },
  })),
});
