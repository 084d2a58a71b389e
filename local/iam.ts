/**
 * IAM, offline: every AWS call a function makes is evaluated, before it is sent, against the
 * policies the synthesized template gives that function's role (and the resource policy of the
 * table it touches), with @cloud-copilot/iam-simulate. A call IAM would refuse fails as AWS
 * fails it (AccessDeniedException), so a missing grant shows up in the tests and in `npm start`,
 * not on the first night in the cloud. DynamoDB Local itself allows everything.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { runSimulation } from '@cloud-copilot/iam-simulate';
import { type FunctionName, functions, type TableName, tables } from '../province/wiring.js';

type Json = any;

/** Where the template's resources are locally: names for tables and the bus, the region and account. */
export interface LocalNames {
  region: string;
  account: string;
  table(name: TableName): string;
  bus: string;
  /** The payment secret's ARN (the stack's only secret). */
  paymentSecretArn: string;
}

export interface RoleOfFunction {
  roleArn: string;
  policies: Json[];
}

export interface IamModel {
  roles: Record<FunctionName, RoleOfFunction>;
  /** Resource policies by resource ARN (the append-only ledger's). */
  resourcePolicies: Record<string, Json>;
}

/**
 * What IAM is checked against, taken from a synthesized template and kept as the template says
 * it (references unresolved): each function's role and policies, the tables' resource policies,
 * and the type of every resource they refer to. `npm run contracts` writes it to
 * docs/iam-policies.json for the local province; a test checks that file is current.
 */
export interface IamPolicies {
  roles: Record<string, { role: string; policies: Json[] }>;
  resourcePolicies: Record<string, Json>;
  types: Record<string, string>;
}

const pascal = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** The generated policy file (npm run contracts). A province's grants do not depend on its counties: one file serves every province. */
export const IAM_POLICIES = join(import.meta.dirname, '..', 'docs', 'iam-policies.json');

export function iamPolicies(template: Json): IamPolicies {
  const resources: Record<string, Json> = template.Resources;
  const roles: IamPolicies['roles'] = {};
  for (const name of Object.keys(functions) as FunctionName[]) {
    const fnId = Object.keys(resources).find((id) => resources[id].Type === 'AWS::Lambda::Function' && id.startsWith(`${pascal(name)}Fn`));
    if (!fnId) throw new Error(`no function for ${name} in the template`);
    const role = resources[fnId].Properties.Role['Fn::GetAtt'][0] as string;
    const attached = Object.values(resources)
      .filter((r: Json) => r.Type === 'AWS::IAM::Policy' && (r.Properties.Roles ?? []).some((ref: Json) => ref.Ref === role))
      .map((r: Json) => r.Properties.PolicyDocument);
    const inline = (resources[role].Properties.Policies ?? []).map((p: Json) => p.PolicyDocument);
    roles[name] = { role, policies: [...attached, ...inline] };
  }
  const resourcePolicies: IamPolicies['resourcePolicies'] = {};
  for (const [id, r] of Object.entries<Json>(resources)) {
    const policy = r.Type === 'AWS::DynamoDB::GlobalTable' ? r.Properties.Replicas?.[0]?.ResourcePolicy?.PolicyDocument : undefined;
    if (policy) resourcePolicies[id] = policy;
  }
  const referenced = new Set<string>();
  JSON.stringify({ roles, resourcePolicies }, (k, v) => {
    if (k === 'Ref' && typeof v === 'string') referenced.add(v);
    if (k === 'Fn::GetAtt' && Array.isArray(v)) referenced.add(String(v[0]));
    return v;
  });
  Object.keys(resourcePolicies).forEach((id) => referenced.add(id));
  const types = Object.fromEntries([...referenced].filter((id) => resources[id]).sort().map((id) => [id, resources[id].Type as string]));
  return { roles, resourcePolicies, types };
}

