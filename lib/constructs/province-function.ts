import { Duration, Validations } from 'aws-cdk-lib';
import type { TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { join } from 'node:path';
import { bundlingSettings } from '../bundling.js';
import { type FunctionDecl, type TableAccess, type TableName, tables } from '../../province/wiring.js';

const ROOT = join(import.meta.dirname, '..', '..');

/** IAM actions per named access (a function may instead name exact actions). Nothing grants Scan. */
const ACTIONS: Record<Exclude<TableAccess, 'stream' | unknown[]>, string[]> = {
  read: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:ConditionCheckItem'],
  write: ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:ConditionCheckItem'],
  readWrite: [
    'dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:ConditionCheckItem',
    'dynamodb:PutItem', 'dynamodb:UpdateItem',
  ],
  append: ['dynamodb:PutItem', 'dynamodb:GetItem'],
  register: ['dynamodb:PutItem', 'dynamodb:DeleteItem'],
  count: ['dynamodb:UpdateItem'],
};

export interface ProvinceFunctionProps {
  decl: FunctionDecl;
  environment: Record<string, string>;
  tables: Record<TableName, TableV2>;
  logRetention: RetentionDays;
}

/**
 * A handler of the wiring: Node.js 22 on arm64, bundled by the local esbuild, with its own log
 * group (with retention), X-Ray tracing, and exactly the table actions the declaration names.
 */
export class ProvinceFunction extends Construct {
  readonly fn: NodejsFunction;

  constructor(scope: Construct, id: string, props: ProvinceFunctionProps) {
    super(scope, id);
    const { decl } = props;
    const logGroup = new LogGroup(this, 'Logs', { retention: props.logRetention });
    this.fn = new NodejsFunction(this, 'Fn', {
      entry: join(ROOT, decl.entry),
      handler: 'handler',
      description: decl.description,
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: decl.memoryMb ?? 256,
      timeout: Duration.seconds(decl.timeoutSeconds ?? 10),
      tracing: Tracing.ACTIVE,
      logGroup,
      environment: props.environment,
      projectRoot: ROOT,
      depsLockFilePath: join(ROOT, 'package-lock.json'),
      bundling: {
        ...bundlingSettings,
        externalModules: [...bundlingSettings.externalModules],
        format: OutputFormat.CJS,
        forceDockerBundling: false,
      },
    });

    // Resource "*" only where IAM has no resource to name, acknowledged function by function
    const unscoped = [
      'xray:PutTraceSegments and xray:PutTelemetryRecords (tracing)',
      ...(Object.values(decl.tables).includes('stream') ? ['dynamodb:ListStreams (its stream event sources)'] : []),
      ...(decl.ivs?.includes('ListStreams') ? ['ivs:ListStreams (one call for the whole province)'] : []),
    ];
    Validations.of(this.fn).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: `${unscoped.join(', ')}: list and tracing actions that support no resource-level permissions.`,
    });

    for (const [name, access] of Object.entries(decl.tables) as [TableName, TableAccess][]) {
      const table = props.tables[name];
      if (access === 'stream') continue; // granted by the event source mapping
      const indexArns = tables[name].indexes.map((i) => `${table.tableArn}/index/${i.name}`);
      const actions = Array.isArray(access) ? access.map((a) => `dynamodb:${a}`) : ACTIONS[access];
      this.fn.addToRolePolicy(
        new PolicyStatement({
          actions,
          resources: [table.tableArn, ...(actions.includes('dynamodb:Query') ? indexArns : [])],
        }),
      );
    }
  }
}

