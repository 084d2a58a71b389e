/**
 * Shows and their lifecycle: SCHEDULED → LIVE → ENDED, or CANCELLED for a show that never started.
 *
 * IVS tells us about streams through events that may be duplicated, late, out of order or
 * missing. So a show keeps the *set* of what it has learned about its streams (first start, last
 * end per stream id) and its status is derived from that set, never from the order of arrival:
 * the show is on air from its first known start through every stream that begins within the
 * grace period of the previous one's end; it has ended once the grace period after the last of
 * those ends has passed. A stream is implicitly over when a later one starts (IVS runs one
 * stream per channel at a time); a stream known only by its end never started (or has not yet
 * been heard starting) and ends nothing. ENDED and CANCELLED are final.
 */
import { DomainError } from './errors.js';
import type { Fen } from './money.js';

export type ShowStatus = 'SCHEDULED' | 'LIVE' | 'ENDED' | 'CANCELLED';
export const FINAL_STATUSES: readonly ShowStatus[] = ['ENDED', 'CANCELLED'];

export interface LineupEntry {
  productId: string;
  showPriceFen: Fen;
  /** Spread the product's stock over this many items (1 = one item; 16 for a flash sale). */
  stockShards?: number;
}

/** What is known of one IVS stream: its earliest start and latest end. */
export interface StreamSpan {
  start?: string;
  end?: string;
}

export interface Spotlight {
  productId: string;
  showPriceFen: Fen;
  seq: number;
  at: string;
}

export interface Show {
  showId: string;
  countyId: string;
  channelId: string;
  channelArn: string;
  title: string;
  scheduledStart: string;
  status: ShowStatus;
  lineup: LineupEntry[];
  createdAt: string;
  streams: Record<string, StreamSpan>;
  /** First time reconciliation found the channel not broadcasting while the show was on air. */
  offlineSince?: string;
  startedAt?: string;
  /** The IVS streams that made up the show so far, in order. */
  streamIds?: string[];
  /** When the broadcast stopped; the show ends once the grace period after it has passed. */
  broadcastEndedAt?: string;
  endedAt?: string;
  endedBy?: 'stream' | 'operator' | 'reconciliation';
  spotlight?: Spotlight;
  /** Optimistic-concurrency version, bumped by every write. */
  version: number;
}

/** Statuses in which the lineup may still change. */
export const LINEUP_EDITABLE: readonly ShowStatus[] = ['SCHEDULED', 'LIVE'];

export function scheduleShow(
  input: Pick<Show, 'showId' | 'countyId' | 'channelId' | 'channelArn' | 'title' | 'scheduledStart' | 'lineup'>,
  now: Date,
): Show {
  return { ...input, status: 'SCHEDULED', createdAt: now.toISOString(), streams: {}, version: 0 };
}

export function lineupEntry(show: Show, productId: string): LineupEntry | undefined {
  return show.lineup.find((e) => e.productId === productId);
}

export const isFinal = (show: Show) => FINAL_STATUSES.includes(show.status);

/** A stream fact taken from an IVS event (or from ListStreams during reconciliation). */
export interface StreamSignal {
  kind: 'start' | 'end';
  streamId: string;
  time: string;
}

/** IVS Stream State Change event names → what they say about the stream. */
export function signalKind(eventName: string): StreamSignal['kind'] | undefined {
  switch (eventName) {
    case 'Stream Start':
    case 'Stream Takeover':
      return 'start';
    case 'Stream End':
    case 'Stream Failure':
    case 'Session Ended':
      return 'end';
    default:
      return undefined; // Session Created, Stream Takeover Failure: nothing to learn
  }
}

const min = (a: string | undefined, b: string) => (a === undefined || Date.parse(b) < Date.parse(a) ? b : a);
const max = (a: string | undefined, b: string) => (a === undefined || Date.parse(b) > Date.parse(a) ? b : a);

/** Merges a signal into what the show knows. Idempotent and order-independent. */
export function recordSignal(show: Show, signal: StreamSignal): Show {
  if (isFinal(show)) return show;
  const span = show.streams[signal.streamId] ?? {};
  const next: StreamSpan = signal.kind === 'start' ? { ...span, start: min(span.start, signal.time) } : { ...span, end: max(span.end, signal.time) };
  const merged: Show = { ...show, streams: { ...show.streams, [signal.streamId]: next } };
  if (signal.kind === 'start' && show.offlineSince && Date.parse(signal.time) >= Date.parse(show.offlineSince)) delete merged.offlineSince;
  return merged;
}

/** Reconciliation found the channel not broadcasting at `at`. */
export function observeOffline(show: Show, at: Date): Show {
  if (isFinal(show) || show.offlineSince) return show;
  return { ...show, offlineSince: at.toISOString() };
}

export interface AirSpan {
  startedAt: string;
  /** Undefined while a stream is open. */
  broadcastEndedAt?: string;
  streamIds: string[];
}

/**
 * The show's time on air, from the set of stream facts: the first connected run of streams
 * whose gaps are within the grace period. Streams beginning after a longer gap belong to a
 * later show on the channel.
 */
