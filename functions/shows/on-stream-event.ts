import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { IvsStreamStateChange } from '../contracts/ivs-events.js';
import { signalKind } from '../domain/show.js';
import { powertoolsHandler } from '../shared/handler.js';
import { logger, metrics } from '../shared/powertools.js';
import { showDeps } from './deps.js';
import { onStreamSignal } from './lifecycle.js';

const deps = showDeps();

/**
 * Target of the rule on the default bus for `aws.ivs` "IVS Stream State Change" events of this
 * province's channels. Malformed or foreign events are logged and dropped (retrying cannot
 * help); any other failure is thrown so EventBridge/Lambda retry and finally dead-letter it.
 */
export const handler = powertoolsHandler(async (raw: unknown) => {
  const parsed = IvsStreamStateChange.safeParse(raw);
  if (!parsed.success) {
    logger.warn('not an IVS stream state change; ignored', { issues: parsed.error.issues.slice(0, 3) });
    return { outcome: 'ignored' };
  }
  const event = parsed.data;
  logger.setCorrelationId(event.id);
  const channelArn = event.resources[0]!;
  const channel = await deps.channels.byArn(channelArn);
  const kind = signalKind(event.detail.event_name);
  if (!channel || !kind || !event.detail.stream_id) {
    logger.warn('IVS event not for a show of this province; ignored', { channelArn, eventName: event.detail.event_name, known: !!channel });
    return { outcome: 'ignored' };
  }
  const result = await onStreamSignal(deps, channel.channelId, { kind, streamId: event.detail.stream_id, time: event.time });
  metrics.addMetric(`StreamEvents_${result.outcome}`, MetricUnit.Count, 1);
  logger.info('IVS stream event', { channelId: channel.channelId, eventName: event.detail.event_name, streamId: event.detail.stream_id, ...result });
  return result;
});
