import { createHash } from 'node:crypto';
import { CustomResource, NestedStack, Tags } from 'aws-cdk-lib';
import { CfnChannel, CfnStreamKey } from 'aws-cdk-lib/aws-ivs';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import type { County, Province } from '../../province/config/index.js';
import type { ChannelResources } from '../../province/wiring.js';
import { pascal } from './tables.js';

/** The channel stack a county's channels live in: a stable hash of the county id, so adding a county changes only that stack. */
export function channelStackOf(countyId: string, stacks: number): number {
  return createHash('sha256').update(countyId).digest().readUInt32BE(0) % stacks;
}

/**
 * The province's IVS channels, in `channelStacks` nested stacks (a county's channels all in
 * one, chosen by a hash of its id): one IVS channel and its stream key per configured channel,
 * and a custom resource per stack that writes the stack's channels into the channel registry
 * (ARN, playback URL, ingest endpoint, stream-key ARN). The stream key value (the `Value`
 * attribute) is never referenced: functions read it from IVS when an operator asks for it.
 */
export class ProvinceChannels extends Construct {
  readonly byId: Record<string, ChannelResources> = {};
  readonly stacks: NestedStack[] = [];

  constructor(scope: Construct, id: string, props: { province: Province; registrar: IFunction }) {
    super(scope, id);
    const { province } = props;
    const groups = new Map<number, County[]>();
    for (const county of province.counties) {
      const n = channelStackOf(county.id, province.channelStacks);
      groups.set(n, [...(groups.get(n) ?? []), county]);
    }
    for (const [n, counties] of [...groups].sort(([a], [b]) => a - b)) {
      const stack = new NestedStack(this, `ChannelStack${n}`, { description: `IVS channels of province ${province.id}, group ${n}` });
      this.stacks.push(stack);
      const registered: Record<string, string>[] = [];
      for (const county of counties) {
        for (const config of county.channels) {
          const channel = new CfnChannel(stack, pascal(config.id.replace(/-(.)/g, (_, c: string) => c.toUpperCase())), {
            name: `${province.id}-${config.id}`,
            type: config.type,
            latencyMode: config.latencyMode,
            authorized: false,
          });
          Tags.of(channel).add('province', province.id);
          Tags.of(channel).add('county', county.id);
          Tags.of(channel).add('channel', config.id);
          const key = new CfnStreamKey(channel, 'StreamKey', { channelArn: channel.attrArn });
          const resources = { arn: channel.attrArn, playbackUrl: channel.attrPlaybackUrl, ingestEndpoint: channel.attrIngestEndpoint, streamKeyArn: key.attrArn };
          this.byId[config.id] = resources;
          registered.push({ channelId: config.id, countyId: county.id, ...resources });
        }
      }
      new CustomResource(stack, 'Registry', {
        serviceToken: props.registrar.functionArn,
        resourceType: 'Custom::ChannelRegistry',
        properties: { Registration: `${province.id}-channel-stack-${n}`, Channels: registered },
      });
    }
  }
}