/** The policies with every reference resolved to the local resources. */
export function iamModel(source: IamPolicies, names: LocalNames): IamModel {
  const tableOf = (logicalId: string) => (Object.keys(tables) as TableName[]).find((t) => logicalId.startsWith(`Tables${pascal(t)}`));
  const roleArn = (logicalId: string) => `arn:aws:iam::${names.account}:role/${logicalId}`;
  const pseudo: Record<string, string> = { 'AWS::Region': names.region, 'AWS::AccountId': names.account, 'AWS::Partition': 'aws', 'AWS::URLSuffix': 'amazonaws.com' };
  const attribute = (logicalId: string, attr: string): string => {
    const type = source.types[logicalId];
    const table = tableOf(logicalId);
    if (table && attr === 'Arn') return `arn:aws:dynamodb:${names.region}:${names.account}:table/${names.table(table)}`;
    if (table && attr === 'StreamArn') return `arn:aws:dynamodb:${names.region}:${names.account}:table/${names.table(table)}/stream/*`;
    if (type === 'AWS::Events::EventBus' && attr === 'Arn') return `arn:aws:events:${names.region}:${names.account}:event-bus/${names.bus}`;
    if (type === 'AWS::IAM::Role' && attr === 'Arn') return roleArn(logicalId);
    return `arn:aws:cloudformation:${names.region}:${names.account}:resource/${logicalId}/${attr}`;
  };
  const resolve = (value: Json): Json => {
    if (Array.isArray(value)) return value.map(resolve);
    if (value && typeof value === 'object') {
      const keys = Object.keys(value);
      if (keys.length === 1) {
        const [k] = keys as [string];
        const arg = value[k];
        if (k === 'Ref') return pseudo[arg] ?? (tableOf(arg) ? names.table(tableOf(arg)!) : source.types[arg] === 'AWS::Events::EventBus' ? names.bus : source.types[arg] === 'AWS::SecretsManager::Secret' ? names.paymentSecretArn : arg);
        if (k === 'Fn::GetAtt') return attribute(String(arg[0]), String(arg[1]));
        if (k === 'Fn::Join') return (resolve(arg[1]) as string[]).join(arg[0]);
      }
      return Object.fromEntries(keys.map((key) => [key, resolve(value[key])]));
    }
    return value;
  };
  const roles = Object.fromEntries(
    Object.entries(source.roles).map(([name, r]) => [name, { roleArn: roleArn(r.role), policies: r.policies.map(resolve) }]),
  ) as Record<FunctionName, RoleOfFunction>;
  const resourcePolicies = Object.fromEntries(Object.entries(source.resourcePolicies).map(([id, policy]) => [attribute(id, 'Arn'), resolve(policy)]));
  return { roles, resourcePolicies };
}

export interface AwsRequest { action: string; resource: string }

const DYNAMO_ITEM = ['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem', 'Query', 'Scan', 'BatchGetItem', 'BatchWriteItem', 'DescribeTable'];

/** The IAM actions and resources an SDK command needs, as the services document them. */
/** lib-dynamodb's document commands, by the DynamoDB operation each makes. */
const DOCUMENT_COMMANDS: Record<string, string> = {
  Get: 'GetItem', Put: 'PutItem', Update: 'UpdateItem', Delete: 'DeleteItem', Query: 'Query', Scan: 'Scan',
  BatchGet: 'BatchGetItem', BatchWrite: 'BatchWriteItem', TransactWrite: 'TransactWriteItems', TransactGet: 'TransactGetItems',
};

export function requestsOf(client: string, command: string, input: Json, names: LocalNames): AwsRequest[] {
  let op = command.replace(/Command$/, '');
  if (client === 'DynamoDBDocumentClient') {
    op = DOCUMENT_COMMANDS[op] ?? op;
    client = 'DynamoDBClient';
  }
  const tableArn = (table: string) => `arn:aws:dynamodb:${names.region}:${names.account}:table/${table}`;
  if (client === 'DynamoDBClient') {
    if (op === 'TransactWriteItems') {
      return (input.TransactItems ?? []).flatMap((item: Json) =>
        Object.entries(item).map(([kind, body]: [string, Json]) => ({ action: `dynamodb:${kind === 'ConditionCheck' ? 'ConditionCheckItem' : `${kind}Item`}`, resource: tableArn(body.TableName) })),
      );
    }
    if (op === 'TransactGetItems') return (input.TransactItems ?? []).map((item: Json) => ({ action: 'dynamodb:GetItem', resource: tableArn(item.Get.TableName) }));
    if (op === 'BatchGetItem' || op === 'BatchWriteItem') return Object.keys(input.RequestItems ?? {}).map((t) => ({ action: `dynamodb:${op}`, resource: tableArn(t) }));
    if (DYNAMO_ITEM.includes(op) && input.TableName) {
      return [{ action: `dynamodb:${op}`, resource: input.IndexName ? `${tableArn(input.TableName)}/index/${input.IndexName}` : tableArn(input.TableName) }];
    }
    return [];
  }
  if (client === 'EventBridgeClient' && op === 'PutEvents') {
    const buses = new Set<string>((input.Entries ?? []).map((e: Json) => e.EventBusName ?? 'default'));
    return [...buses].map((bus) => ({ action: 'events:PutEvents', resource: bus.startsWith('arn:') ? bus : `arn:aws:events:${names.region}:${names.account}:event-bus/${bus}` }));
  }
  if (client === 'SecretsManagerClient' && op === 'GetSecretValue') return [{ action: 'secretsmanager:GetSecretValue', resource: String(input.SecretId) }];
  if (client === 'IvsClient') {
    if (op === 'ListStreams') return [{ action: 'ivs:ListStreams', resource: '*' }];
    const arn = input.channelArn ?? input.arn;
    return arn ? [{ action: `ivs:${op}`, resource: arn }] : [];
  }
  return [];
}

