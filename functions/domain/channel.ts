/** A county's IVS channel, as the province deployed it. Never carries the stream key itself. */
export interface Channel {
  channelId: string;
  countyId: string;
  arn: string;
  playbackUrl: string;
  ingestEndpoint: string;
  streamKeyArn: string;
}

/** The province's channels (and so its counties): the channel registry, read through a port. */
export interface ChannelRegistry {
  all(): Promise<readonly Channel[]>;
  byId(channelId: string): Promise<Channel | undefined>;
  byArn(arn: string): Promise<Channel | undefined>;
  /** The province's counties: every county has at least one channel. */
  countyIds(): Promise<ReadonlySet<string>>;
}

/** A registry over a list of channels (what an adapter reads, or a test's own list). */
export function channelDirectory(load: () => Promise<readonly Channel[]>): ChannelRegistry {
  return {
    all: load,
    byId: async (channelId) => (await load()).find((c) => c.channelId === channelId),
    byArn: async (arn) => (await load()).find((c) => c.arn === arn),
    countyIds: async () => new Set((await load()).map((c) => c.countyId)),
  };
}
