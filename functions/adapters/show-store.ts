import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { DomainError } from '../domain/errors.js';
import { LINEUP_EDITABLE, type LineupEntry, type Show, type ShowStatus } from '../domain/show.js';
import { tableName } from '../shared/env.js';
import { ddb, fromItem } from './dynamo.js';

export const showKey = (showId: string) => ({ pk: `SHOW#${showId}`, sk: 'SHOW' });

export interface ShowStore {
  putShow(show: Show): Promise<void>;
  getShow(showId: string): Promise<Show | undefined>;
  /** Replaces the lineup while the show is still open for changes. */
  putLineup(showId: string, lineup: LineupEntry[]): Promise<Show>;
  /** Writes a transition computed by the domain, only if the show is still in `from`. */
  saveTransition(next: Show, from: ShowStatus): Promise<void>;
}

export const showStore: ShowStore = {
  async putShow(show) {
    await ddb.send(
      new PutCommand({
        TableName: tableName('shows'),
        Item: { ...showKey(show.showId), ...show },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  },

  async getShow(showId) {
    const { Item } = await ddb.send(
      new GetCommand({ TableName: tableName('shows'), Key: showKey(showId), ConsistentRead: true }),
    );
    return Item ? fromItem<Show>(Item) : undefined;
  },

  async putLineup(showId, lineup) {
    try {
      const { Attributes } = await ddb.send(
        new UpdateCommand({
          TableName: tableName('shows'),
          Key: showKey(showId),
          UpdateExpression: 'SET lineup = :lineup',
          ConditionExpression: 'attribute_exists(pk) AND #status IN (:a, :b)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':lineup': lineup, ':a': LINEUP_EDITABLE[0], ':b': LINEUP_EDITABLE[1] },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return fromItem<Show>(Attributes!);
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const show = await showStore.getShow(showId);
      if (!show) throw new DomainError('NOT_FOUND', `show ${showId} does not exist`, 'showId');
      throw new DomainError('SHOW_CLOSED', `show ${showId} is ${show.status}; its lineup can no longer change`);
    }
  },

  async saveTransition(next, from) {
    await ddb.send(
      new PutCommand({
        TableName: tableName('shows'),
        Item: { ...showKey(next.showId), ...next },
        ConditionExpression: '#status = :from',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':from': from },
      }),
    );
  },
};
