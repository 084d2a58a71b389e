/**
 * A storefront's request rate across every function instance: one counter per storefront and
 * second, incremented only while under the storefront's rate (one UpdateItem, 1 WCU a request).
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { tableName } from '../shared/env.js';
import { ratesTable } from './codecs/rates.js';
import { ddb } from './dynamo.js';

/** True if the request is within `ratePerSecond` for this second. */
export async function takeRequest(storefrontId: string, ratePerSecond: number, now = Date.now()): Promise<boolean> {
  const second = Math.floor(now / 1000);
  try {
    await ddb.send(
      new UpdateCommand({
        TableName: tableName('rates'),
        Key: ratesTable.counterKey(storefrontId, second),
        UpdateExpression: 'ADD n :one SET expiresAt = if_not_exists(expiresAt, :ttl)',
        ConditionExpression: 'attribute_not_exists(n) OR n < :rate',
        ExpressionAttributeValues: { ':one': 1, ':rate': ratePerSecond, ':ttl': ratesTable.expiresAt(second) },
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}