/** The error AWS answers for a refused call, as the SDK raises it. */
export class AccessDeniedException extends Error {
  override readonly name = 'AccessDeniedException';
  readonly $fault = 'client';
  readonly $metadata = { httpStatusCode: 400 };
  constructor(roleArn: string, request: AwsRequest, result: string) {
    super(`User: ${roleArn} is not authorized to perform: ${request.action} on resource: ${request.resource} (${result === 'ExplicitlyDenied' ? 'with an explicit deny in a resource-based policy' : 'because no identity-based policy allows the action'})`);
  }
}

const caller = new AsyncLocalStorage<FunctionName>();

/** Runs `work` as function `name`: its AWS calls are evaluated against that function's role. */
export const asFunction = <T>(name: FunctionName, work: () => T): T => caller.run(name, work);
/** The function whose code is running, if any. */
export const callingFunction = () => caller.getStore();

export interface IamEnforcement {
  /** Evaluates one request as a function would make it. */
  decide(name: FunctionName, request: AwsRequest): Promise<string>;
  /** Calls refused so far. */
  readonly refused: { function: FunctionName; action: string; resource: string }[];
  /** How many requests were evaluated so far. */
  readonly checked: () => number;
  uninstall(): void;
}

/**
 * Evaluates every AWS SDK call made while a function runs (see `asFunction`), for every client
 * of the process (the SDK clients share one base class, whose `send` is wrapped).
 */
export function enforceIam(modelOrNow: IamModel | (() => IamModel), namesOrNow: LocalNames | (() => LocalNames)): IamEnforcement {
  const current = () => (typeof modelOrNow === 'function' ? modelOrNow() : modelOrNow);
  const namesNow = () => (typeof namesOrNow === 'function' ? namesOrNow() : namesOrNow);
  const cache = new Map<string, Promise<string>>();
  const refused: IamEnforcement['refused'] = [];
  let checked = 0;
  const decide = (name: FunctionName, request: AwsRequest) => {
    const model = current();
    const names = namesNow();
    const key = `${name} ${request.action} ${request.resource}`;
    let decision = cache.get(key);
    if (!decision) {
      const role = model.roles[name];
      decision = runSimulation(
        {
          request: { principal: role.roleArn, action: request.action, resource: { resource: request.resource, accountId: names.account }, contextVariables: { 'aws:PrincipalArn': role.roleArn, 'aws:SourceAccount': names.account } },
          identityPolicies: role.policies.map((policy, i) => ({ name: `${name}-${i}`, policy })),
          serviceControlPolicies: [],
          resourceControlPolicies: [],
          resourcePolicy: model.resourcePolicies[request.resource.replace(/\/index\/.*$/, '')],
        } as never,
        {},
      ).then((r: Json) => (r.resultType === 'error' ? `error: ${JSON.stringify(r.errors)}` : r.overallResult));
      cache.set(key, decision);
    }
    return decision;
  };
  const base = Object.getPrototypeOf(DynamoDBClient.prototype) as { send: (...args: Json[]) => Promise<Json> };
  const send = base.send;
  base.send = async function (this: Json, command: Json, ...rest: Json[]) {
    const name = caller.getStore();
    if (name) {
      for (const request of requestsOf(this.constructor.name, command.constructor.name, command.input ?? {}, namesNow())) {
        checked++;
        const result = await decide(name, request);
        if (result !== 'Allowed') {
          refused.push({ function: name, ...request });
          throw new AccessDeniedException(current().roles[name].roleArn, request, result);
        }
      }
    }
    return send.call(this, command, ...rest);
  };
  return { decide, refused, checked: () => checked, uninstall: () => void (base.send = send) };
}

/**
 * Each function sees only its own declared environment, as in Lambda, although the local
 * province (and a test worker) runs every function in one process: while a function runs (see
 * `asFunction`), the environment variables the wiring declares for *other* functions read as
 * unset. Variables the wiring does not declare (the SDK's endpoints, Powertools settings) stay.
 */
export function isolateEnvironments(declared: () => Record<FunctionName, Record<string, string>>): () => void {
  const real = process.env;
  const hidden = (name: string) => {
    const fn = caller.getStore();
    if (!fn) return false;
    const all = declared();
    const own = all[fn] ?? {};
    return !(name in own) && Object.values(all).some((env) => name in env);
  };
  process.env = new Proxy(real, {
    get: (target, key) => (typeof key === 'string' && hidden(key) ? undefined : Reflect.get(target, key)),
    has: (target, key) => (typeof key === 'string' && hidden(key) ? false : Reflect.has(target, key)),
    // writes go to the real environment as plain assignments (process.env accepts nothing else)
    set: (target, key, value) => {
      (target as Record<string | symbol, unknown>)[key] = value;
      return true;
    },
  });
  return () => void (process.env = real);
}
