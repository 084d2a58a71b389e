/**
 * Amazon IVS for the tests: the IVS stand-in (local/ivs.ts) behind an HTTP server on 127.0.0.1,
 * one per test worker, which the handlers' unchanged @aws-sdk/client-ivs reaches through
 * AWS_ENDPOINT_URL_IVS (set in env.ts before any handler is imported). It enforces IVS's
 * behaviour (ChannelNotBroadcasting while a channel is offline, 5 PutMetadata/s per channel…).
 *
 * It plays the county's encoder too: every "IVS Stream State Change" it emits is delivered, as
 * the stack's rule on the default bus would (same pattern), to the real onStreamEvent handler.
 * Deliveries are kept, so that a fixture or a test awaits the ones it caused; any other delivery
 * is awaited after each test (env.ts), and a failure nobody awaited fails that test.
 */
import type { PutMetadataCommandInput } from '@aws-sdk/client-ivs';
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { asFunction } from '../../local/iam.js';
import type { BusEnvelope } from '../../local/event-bus.js';
import { matchesEventPattern } from '../../local/event-pattern.js';
import { IvsStandIn, type LocalChannel, type SentMetadata } from '../../local/ivs.js';
import { lambdaContext } from './http.js';

/** A request the stand-in received: the IVS operation and its JSON input. */
export interface IvsRequest { operation: string; input: Record<string, unknown> }

interface Delivery {
  event: BusEnvelope;
  result: Promise<unknown>;
  done: boolean;
  error?: unknown;
  /** Someone awaited it (a fixture or a test), so a failure has been reported already. */
  awaited: boolean;
}

export interface TestIvsOptions {
  channels: LocalChannel[];
  /** The pattern of the stack's rule that sends IVS events to onStreamEvent. */
  rulePattern: Record<string, unknown>;
  region: string;
  account: string;
}

export class TestIvs {
  /** Every IVS request the handlers sent, oldest first (cleared with clearCalls). */
  readonly requests: IvsRequest[] = [];
  readonly standIn: IvsStandIn;
  private readonly deliveries: Delivery[] = [];
  private held: BusEnvelope[] | undefined;
  private server: Server | undefined;
  endpoint = '';

  constructor(private readonly options: TestIvsOptions) {
    this.standIn = new IvsStandIn(options.channels, (e) => this.emitted(e));
  }

