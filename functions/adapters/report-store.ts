/** The reports table: report items and the markers of the events applied to them. Writes no other table. */
import { GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { reportId, type ReportStore } from '../reports/ports.js';
import { tableName } from '../shared/env.js';
import { reportsTable } from './codecs/reports.js';
import { batchGet, cancellationCodes, ddb } from './dynamo.js';

export const reportStore: ReportStore = {
  async read(items) {
    const found = await batchGet(tableName('reports'), items.map((i) => reportsTable.reportKey(i.scope, i.period)), true);
    const byKey = new Map(found.map((item) => [`${item.pk}`, item]));
    const out = new Map<string, { report: ReturnType<typeof reportsTable.toReport>['report']; version: number }>();
    for (const i of items) {
      const item = byKey.get(reportsTable.reportKey(i.scope, i.period).pk);
      if (item) out.set(reportId(i.scope, i.period), reportsTable.toReport(item));
    }
    return out;
  },

  async get(scope, period) {
    const { Item } = await ddb.send(new GetCommand({ TableName: tableName('reports'), Key: reportsTable.reportKey(scope, period) }));
    return Item ? reportsTable.toReport(Item) : undefined;
  },

  async apply(eventId, writes) {
    const at = new Date().toISOString();
    const markers = writes.map((w) => ({
      Put: { TableName: tableName('reports'), Item: reportsTable.appliedItem(w.scope, w.period, eventId, at), ConditionExpression: 'attribute_not_exists(pk)' },
    }));
    const reports = writes.map((w) => ({
      Put: {
        TableName: tableName('reports'),
        Item: reportsTable.reportItem(w.scope, w.period, w.report, w.readVersion + 1),
        ...(w.readVersion === 0
          ? { ConditionExpression: 'attribute_not_exists(pk)' }
          : { ConditionExpression: '#version = :read', ExpressionAttributeNames: { '#version': 'version' }, ExpressionAttributeValues: { ':read': w.readVersion } }),
      },
    }));
    try {
      await ddb.send(new TransactWriteCommand({ TransactItems: [...markers, ...reports] }));
      return 'applied';
    } catch (error) {
      const codes = cancellationCodes(error);
      if (!codes?.includes('ConditionalCheckFailed')) throw error;
      // the markers come first: one of them there means this event was applied (all of them were, together)
      if (codes.slice(0, markers.length).includes('ConditionalCheckFailed')) return 'already-applied';
      return 'conflict';
    }
  },
};
