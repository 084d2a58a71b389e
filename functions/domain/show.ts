import { DomainError } from './errors.js';
import type { Fen } from './money.js';

export type ShowStatus = 'SCHEDULED' | 'LIVE' | 'ENDED' | 'CANCELLED';

export interface LineupEntry {
  productId: string;
  showPriceFen: Fen;
}

export interface Show {
  showId: string;
  countyId: string;
  channelId: string;
  title: string;
  scheduledStart: string;
  status: ShowStatus;
  lineup: LineupEntry[];
  createdAt: string;
  startedAt?: string;
  endedAt?: string;
}

/** Statuses in which the lineup may still change. */
export const LINEUP_EDITABLE: readonly ShowStatus[] = ['SCHEDULED', 'LIVE'];

export function scheduleShow(input: Omit<Show, 'status' | 'createdAt'>, now: Date): Show {
  return { ...input, status: 'SCHEDULED', createdAt: now.toISOString() };
}

export function assertLineupEditable(show: Show): void {
  if (!LINEUP_EDITABLE.includes(show.status)) {
    throw new DomainError('SHOW_CLOSED', `show ${show.showId} is ${show.status}; its lineup can no longer change`);
  }
}

/**
 * SCHEDULED → LIVE. The IVS-driven lifecycle (stream events, grace period, reconciliation)
 * builds on this transition.
 */
export function startShow(show: Show, at: Date): Show {
  if (show.status === 'LIVE') return show;
  if (show.status !== 'SCHEDULED') {
    throw new DomainError('SHOW_CLOSED', `show ${show.showId} is ${show.status} and cannot go live`);
  }
  return { ...show, status: 'LIVE', startedAt: at.toISOString() };
}

export function lineupEntry(show: Show, productId: string): LineupEntry | undefined {
  return show.lineup.find((e) => e.productId === productId);
}
