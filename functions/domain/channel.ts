/** A county's IVS channel, as the province deployed it. Never carries the stream key itself. */
export interface Channel {
  channelId: string;
  countyId: string;
  arn: string;
  playbackUrl: string;
  ingestEndpoint: string;
  streamKeyArn: string;
}

/** The province's channels, and the counties they belong to. */
export interface Channels {
  all: readonly Channel[];
  byId(channelId: string): Channel | undefined;
  byArn(arn: string): Channel | undefined;
  /** The province's counties: every county has at least one channel. */
  countyIds: ReadonlySet<string>;
}

export function channelDirectory(all: readonly Channel[]): Channels {
  return {
    all,
    byId: (channelId) => all.find((c) => c.channelId === channelId),
    byArn: (arn) => all.find((c) => c.arn === arn),
    countyIds: new Set(all.map((c) => c.countyId)),
  };
}
