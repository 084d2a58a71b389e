import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { LINEUP_EDITABLE, type Show } from '../domain/show.js';
import type { ShowsForOrders } from '../orders/ports.js';
import type { EndedShows } from '../settlement/ports.js';
import type { ShowStore } from '../shows/ports.js';
import { tableName } from '../shared/env.js';
import { AWAITING_SETTLEMENT, showsTable } from './codecs/shows.js';
import { ddb, listPage, queryPages } from './dynamo.js';

/** A list cursor is the index's start key, base64url JSON: anything else was not given out here. */
function startKeyOf(cursor: string): Record<string, string> | undefined {
  try {
    const key: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (!key || typeof key !== 'object' || Array.isArray(key)) return undefined;
    const entries = Object.entries(key);
    const allowed = new Set(['pk', 'sk', 'listing', 'scheduledStart']);
    if (entries.length === 0 || !entries.every(([k, v]) => allowed.has(k) && typeof v === 'string' && v.length > 0 && v.length <= 1024)) return undefined;
    return key as Record<string, string>;
  } catch {
    return undefined;
  }
}

export const showStore: ShowStore & ShowsForOrders & EndedShows = {
  async putShow(show) {
    await ddb.send(new PutCommand({ TableName: tableName('shows'), Item: showsTable.showItem(show), ConditionExpression: 'attribute_not_exists(pk)' }));
  },

  async getShow(showId) {
    const { Item } = await ddb.send(new GetCommand({ TableName: tableName('shows'), Key: showsTable.showKey(showId), ConsistentRead: true }));
    return Item ? showsTable.toShow(Item) : undefined;
  },

  async putLineup(showId, lineup) {
    // the show item only: the sale gates on the stock items are the use case's (shows/sale.ts)
    for (let attempt = 0; attempt < 8; attempt++) {
      const before = await showStore.getShow(showId);
      if (!before) return 'not-found';
      if (!LINEUP_EDITABLE.includes(before.status)) return 'closed';
      const saved = await showStore.save({ ...before, lineup }, before);
      if (saved !== 'stale') return { saved, before };
      // changed meanwhile: read again
    }
    throw new Error(`show ${showId} kept changing while its lineup was being replaced`);
  },

  async save(next) {
    const stored = { ...next, version: next.version + 1 };
    try {
      await ddb.send(
        new PutCommand({
          TableName: tableName('shows'),
          Item: showsTable.showItem(stored),
          ConditionExpression: 'version = :v',
          ExpressionAttributeValues: { ':v': next.version },
        }),
      );
      return stored;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return 'stale';
      throw error;
    }
  },

  async onChannel(channelId, from, to) {
    const shows = [];
    for await (const items of queryPages({
      TableName: tableName('shows'),
      IndexName: 'byChannel',
      KeyConditionExpression: 'channelId = :c AND scheduledStart BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':c': channelId, ':from': from, ':to': to },
    })) {
      shows.push(...items.map(showsTable.toShow));
    }
    return shows;
  },

  async listed(listing, limit, cursor) {
    const startKey = cursor === undefined ? undefined : startKeyOf(cursor);
    if (cursor !== undefined && (!startKey || startKey.listing !== listing)) return 'invalid-cursor';
    try {
      const page = await ddb.send(
        new QueryCommand({
          TableName: tableName('shows'),
          IndexName: 'byListing',
          KeyConditionExpression: 'listing = :l',
          ExpressionAttributeValues: { ':l': listing },
          Limit: limit,
          ExclusiveStartKey: startKey,
        }),
      );
      return {
        shows: (page.Items ?? []).map(showsTable.toShow),
        cursor: page.LastEvaluatedKey ? Buffer.from(JSON.stringify(page.LastEvaluatedKey)).toString('base64url') : undefined,
      };
    } catch (error) {
      if (startKey && (error as Error).name === 'ValidationException') return 'invalid-cursor';
      throw error;
    }
  },

  async ofCounty(countyId, status, limit, cursor) {
    const page = await listPage(tableName('shows'), showsTable.countyShows(countyId, status), { limit, cursor, descending: true }, showsTable.countyListKeyAttributes);
    return page === 'invalid-cursor' ? page : { shows: page.items.map(showsTable.toShow), cursor: page.cursor };
  },

  async *awaitingSettlement() {
    for await (const items of queryPages({
      TableName: tableName('shows'),
      IndexName: 'byListing',
      KeyConditionExpression: 'listing = :l',
      ExpressionAttributeValues: { ':l': AWAITING_SETTLEMENT },
    })) {
      for (const show of items.map(showsTable.toShow)) yield { showId: show.showId, countyId: show.countyId };
    }
  },

  async settlementRegistered(showId) {
    try {
      await ddb.send(
        new UpdateCommand({
          TableName: tableName('shows'),
          Key: showsTable.showKey(showId),
          UpdateExpression: 'REMOVE listing',
          ConditionExpression: '#status = :ended',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':ended': 'ENDED' },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error; // not an ended show: nothing to do
    }
  },

  async viewerSnapshot() {
    const { Item } = await ddb.send(new GetCommand({ TableName: tableName('shows'), Key: showsTable.viewersKey() }));
    return Item?.fetchedAt ? { counts: (Item.counts ?? {}) as Record<string, number>, ...(Item.health ? { health: Item.health as Record<string, string> } : {}), fetchedAt: String(Item.fetchedAt) } : undefined;
  },

  async leaseViewers(now, until) {
    try {
      await ddb.send(
        new UpdateCommand({
          TableName: tableName('shows'),
          Key: showsTable.viewersKey(),
          UpdateExpression: 'SET leaseUntil = :until',
          ConditionExpression: 'attribute_not_exists(leaseUntil) OR leaseUntil <= :now',
          ExpressionAttributeValues: { ':until': until.toISOString(), ':now': now.toISOString() },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  },

  async putViewers(counts, at, health = {}) {
    await ddb.send(
      new UpdateCommand({
        TableName: tableName('shows'),
        Key: showsTable.viewersKey(),
        UpdateExpression: 'SET #counts = :counts, health = :health, fetchedAt = :at',
        ExpressionAttributeNames: { '#counts': 'counts' },
        ExpressionAttributeValues: { ':counts': counts, ':health': health, ':at': at.toISOString() },
      }),
    );
  },
};
