/**
 * The local province's own controls under /_local: event injection, the encoder (IVS) actions,
 * the province's state, the bus log, the identity provider's keys and stand-in playback URLs.
 * They exist only offline; the cloud has none of them.
 */
import type { LocalIdentityProvider } from './auth.js';
import type { Clock } from './clock.js';
import type { BusEnvelope, LocalEventBus } from './event-bus.js';
import { matchesEventPattern } from './event-pattern.js';
import type { IvsStandIn, LocalChannel } from './ivs.js';
import { tradeNumber } from '../functions/adapters/wechatpay/client.js';
import type { NotifyMode, WechatPayStandIn } from './wechatpay.js';

type Reply = (status: number, body: unknown) => void;

export interface LocalControls {
  provinceId: string;
  clock: Clock;
  bus: LocalEventBus;
  busName: string;
  ivs: IvsStandIn;
  wechatPay: WechatPayStandIn;
  channels: LocalChannel[];
  idp: LocalIdentityProvider;
  iamRefused: readonly { function: string; action: string; resource: string }[];
  /** Per table stream: reads completed since start and records not yet accepted by the relay. */
  streams: () => Record<string, { reads: number; pending: number }>;
  /** Hands the kept failed stream batches to the outbox relay again. */
  replay: () => Promise<{ replayed: number; failed: number; remaining: string[] }>;
}

