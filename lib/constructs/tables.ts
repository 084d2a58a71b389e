import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, ProjectionType, StreamViewType, TableEncryptionV2, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { AnyPrincipal, Effect, PolicyDocument, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { type KeyAttr, type TableDecl, type TableName, tables } from '../../province/wiring.js';

const attr = (k: KeyAttr) => ({ name: k.name, type: k.type === 'S' ? AttributeType.STRING : AttributeType.NUMBER });

/**
 * Every table of the wiring: on-demand, point-in-time recovery, deletion protection, retained on
 * stack deletion, encrypted with a KMS key. No physical names.
 */
export class ProvinceTables extends Construct {
  readonly byName: Record<TableName, TableV2>;

  constructor(scope: Construct, id: string, props: { deletionProtection: boolean }) {
    super(scope, id);
    const entries = (Object.entries(tables) as [TableName, TableDecl][]).map(([name, decl]) => {
      const table = new TableV2(this, pascal(name), {
        partitionKey: attr(decl.partitionKey),
        sortKey: decl.sortKey ? attr(decl.sortKey) : undefined,
        globalSecondaryIndexes: decl.indexes.map((i) => ({
          indexName: i.name,
          partitionKey: attr(i.partitionKey),
          sortKey: i.sortKey ? attr(i.sortKey) : undefined,
          projectionType: i.projection === 'KEYS_ONLY' ? ProjectionType.KEYS_ONLY : ProjectionType.ALL,
        })),
        timeToLiveAttribute: decl.ttlAttribute,
        dynamoStream: decl.stream ? StreamViewType.NEW_AND_OLD_IMAGES : undefined,
        pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
        deletionProtection: props.deletionProtection,
        // kept when the stack is updated or deleted; a failed first deploy removes what it made, so it can be retried
        removalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
        encryption: TableEncryptionV2.awsManagedKey(),
        resourcePolicy: decl.appendOnly ? appendOnlyPolicy() : undefined,
      });
      return [name, table] as const;
    });
    this.byName = Object.fromEntries(entries) as Record<TableName, TableV2>;
  }
}

export function pascal(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}

/** Actions that change or remove an existing item. */
export const ITEM_MUTATIONS = [
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
  'dynamodb:PartiQLUpdate',
  'dynamodb:PartiQLDelete',
];

/** DynamoDB's own role that writes replicas: an append-only table must still accept a replica region later. */
export const DYNAMODB_REPLICATION_ROLE = 'arn:aws:iam::*:role/aws-service-role/replication.dynamodb.amazonaws.com/AWSServiceRoleForDynamoDBReplication';
/** The CDK bootstrap's CloudFormation execution role: the only one that may change the table itself (deploys). */
export const CFN_EXECUTION_ROLE = 'arn:aws:iam::*:role/cdk-*-cfn-exec-role-*';

/** Changes to the table itself that could undo append-only: its policy, its TTL, its settings, the table. */
export const TABLE_CHANGES = [
  'dynamodb:PutResourcePolicy',
  'dynamodb:DeleteResourcePolicy',
  'dynamodb:UpdateTimeToLive',
  'dynamodb:UpdateTable',
  'dynamodb:DeleteTable',
  'dynamodb:UpdateContinuousBackups',
];

/**
 * Nobody, whatever their IAM policy, may update or delete an item of an append-only table (but
 * DynamoDB's replication role), nor change the table's policy, TTL or settings (but deploys).
 * Who may add items is said by the stack once the writers exist (`denyPutsBut`).
 */
function appendOnlyPolicy(): PolicyDocument {
  return new PolicyDocument({
    statements: [
      new PolicyStatement({
        sid: 'AppendOnlyLedger',
        effect: Effect.DENY,
        principals: [new AnyPrincipal()],
        actions: ITEM_MUTATIONS,
        resources: ['*'],
        conditions: { ArnNotLike: { 'aws:PrincipalArn': DYNAMODB_REPLICATION_ROLE } },
      }),
      new PolicyStatement({
        sid: 'LedgerTableUnchangeable',
        effect: Effect.DENY,
        principals: [new AnyPrincipal()],
        actions: TABLE_CHANGES,
        resources: ['*'],
        conditions: { ArnNotLike: { 'aws:PrincipalArn': [CFN_EXECUTION_ROLE, DYNAMODB_REPLICATION_ROLE] } },
      }),
    ],
  });
}

/** Only the named roles (and DynamoDB's replication role) may add items: PutItem is denied to every other principal. */
export function denyPutsBut(table: TableV2, writerRoleArns: string[]): void {
  table.addToResourcePolicy(
    new PolicyStatement({
      sid: 'OnlyLedgerWritersAppend',
      effect: Effect.DENY,
      principals: [new AnyPrincipal()],
      actions: ['dynamodb:PutItem'],
      resources: ['*'],
      conditions: { ArnNotLike: { 'aws:PrincipalArn': [...writerRoleArns, DYNAMODB_REPLICATION_ROLE] } },
    }),
  );
}
