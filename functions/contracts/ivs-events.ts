import * as z from 'zod';

/**
 * The Amazon IVS "IVS Stream State Change" event (EventBridge, default bus), as documented:
 * the channel ARN is `resources[0]`; `channel_name` may be ""; `stream_id` is new each time
 * the channel goes live; Stream Failure has a `reason`, Session events may carry a `code`.
 */
export const IvsStreamStateChange = z.object({
  source: z.literal('aws.ivs'),
  'detail-type': z.literal('IVS Stream State Change'),
  id: z.string(),
  time: z.iso.datetime({ offset: true }),
  resources: z.array(z.string()).min(1),
  detail: z.looseObject({
    event_name: z.string(),
    channel_name: z.string().optional(),
    stream_id: z.string().optional(),
    reason: z.string().optional(),
    code: z.string().optional(),
  }),
});
export type IvsStreamStateChange = z.infer<typeof IvsStreamStateChange>;
