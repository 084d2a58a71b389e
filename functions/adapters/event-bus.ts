import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { busName } from '../shared/env.js';
import type { EventPublisher } from '../events/ports.js';

/** PutEvents takes at most 10 entries a call. */
const PUT_EVENTS_LIMIT = 10;

export function eventBridgePublisher(client: EventBridgeClient = new EventBridgeClient({})): EventPublisher {
  return {
    async publish(events) {
      const failed: number[] = [];
      for (let start = 0; start < events.length; start += PUT_EVENTS_LIMIT) {
        const chunk = events.slice(start, start + PUT_EVENTS_LIMIT);
        const out = await client.send(
          new PutEventsCommand({
            Entries: chunk.map((e) => ({
              EventBusName: busName(),
              Source: e.source,
              DetailType: e.detailType,
              Time: new Date(e.time),
              Detail: JSON.stringify(e.detail),
            })),
          }),
        );
        // A 200 answer can still carry failed entries: check each one, never just the status.
        if ((out.FailedEntryCount ?? 0) > 0 || (out.Entries?.length ?? 0) !== chunk.length) {
          chunk.forEach((_, i) => {
            const entry = out.Entries?.[i];
            if (!entry?.EventId || entry.ErrorCode) failed.push(start + i);
          });
        }
      }
      return failed;
    },
  };
}
