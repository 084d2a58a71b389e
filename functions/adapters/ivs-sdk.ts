/**
 * The part of @aws-sdk/client-ivs the IVS adapter uses, in a module of its own so the adapter can
 * load it with `import()` when it first calls IVS: in a handler's bundle (esbuild, CJS) that
 * becomes a `require` made then, not at cold start. Loading this SDK costs ≈ 5–9 ms of init, and
 * most show functions never call IVS (README: Benchmarks).
 */
export {
  ChannelNotBroadcasting,
  GetStreamKeyCommand,
  IvsClient,
  ListStreamsCommand,
  PutMetadataCommand,
  StopStreamCommand,
  ThrottlingException,
} from '@aws-sdk/client-ivs';