  async listen(): Promise<string> {
    const server = createServer(async (req, res) => {
      let body = '';
      for await (const chunk of req) body += chunk;
      let input: Record<string, unknown> = {};
      try {
        input = body ? JSON.parse(body) : {};
      } catch {
        // the stand-in answers ValidationException
      }
      this.requests.push({ operation: (req.url ?? '').replace(/^\//, '').split('?')[0]!, input });
      this.standIn.handleHttp(req, res, body);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', resolve);
    });
    server.unref(); // the worker does not wait for it
    this.server = server;
    this.endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return this.endpoint;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** The inputs of the requests for one operation (e.g. 'GetStream'), oldest first. */
  calls<T = Record<string, unknown>>(operation: string): T[] {
    return this.requests.filter((r) => r.operation === operation).map((r) => r.input as T);
  }

  /** The PutMetadata inputs (channel ARN and metadata) the stand-in received. */
  metadataCalls(): PutMetadataCommandInput[] {
    return this.calls<PutMetadataCommandInput>('PutMetadata');
  }

  /** The timed metadata the stand-in accepted (a channel's, or all), oldest first. */
  sentMetadata(channelId?: string): SentMetadata[] {
    return this.standIn.metadata.filter((m) => channelId === undefined || m.channelId === channelId);
  }

  clearCalls(): void {
    this.requests.length = 0;
  }

  channel(channelId: string): LocalChannel {
    const channel = this.standIn.channel(channelId);
    if (!channel) throw new Error(`no channel ${channelId} in the IVS stand-in`);
    return channel;
  }

  /** The channel's stream key, as GetStreamKey gives it. */
  streamKey(channelId: string): string {
    return this.channel(channelId).streamKey;
  }

  isLive(channelId: string): boolean {
    return this.standIn.isLive(channelId);
  }

  setViewers(channelId: string, viewerCount: number): void {
    this.standIn.setViewers(channelId, viewerCount);
  }

  /**
   * The encoder connects: a new stream, and its Stream Start delivered to onStreamEvent.
   * Resolves with the handler's answers once delivered (nothing is delivered while held).
   */
  async goLive(channelId: string): Promise<{ streamId: string; outcomes: unknown[] }> {
    if (this.standIn.isLive(channelId)) throw new Error(`channel ${channelId} is live already: IVS runs one stream per channel`);
    const { value, delivered } = this.capture(() => this.standIn.goLive(channelId));
    return { streamId: value.streamId, outcomes: await this.await(delivered) };
  }

  /** The encoder disconnects: Stream End and Session Ended, delivered to onStreamEvent. */
  async goOffline(channelId: string): Promise<{ streamId?: string; outcomes: unknown[] }> {
    const { value, delivered } = this.capture(() => this.standIn.goOffline(channelId));
    return { ...value, outcomes: await this.await(delivered) };
  }

  /**
   * Holds back the delivery of events emitted from now on (EventBridge delivers asynchronously:
   * a test chooses to have them arrive after what it does next). The returned function delivers
   * them and resolves with the handler's answers.
   */
  hold(): () => Promise<unknown[]> {
    this.held ??= [];
    return () => this.release();
  }

  private release(): Promise<unknown[]> {
    const queued = this.held ?? [];
    this.held = undefined;
    return this.await(queued.map((e) => this.deliver(e)));
  }

  /** Waits for every delivery so far (and the ones they lead to); throws the failures nobody awaited. */
  async settled(): Promise<void> {
    for (let open = this.deliveries.filter((d) => !d.done); open.length; open = this.deliveries.filter((d) => !d.done)) {
      await Promise.allSettled(open.map((d) => d.result));
    }
    const failed = this.deliveries.filter((d) => d.error !== undefined && !d.awaited);
    failed.forEach((d) => (d.awaited = true));
    if (failed.length) {
      const lines = failed.map((d) => `${d.event.detail.event_name} on ${d.event.resources[0]}: ${(d.error as Error)?.stack ?? d.error}`);
      throw new Error(`onStreamEvent failed on ${failed.length} IVS event(s) nobody awaited:\n${lines.join('\n')}`);
    }
  }

  /** Between tests that start from fresh tables: every channel offline (its events delivered), no calls recorded. */
  async reset(): Promise<void> {
    await this.release();
    await this.settled();
    for (const c of this.options.channels) if (this.standIn.isLive(c.channelId)) await this.goOffline(c.channelId);
    this.clearCalls();
  }

  private capture<T>(act: () => T): { value: T; delivered: Delivery[] } {
    const from = this.deliveries.length;
    const value = act(); // the stand-in emits synchronously
    return { value, delivered: this.deliveries.slice(from) };
  }

  private async await(deliveries: Delivery[]): Promise<unknown[]> {
    deliveries.forEach((d) => (d.awaited = true));
    return Promise.all(deliveries.map((d) => d.result));
  }

  private emitted(e: Pick<BusEnvelope, 'source' | 'detail-type' | 'detail' | 'resources' | 'time'>): void {
    const event: BusEnvelope = { version: '0', id: randomUUID(), account: this.options.account, region: this.options.region, ...e };
    if (!matchesEventPattern(this.options.rulePattern, event)) return; // no rule, no delivery
    if (this.held) this.held.push(event);
    else this.deliver(event);
  }

  private deliver(event: BusEnvelope): Delivery {
    const delivery: Delivery = { event, result: Promise.resolve(), done: false, awaited: false };
    delivery.result = (async () => {
      // imported here, not at the top: handlers create their IVS client when imported, after env.ts set the endpoint
      const { handler } = await import('../../functions/shows/on-stream-event.js');
      return asFunction('onStreamEvent', () => handler(structuredClone(event), lambdaContext('on-stream-event')));
    })().then(
      (outcome) => {
        delivery.done = true;
        return outcome;
      },
      (error: unknown) => {
        delivery.done = true;
        delivery.error = error;
        throw error;
      },
    );
    delivery.result.catch(() => undefined); // reported by whoever awaits it, or by settled()
    this.deliveries.push(delivery);
    return delivery;
  }
}

let current: TestIvs | undefined;

/** Starts this worker's stand-in (env.ts does, once). */
export async function startTestIvs(options: TestIvsOptions): Promise<TestIvs> {
  if (current) throw new Error('the IVS stand-in of this worker is running already');
  const ivs = new TestIvs(options);
  await ivs.listen();
  current = ivs;
  return ivs;
}

/** This worker's IVS stand-in: make channels go live or offline, set viewers, read what it received. */
export function ivs(): TestIvs {
  if (!current) throw new Error('the IVS stand-in starts in test/support/env.ts (the setup file of every test worker)');
  return current;
}