export function airSpan(show: Pick<Show, 'streams' | 'offlineSince'>, graceMs: number): AirSpan | undefined {
  // only streams known to have started are on air: an end alone (a session IVS refused, e.g.
  // MultitrackInputNotAllowed, or an end whose start is still on its way) ends nothing
  const known = Object.entries(show.streams)
    .filter((entry): entry is [string, StreamSpan & { start: string }] => entry[1].start !== undefined)
    .map(([streamId, s]) => ({ streamId, start: s.start, end: s.end }))
    .sort((a, b) => Date.parse(a.start) - Date.parse(b.start) || a.streamId.localeCompare(b.streamId));
  if (known.length === 0) return undefined;
  // A stream without a known end is over when the next one starts (one stream per channel).
  const spans = known.map((s, i) => {
    const next = known[i + 1];
    const end = s.end !== undefined ? Date.parse(s.end) : next ? Date.parse(next.start) : Number.POSITIVE_INFINITY;
    return { streamId: s.streamId, start: Date.parse(s.start), end: Math.max(end, Date.parse(s.start)) };
  });
  const first = spans[0]!;
  let end = first.end;
  const streamIds = [first.streamId];
  for (const s of spans.slice(1)) {
    if (s.start > end + graceMs) break;
    end = Math.max(end, s.end);
    streamIds.push(s.streamId);
  }
  if (end === Number.POSITIVE_INFINITY && show.offlineSince) {
    const lastStart = Math.max(...spans.filter((s) => streamIds.includes(s.streamId)).map((s) => s.start));
    if (Date.parse(show.offlineSince) >= lastStart) end = Date.parse(show.offlineSince);
  }
  return {
    startedAt: new Date(first.start).toISOString(),
    broadcastEndedAt: Number.isFinite(end) ? new Date(end).toISOString() : undefined,
    streamIds,
  };
}

/** Does this signal belong to the show's own time on air (rather than to a later show)? */
export function belongsToShow(show: Show, signal: StreamSignal, graceMs: number): boolean {
  if (show.streams[signal.streamId]) return true;
  // the end of a stream never seen starting: kept by the live show until its start arrives (if it
  // ever does); alone it changes nothing
  if (signal.kind === 'end') return show.status === 'LIVE';
  const span = airSpan(recordSignal({ ...show, status: 'LIVE' }, signal), graceMs);
  return span?.streamIds.includes(signal.streamId) ?? false;
}

/**
 * What the known facts say of a show that has not ended: on air (LIVE) from its first known
 * stream, with its start, its streams and, once it stopped, when the broadcast stopped. An IVS
 * event handler only learns facts and brings a show on air with this, never ends it, so that
 * events arriving in any order converge on the same show.
 */
export function deriveOnAir(show: Show, graceMs: number): Show {
  if (isFinal(show)) return show;
  const span = airSpan(show, graceMs);
  if (!span) return show;
  const next: Show = { ...show, status: 'LIVE', startedAt: span.startedAt, streamIds: span.streamIds };
  if (span.broadcastEndedAt) next.broadcastEndedAt = span.broadcastEndedAt;
  else delete next.broadcastEndedAt;
  return next;
}

/**
 * The status the known facts imply at `now`: SCHEDULED → LIVE, and LIVE → ENDED once the grace
 * period after the broadcast stopped has passed. Final statuses stay. Only the sweep, which
 * runs every minute and checks the channel with IVS, decides a show is over.
 */
export function deriveStatus(show: Show, now: Date, graceMs: number): Show {
  const onAir = deriveOnAir(show, graceMs);
  if (onAir.status !== 'LIVE' || onAir.broadcastEndedAt === undefined) return onAir;
  if (now.getTime() < Date.parse(onAir.broadcastEndedAt) + graceMs) return onAir;
  const endedBy = show.offlineSince && onAir.broadcastEndedAt === show.offlineSince ? 'reconciliation' : 'stream';
  return { ...onAir, status: 'ENDED', endedAt: onAir.broadcastEndedAt, endedBy };
}

/** What an IVS event does to a show: learn the fact, go LIVE if it is the first. */
export function applySignal(show: Show, signal: StreamSignal, graceMs: number): Show {
  return deriveOnAir(recordSignal(show, signal), graceMs);
}

/** An operator ends the show at once: LIVE → ENDED, SCHEDULED → CANCELLED. */
export function endByOperator(show: Show, now: Date): Show {
  if (isFinal(show)) return show;
  const at = now.toISOString();
  if (show.status === 'SCHEDULED' && Object.keys(show.streams).length === 0) {
    return { ...show, status: 'CANCELLED', endedAt: at, endedBy: 'operator' };
  }
  return { ...show, status: 'ENDED', startedAt: show.startedAt ?? at, endedAt: at, endedBy: 'operator' };
}

/** Puts a lineup product in the spotlight; only while LIVE. */
export function spotlightProduct(show: Show, productId: string, now: Date): Spotlight {
  if (show.status !== 'LIVE') {
    throw new DomainError('SHOW_NOT_LIVE', `show ${show.showId} is ${show.status}; the spotlight is for live shows`, 'showId');
  }
  const entry = lineupEntry(show, productId);
  if (!entry) throw new DomainError('NOT_IN_LINEUP', `productId: product ${productId} is not in the lineup of show ${show.showId}`, 'productId');
  return { productId, showPriceFen: entry.showPriceFen, seq: (show.spotlight?.seq ?? 0) + 1, at: now.toISOString() };
}

/** The timed-metadata payload viewers' players receive (small, versioned, ≤ 1 KB). */
export function spotlightMetadata(show: Show, spotlight: Spotlight): string {
  return JSON.stringify({
    v: 1,
    type: 'spotlight',
    showId: show.showId,
    productId: spotlight.productId,
    showPriceFen: spotlight.showPriceFen,
    seq: spotlight.seq,
  });
}
