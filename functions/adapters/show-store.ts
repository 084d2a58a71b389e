import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { DomainError } from '../domain/errors.js';
import { LINEUP_EDITABLE, type LineupEntry, type Show, type ShowStatus } from '../domain/show.js';
import { tableName } from '../shared/env.js';
import { ddb, fromItem, queryPages } from './dynamo.js';

export const showKey = (showId: string) => ({ pk: `SHOW#${showId}`, sk: 'SHOW' });

/**
 * A show's status is copied onto this many tiny gate items. Every order checks one of them (by a
 * hash of its id) in its transaction instead of the show item itself: a check costs write
 * capacity on the item it reads, and one item takes about 500 transactional checks a second.
 */
export const GATE_SHARDS = 32;
/** Each gate has a partition key of its own: DynamoDB spreads load by partition key. */
export const showGateKey = (showId: string, hash: number) => ({ pk: `GATE#${showId}#${String(hash % GATE_SHARDS).padStart(2, '0')}`, sk: 'GATE' });
const gatePuts = (show: Show) =>
  Array.from({ length: GATE_SHARDS }, (_, i) => ({
    Put: { TableName: tableName('shows'), Item: { ...showGateKey(show.showId, i), status: show.status } },
  }));
const viewersKey = (channelId: string) => ({ pk: `CHANNEL#${channelId}`, sk: 'VIEWERS' });

/** The sparse listing index: only SCHEDULED and LIVE shows carry `listing`. */
export type Listing = 'LIVE' | 'UPCOMING';
const LISTING: Partial<Record<ShowStatus, Listing>> = { LIVE: 'LIVE', SCHEDULED: 'UPCOMING' };

const toShow = (item: Record<string, unknown>) => fromItem<Show>(item, 'listing');
const toItem = (show: Show) => ({ ...showKey(show.showId), ...show, listing: LISTING[show.status] });

export class StaleShowError extends Error {
  constructor(showId: string) {
    super(`show ${showId} changed while it was being updated`);
  }
}

export interface ShowPage { shows: Show[]; cursor?: string }

export interface ShowStore {
  /** A new show, with its gate items. */
  putShow(show: Show): Promise<void>;
  getShow(showId: string): Promise<Show | undefined>;
  /** Replaces the lineup while the show is still open for changes. */
  putLineup(showId: string, lineup: LineupEntry[]): Promise<Show>;
  /**
   * Writes `next` only if the stored show is still at `next.version`; bumps the version. When the
   * status changes (`before` is what was read), the gate items change in the same transaction.
   */
  save(next: Show, before: Pick<Show, 'status'>): Promise<Show>;
  /** A channel's shows scheduled between `from` and `to` (ISO), oldest first. */
  onChannel(channelId: string, from: string, to: string): Promise<Show[]>;
  /** LIVE or UPCOMING shows by schedule, a page at a time. */
  listed(listing: Listing, limit: number, cursor?: string): Promise<ShowPage>;
  /** Viewer count cached per channel, shared by every function instance. */
  cachedViewers(channelId: string): Promise<{ viewerCount: number; fetchedAt: string; leaseUntil?: string } | undefined>;
  /** Takes the right to refresh a channel's viewer count until `until`; false if someone holds it. */
  leaseViewers(channelId: string, now: Date, until: Date): Promise<boolean>;
  putViewers(channelId: string, viewerCount: number, at: Date): Promise<void>;
}

export const showStore: ShowStore = {
  async putShow(show) {
    await ddb.send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: tableName('shows'), Item: toItem(show), ConditionExpression: 'attribute_not_exists(pk)' } },
          ...gatePuts(show),
        ],
      }),
    );
  },

  async getShow(showId) {
    const { Item } = await ddb.send(
      new GetCommand({ TableName: tableName('shows'), Key: showKey(showId), ConsistentRead: true }),
    );
    return Item ? toShow(Item) : undefined;
  },

  async putLineup(showId, lineup) {
    try {
      const { Attributes } = await ddb.send(
        new UpdateCommand({
          TableName: tableName('shows'),
          Key: showKey(showId),
          UpdateExpression: 'SET lineup = :lineup, version = version + :one',
          ConditionExpression: 'attribute_exists(pk) AND #status IN (:a, :b)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':lineup': lineup, ':a': LINEUP_EDITABLE[0], ':b': LINEUP_EDITABLE[1], ':one': 1 },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return toShow(Attributes!);
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const show = await showStore.getShow(showId);
      if (!show) throw new DomainError('NOT_FOUND', `show ${showId} does not exist`, 'showId');
      throw new DomainError('SHOW_CLOSED', `show ${showId} is ${show.status}; its lineup can no longer change`);
    }
  },

  async save(next, before) {
    const stored = { ...next, version: next.version + 1 };
    const put = {
      TableName: tableName('shows'),
      Item: toItem(stored),
      ConditionExpression: 'version = :v',
      ExpressionAttributeValues: { ':v': next.version },
    };
    try {
      if (before.status === next.status) await ddb.send(new PutCommand(put));
      else await ddb.send(new TransactWriteCommand({ TransactItems: [{ Put: put }, ...gatePuts(stored)] }));
      return stored;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) throw new StaleShowError(next.showId);
      if (error instanceof TransactionCanceledException && error.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed') {
        throw new StaleShowError(next.showId);
      }
      throw error;
    }
  },

  async onChannel(channelId, from, to) {
    const shows: Show[] = [];
    for await (const items of queryPages({
      TableName: tableName('shows'),
      IndexName: 'byChannel',
      KeyConditionExpression: 'channelId = :c AND scheduledStart BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':c': channelId, ':from': from, ':to': to },
    })) {
      shows.push(...items.map(toShow));
    }
    return shows;
  },

  async listed(listing, limit, cursor) {
    const page = await ddb.send(
      new QueryCommand({
        TableName: tableName('shows'),
        IndexName: 'byListing',
        KeyConditionExpression: 'listing = :l',
        ExpressionAttributeValues: { ':l': listing },
        Limit: limit,
        ExclusiveStartKey: cursor ? JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) : undefined,
      }),
    );
    return {
      shows: (page.Items ?? []).map(toShow),
      cursor: page.LastEvaluatedKey ? Buffer.from(JSON.stringify(page.LastEvaluatedKey)).toString('base64url') : undefined,
    };
  },

  async cachedViewers(channelId) {
    const { Item } = await ddb.send(new GetCommand({ TableName: tableName('shows'), Key: viewersKey(channelId) }));
    return Item as { viewerCount: number; fetchedAt: string; leaseUntil?: string } | undefined;
  },

  async leaseViewers(channelId, now, until) {
    try {
      await ddb.send(
        new UpdateCommand({
          TableName: tableName('shows'),
          Key: viewersKey(channelId),
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

  async putViewers(channelId, viewerCount, at) {
    await ddb.send(
      new UpdateCommand({
        TableName: tableName('shows'),
        Key: viewersKey(channelId),
        UpdateExpression: 'SET viewerCount = :n, fetchedAt = :at',
        ExpressionAttributeValues: { ':n': viewerCount, ':at': at.toISOString() },
      }),
    );
  },
};
