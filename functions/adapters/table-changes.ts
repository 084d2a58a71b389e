/**
 * Table stream records → entity changes, by the table the record came from (its stream ARN
 * names the table) and that table's codec. Items that are not entities with events (viewer
 * counts, receivables) give no change; statements are in a table without a stream.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import type { EntityChange } from '../events/ports.js';
import { tableName } from '../shared/env.js';
import { ordersTable } from './codecs/orders.js';
import { settlementsTable } from './codecs/settlements.js';
import { showsTable } from './codecs/shows.js';
import type { Item } from './codecs/item.js';

type Image = Record<string, unknown> | undefined;
const item = (raw: Image): Item | undefined => (raw ? unmarshall(raw as Record<string, AttributeValue>) : undefined);

/** `arn:aws:dynamodb:<region>:<account>:table/<name>/stream/<label>` → `<name>`. */
const tableOfArn = (arn: string | undefined) => /:table\/([^/]+)\/stream\//.exec(arn ?? '')?.[1];

function decode<T>(before: Item | undefined, after: Item | undefined, is: (i: Item) => boolean, to: (i: Item) => T) {
  return {
    before: before && is(before) ? to(before) : undefined,
    after: after && is(after) ? to(after) : undefined,
    any: (before && is(before)) || (after && is(after)),
  };
}

export function entityChange(record: DynamoDBRecord): EntityChange | undefined {
  const table = tableOfArn(record.eventSourceARN);
  const before = item(record.dynamodb?.OldImage as Image);
  const after = item(record.dynamodb?.NewImage as Image);
  if (table === tableName('orders')) {
    const c = decode(before, after, ordersTable.isOrder, ordersTable.toOrder);
    return c.any ? { entity: 'order', before: c.before, after: c.after } : undefined;
  }
  if (table === tableName('shows')) {
    const c = decode(before, after, showsTable.isShow, showsTable.toShow);
    return c.any ? { entity: 'show', before: c.before, after: c.after } : undefined;
  }
  if (table === tableName('settlements')) {
    const b = before && settlementsTable.decode(before);
    const a = after && settlementsTable.decode(after);
    const kind = (a ?? b)?.kind;
    if (kind === 'settlement') {
      return { entity: 'settlement', before: b?.kind === 'settlement' ? b.settlement : undefined, after: a?.kind === 'settlement' ? a.settlement : undefined };
    }
    if (kind === 'adjustment') {
      return { entity: 'adjustment', before: b?.kind === 'adjustment' ? b.adjustment : undefined, after: a?.kind === 'adjustment' ? a.adjustment : undefined };
    }
    if (kind === 'payout') {
      return { entity: 'payout', before: b?.kind === 'payout' ? b.payout : undefined, after: a?.kind === 'payout' ? a.payout : undefined };
    }
    if (kind === 'mismatch') {
      return { entity: 'mismatch', before: b?.kind === 'mismatch' ? b.mismatch : undefined, after: a?.kind === 'mismatch' ? a.mismatch : undefined };
    }
    return undefined;
  }
  throw new Error(`stream record from an unknown table: ${record.eventSourceARN}`);
}
