import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { tableName } from '../shared/env.js';
import { ddb, fromItem } from './dynamo.js';

export interface Storefront {
  storefrontId: string;
  name: string;
  /** SHA-256 (hex) of the key's secret part; the key itself is shown once and never stored. */
  keyHash: string;
  rateLimitPerSecond: number;
  status: 'ACTIVE' | 'REVOKED';
  createdAt: string;
  createdBy: string;
}

const key = (storefrontId: string) => ({ pk: `STOREFRONT#${storefrontId}`, sk: 'STOREFRONT' });

export interface AccessStore {
  putStorefront(storefront: Storefront): Promise<void>;
  getStorefront(storefrontId: string): Promise<Storefront | undefined>;
}

export const accessStore: AccessStore = {
  async putStorefront(storefront) {
    await ddb.send(new PutCommand({ TableName: tableName('access'), Item: { ...key(storefront.storefrontId), ...storefront }, ConditionExpression: 'attribute_not_exists(pk)' }));
  },
  async getStorefront(storefrontId) {
    const { Item } = await ddb.send(new GetCommand({ TableName: tableName('access'), Key: key(storefrontId) }));
    return Item ? fromItem<Storefront>(Item) : undefined;
  },
};
