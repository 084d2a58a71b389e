/**
 * Runs in each test worker before the test files are imported: points the real AWS SDK clients
 * at DynamoDB Local and gives handlers the environment the stack would give them.
 */
import { inject } from 'vitest';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../local/dynamodb-local.js';

Object.assign(process.env, {
  AWS_REGION: LOCAL_REGION,
  AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
  AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
  AWS_ENDPOINT_URL_DYNAMODB: inject('dynamoEndpoint'),
  ...inject('tableEnv'),
  EVENT_BUS_NAME: 'test-province-bus',
  PROVINCE_ID: 'hunan',
  RESERVATION_TIMEOUT_MINUTES: '15',
  POWERTOOLS_SERVICE_NAME: 'county-live-test',
  POWERTOOLS_METRICS_NAMESPACE: 'CountyLiveTest',
  POWERTOOLS_METRICS_DISABLED: 'true',
  POWERTOOLS_LOG_LEVEL: 'SILENT',
  POWERTOOLS_TRACE_ENABLED: 'false',
});