export function localControls(c: LocalControls) {
  return async (method: string, path: string, query: URLSearchParams, body: string, reply: Reply) => {
    if (method === 'POST' && path === '/_local/bus/outage') {
      let on: unknown;
      try {
        on = JSON.parse(body || '{}').on;
      } catch {
        on = undefined;
      }
      if (typeof on !== 'boolean') return reply(400, { error: { code: 'VALIDATION_FAILED', message: 'on: true or false', field: 'on' } });
      c.bus.outage = on;
      return reply(200, { outage: on });
    }
    if (method === 'POST' && path === '/_local/replay') return reply(200, await c.replay());
    if (method === 'POST' && path === '/_local/wechatpay/pay') {
      // the buyer pays in WeChat; the notification is sent as `mode` says (npm run pay)
      let input: { orderId?: unknown; mode?: unknown; delaySeconds?: unknown; afterExpiry?: unknown };
      try {
        input = JSON.parse(body || '{}');
      } catch {
        input = {};
      }
      const modes: NotifyMode[] = ['normal', 'drop', 'duplicate', 'delay', 'tamper'];
      if (typeof input.orderId !== 'string' || !input.orderId) return reply(400, { error: { code: 'VALIDATION_FAILED', message: 'orderId: the order to pay', field: 'orderId' } });
      if (input.mode !== undefined && !modes.includes(input.mode as NotifyMode)) return reply(400, { error: { code: 'VALIDATION_FAILED', message: `mode: one of ${modes.join(', ')}`, field: 'mode' } });
      if (input.delaySeconds !== undefined && !(typeof input.delaySeconds === 'number' && input.delaySeconds >= 0 && input.delaySeconds <= 86_400)) return reply(400, { error: { code: 'VALIDATION_FAILED', message: 'delaySeconds: 0 to 86400', field: 'delaySeconds' } });
      const paid = c.wechatPay.pay(tradeNumber(input.orderId), {
        mode: (input.mode as NotifyMode | undefined) ?? (input.delaySeconds !== undefined ? 'delay' : 'normal'),
        ...(typeof input.delaySeconds === 'number' ? { delayMs: input.delaySeconds * 1000 } : {}),
        afterExpiry: input.afterExpiry === true,
      });
      return paid.ok ? reply(200, { orderId: input.orderId, transactionId: paid.transactionId }) : reply(409, { error: { code: 'ORDER_STATE_CONFLICT', message: paid.reason } });
    }
    if (method === 'POST' && path === '/_local/wechatpay/transfers') {
      // how the next transfers finish: succeed, fail, await-confirmation (the farmer confirms: …/confirm), lost-notification
      let mode: unknown;
      try {
        mode = JSON.parse(body || '{}').mode;
      } catch {
        mode = undefined;
      }
      const modes = ['succeed', 'fail', 'await-confirmation', 'lost-notification'];
      if (typeof mode !== 'string' || !modes.includes(mode)) return reply(400, { error: { code: 'VALIDATION_FAILED', message: `mode: one of ${modes.join(', ')}`, field: 'mode' } });
      c.wechatPay.transferMode = mode as typeof c.wechatPay.transferMode;
      return reply(200, { mode });
    }
    const confirm = /^\/_local\/wechatpay\/transfers\/([^/]+)\/confirm$/.exec(path);
    if (method === 'POST' && confirm) {
      return c.wechatPay.confirmTransfer(decodeURIComponent(confirm[1]!)) ? reply(200, { confirmed: confirm[1] }) : reply(409, { error: { code: 'ORDER_STATE_CONFLICT', message: `no transfer ${confirm[1]} waiting for confirmation` } });
    }
    if (method === 'POST' && path === '/_local/wechatpay/rotate') return reply(200, { signingSerial: c.wechatPay.rotatePlatformKey(), serials: c.wechatPay.platform.map((k) => k.serial) });
    if (method === 'POST' && path === '/_local/events') {
      let envelope: Partial<BusEnvelope>;
      try {
        envelope = JSON.parse(body);
      } catch {
        return reply(400, { error: { code: 'VALIDATION_FAILED', message: 'body: an EventBridge event envelope (JSON)' } });
      }
      if (typeof envelope.source !== 'string' || typeof envelope['detail-type'] !== 'string' || typeof envelope.detail !== 'object' || !envelope.detail) {
        return reply(400, { error: { code: 'VALIDATION_FAILED', message: 'body: needs source, detail-type and detail', field: 'body' } });
      }
      const event = c.bus.envelope(envelope as BusEnvelope);
      c.bus.put('default', event);
      return reply(202, { id: event.id });
    }
    const ivsAction = /^\/_local\/ivs\/([^/]+)\/(live|offline)$/.exec(path);
    if (method === 'POST' && ivsAction) {
      const [, channelId, action] = ivsAction;
      if (!c.ivs.channel(channelId!)) return reply(404, { error: { code: 'NOT_FOUND', message: `no channel ${channelId}`, field: 'channelId' } });
      return reply(200, { channelId, live: action === 'live', ...(action === 'live' ? c.ivs.goLive(channelId!) : c.ivs.goOffline(channelId!)) });
    }
    if (method === 'GET' && path === '/_local/state') {
      return reply(200, {
        province: c.provinceId,
        clockSpeed: c.clock.speed,
        channels: c.channels.map((ch) => ({ channelId: ch.channelId, countyId: ch.countyId, live: c.ivs.isLive(ch.channelId) })),
        metadataSent: c.ivs.metadata,
        ivsThrottled: c.ivs.throttled,
        wechatPay: {
          appId: c.wechatPay.appId,
          mchId: c.wechatPay.mchId,
          trades: [...c.wechatPay.trades.values()].slice(-200).map((t) => ({ outTradeNo: t.outTradeNo, state: t.state, totalFen: t.totalFen, transactionId: t.transactionId, refunds: t.refunds.size })),
          transfers: [...c.wechatPay.transfers.values()].slice(-200).map((t) => ({ outBillNo: t.outBillNo, state: t.state, amountFen: t.amountFen })),
          transferMode: c.wechatPay.transferMode,
          notifications: c.wechatPay.sent.slice(-100),
        },
        iamRefused: c.iamRefused,
        now: new Date().toISOString(),
        memory: { rssMb: Math.round(process.memoryUsage().rss / 2 ** 20) },
        deadLetters: c.bus.deadLetters,
        eventsDelivered: c.bus.delivered.length,
        streams: c.streams(),
      });
    }
    if (method === 'GET' && path === '/_local/cognito/.well-known/jwks.json') return reply(200, c.idp.jwks());
    if (method === 'GET' && path === '/_local/events') {
      // the events on the province bus (newest last), optionally only those an EventBridge pattern matches
      const pattern = query.get('pattern');
      let matches: (e: BusEnvelope) => boolean = () => true;
      if (pattern) {
        try {
          const parsed = JSON.parse(pattern);
          matches = (e) => matchesEventPattern(parsed, e);
        } catch {
          return reply(400, { error: { code: 'VALIDATION_FAILED', message: 'pattern: an EventBridge event pattern (JSON)', field: 'pattern' } });
        }
      }
      // ?after=<event id>: the events put after that one, oldest first (to page through the log;
      // `after=` empty starts at the oldest); without it, the latest ones. At most ?limit= (default and maximum 1,000) per answer.
      const limit = query.has('limit') ? Number(query.get('limit')) : 1000;
      if (!(Number.isInteger(limit) && limit >= 1 && limit <= 1000)) return reply(400, { error: { code: 'VALIDATION_FAILED', message: 'limit: a whole number from 1 to 1000', field: 'limit' } });
      const after = query.get('after');
      const log = c.bus.recent;
      const from = after === null || after === '' ? 0 : log.findIndex((r) => r.event.id === after) + 1;
      if (from === 0 && after) return reply(400, { error: { code: 'VALIDATION_FAILED', message: `after: no event ${after} in the bus log`, field: 'after' } });
      const found = log.slice(from).filter((r) => r.bus === c.busName && matches(r.event)).map((r) => r.event);
      const events = after === null ? found.slice(-limit) : found.slice(0, limit);
      return reply(200, { events, ...(after !== null && found.length > limit ? { next: events.at(-1)!.id } : {}) });
    }
    const playback = /^\/_local\/playback\/([^/]+)\.m3u8$/.exec(path);
    if (method === 'GET' && playback) return reply(200, { note: 'the local province has no video; IVS plays it in the cloud', channelId: playback[1] });
    return reply(404, { message: 'Not Found' });
  };
}
