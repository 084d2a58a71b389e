import { Tags } from 'aws-cdk-lib';
import { CfnChannel, CfnStreamKey } from 'aws-cdk-lib/aws-ivs';
import { Construct } from 'constructs';
import type { Province } from '../../province/config/index.js';
import type { ChannelResources } from '../../province/wiring.js';
import { pascal } from './tables.js';

/**
 * One IVS channel with its stream key per county channel in the province config. The stream key
 * value (the `Value` attribute) is never referenced: functions get only the key's ARN and read the
 * value from IVS when an operator asks for it.
 */
export class ProvinceChannels extends Construct {
  readonly byId: Record<string, ChannelResources> = {};
  readonly channelArns: string[] = [];
  readonly streamKeyArns: string[] = [];

  constructor(scope: Construct, id: string, props: { province: Province }) {
    super(scope, id);
    for (const county of props.province.counties) {
      for (const config of county.channels) {
        const channel = new CfnChannel(this, pascal(config.id.replace(/-(.)/g, (_, c: string) => c.toUpperCase())), {
          name: `${props.province.id}-${config.id}`,
          type: config.type,
          latencyMode: config.latencyMode,
          authorized: false,
        });
        Tags.of(channel).add('county', county.id);
        Tags.of(channel).add('channel', config.id);
        const key = new CfnStreamKey(channel, 'StreamKey', { channelArn: channel.attrArn });
        this.byId[config.id] = {
          arn: channel.attrArn,
          playbackUrl: channel.attrPlaybackUrl,
          ingestEndpoint: channel.attrIngestEndpoint,
          streamKeyArn: key.attrArn,
        };
        this.channelArns.push(channel.attrArn);
        this.streamKeyArns.push(key.attrArn);
      }
    }
  }
}
