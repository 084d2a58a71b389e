/**
 * Starts DynamoDB Local (the real jar, over the wire) on a free port and creates every table of
 * the wiring declaration, once for the whole run. Tests use fresh ids, so they do not collide.
 */
import type { TestProject } from 'vitest/node';
import { createTables, startDynamoDbLocal } from '../../local/dynamodb-local.js';

declare module 'vitest' {
  export interface ProvidedContext {
    dynamoEndpoint: string;
    tableEnv: Record<string, string>;
  }
}

export default async function setup(project: TestProject) {
  const db = await startDynamoDbLocal();
  const tableEnv = await createTables(db.endpoint, `test-${Date.now().toString(36)}`);
  project.provide('dynamoEndpoint', db.endpoint);
  project.provide('tableEnv', tableEnv);
  return () => db.stop();
}
