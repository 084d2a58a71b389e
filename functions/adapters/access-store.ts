import { GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { AccessStore } from '../access/ports.js';
import { tableName } from '../shared/env.js';
import { accessTable } from './codecs/access.js';
import { batchGet, cancellationCodes, ddb, listPage, queryPages } from './dynamo.js';

export const accessStore: AccessStore = {
  async putStorefront(storefront, key) {
    await ddb.send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: tableName('access'), Item: accessTable.storefrontItem(storefront), ConditionExpression: 'attribute_not_exists(pk)' } },
          { Put: { TableName: tableName('access'), Item: accessTable.keyItem(key), ConditionExpression: 'attribute_not_exists(pk)' } },
        ],
      }),
    );
  },

  async getStorefront(storefrontId) {
    const { Item } = await ddb.send(new GetCommand({ TableName: tableName('access'), Key: accessTable.storefrontKey(storefrontId), ConsistentRead: true }));
    return Item ? accessTable.toStorefront(Item) : undefined;
  },

  async credentials(storefrontId, keyId) {
    // retried while DynamoDB leaves keys unprocessed: a refusal here would be cached by API Gateway
    const items = await batchGet(tableName('access'), [accessTable.storefrontKey(storefrontId), accessTable.keyKey(storefrontId, keyId)]);
    const key = items.find(accessTable.isKey);
    const storefront = items.find((i) => !accessTable.isKey(i));
    return { storefront: storefront && accessTable.toStorefront(storefront), key: key && accessTable.toKey(key) };
  },

  async addKey(key, maxActive) {
    try {
      await ddb.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: tableName('access'),
                Key: accessTable.storefrontKey(key.storefrontId),
                UpdateExpression: 'SET activeKeys = if_not_exists(activeKeys, :zero) + :one',
                ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(activeKeys) OR activeKeys < :max)',
                ExpressionAttributeValues: { ':one': 1, ':zero': 0, ':max': maxActive },
              },
            },
            { Put: { TableName: tableName('access'), Item: accessTable.keyItem(key), ConditionExpression: 'attribute_not_exists(pk)' } },
          ],
        }),
      );
      return 'added';
    } catch (error) {
      if (cancellationCodes(error)?.[0] !== 'ConditionalCheckFailed') throw error;
      return (await accessStore.getStorefront(key.storefrontId)) ? 'limit' : 'no-storefront';
    }
  },

  async revokeKey(storefrontId, keyId, at, by) {
    try {
      await ddb.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: tableName('access'),
                Key: accessTable.keyKey(storefrontId, keyId),
                UpdateExpression: 'SET #status = :revoked, revokedAt = :at, revokedBy = :by',
                ConditionExpression: '#status = :active',
                ExpressionAttributeNames: { '#status': 'status' },
                ExpressionAttributeValues: { ':revoked': 'REVOKED', ':active': 'ACTIVE', ':at': at, ':by': by },
              },
            },
            {
              Update: {
                TableName: tableName('access'),
                Key: accessTable.storefrontKey(storefrontId),
                UpdateExpression: 'SET activeKeys = activeKeys - :one',
                ExpressionAttributeValues: { ':one': 1 },
              },
            },
          ],
        }),
      );
      return 'revoked';
    } catch (error) {
      if (cancellationCodes(error)?.[0] !== 'ConditionalCheckFailed') throw error;
      const { Item } = await ddb.send(new GetCommand({ TableName: tableName('access'), Key: accessTable.keyKey(storefrontId, keyId), ConsistentRead: true }));
      return Item ? 'already' : 'not-found';
    }
  },

  async keys(storefrontId) {
    const keys = [];
    for await (const items of queryPages({
      TableName: tableName('access'),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :key)',
      ExpressionAttributeValues: { ':pk': accessTable.partition(storefrontId), ':key': accessTable.keyPrefix },
      ConsistentRead: true,
    })) {
      keys.push(...items.map(accessTable.toKey));
    }
    return keys;
  },

  async storefronts(limit, cursor) {
    const page = await listPage(tableName('access'), accessTable.storefrontList, { limit, cursor }, accessTable.listKeyAttributes);
    return page === 'invalid-cursor' ? page : { items: page.items.map(accessTable.toStorefront), cursor: page.cursor };
  },
};
