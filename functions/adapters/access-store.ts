import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { AccessStore } from '../access/ports.js';
import { tableName } from '../shared/env.js';
import { accessTable } from './codecs/access.js';
import { ddb } from './dynamo.js';

export const accessStore: AccessStore = {
  async putStorefront(storefront) {
    await ddb.send(new PutCommand({ TableName: tableName('access'), Item: accessTable.storefrontItem(storefront), ConditionExpression: 'attribute_not_exists(pk)' }));
  },
  async getStorefront(storefrontId) {
    const { Item } = await ddb.send(new GetCommand({ TableName: tableName('access'), Key: accessTable.storefrontKey(storefrontId) }));
    return Item ? accessTable.toStorefront(Item) : undefined;
  },
};
