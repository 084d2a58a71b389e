/**
 * The custom resource each channel stack declares: CloudFormation sends Create, Update and
 * Delete with the stack's channels (their ARNs, playback URLs, ingest endpoints and stream-key
 * ARNs, never a key); the registry follows. The answer goes to CloudFormation's pre-signed URL.
 */
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import * as z from 'zod';
import { powertoolsHandler } from '../shared/handler.js';
import { logger } from '../shared/powertools.js';
import { registryDeps } from './deps.js';
import { applyRegistration } from './service.js';

const Channel = z.object({
  channelId: z.string().min(1),
  countyId: z.string().min(1),
  arn: z.string().min(1),
  playbackUrl: z.string().min(1),
  ingestEndpoint: z.string().min(1),
  streamKeyArn: z.string().min(1),
});
const Properties = z.object({ Registration: z.string().min(1), Channels: z.array(Channel) });

const deps = registryDeps();

/** Tells CloudFormation how it went (a custom resource that never answers blocks the stack for an hour). */
async function answer(event: CloudFormationCustomResourceEvent, status: 'SUCCESS' | 'FAILED', physicalId: string, reason?: string) {
  if (!event.ResponseURL) return;
  const body = JSON.stringify({
    Status: status, Reason: reason ?? status, PhysicalResourceId: physicalId,
    StackId: event.StackId, RequestId: event.RequestId, LogicalResourceId: event.LogicalResourceId,
  });
  const res = await fetch(event.ResponseURL, { method: 'PUT', body, headers: { 'content-type': '', 'content-length': String(Buffer.byteLength(body)) } });
  if (!res.ok) throw new Error(`CloudFormation refused the answer: ${res.status}`);
}

export const handler = powertoolsHandler(async (event: CloudFormationCustomResourceEvent) => {
  const fallbackId = 'PhysicalResourceId' in event ? event.PhysicalResourceId : `registration-${event.LogicalResourceId}`;
  try {
    const props = Properties.parse(event.ResourceProperties);
    const previous = event.RequestType === 'Update' ? Properties.safeParse(event.OldResourceProperties).data?.Channels : undefined;
    const result = await applyRegistration(deps.registry, {
      kind: event.RequestType,
      registration: props.Registration,
      channels: props.Channels,
      ...(previous ? { previous } : {}),
    });
    logger.info('channel registry updated', { requestType: event.RequestType, registration: props.Registration, ...result });
    await answer(event, 'SUCCESS', props.Registration);
    return { physicalResourceId: props.Registration, ...result };
  } catch (error) {
    logger.error('channel registration failed', error as Error);
    // a failed Delete must not keep the stack from being deleted: the registry keeps a stale entry, which nothing routes to
    await answer(event, event.RequestType === 'Delete' ? 'SUCCESS' : 'FAILED', fallbackId, String((error as Error).message).slice(0, 500));
    // the answer is the outcome: CloudFormation rolls back on FAILED; a retried invocation would answer twice
    if (!event.ResponseURL && event.RequestType !== 'Delete') throw error; // invoked directly (the local province): say so
    return { physicalResourceId: fallbackId, written: 0, removed: 0 };
  }
});
