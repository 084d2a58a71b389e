/**
 * What the local province must remember across a restart with `--data`, kept beside DynamoDB
 * Local's own files (in `<data>/province/`), so a restart carries on where the last run stopped:
 *  - the stream read positions (per table, per shard: the last record the consumer accepted),
 *  - the bus log (every event put on a bus, and each rule's delivery of it, done or dead-lettered):
 *    the log behind `GET /_local/events`, and the deliveries still owed after a crash,
 *  - the clock (with `--clock-speed`, virtual time never goes backwards across restarts),
 *  - the demo storefront issued on this data (its key keeps working, and sees its orders),
 *  - the WeChat Pay stand-in's keys and trades (the provider does not forget what was paid).
 * Appends and atomic renames only: a `kill -9` at any moment leaves a readable journal.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BusEnvelope } from './event-bus.js';
import type { SavedTrade, Transfer, WechatPayKeys } from './wechatpay.js';

/** One line of the bus log. */
export type BusLogEntry =
  | { put: string; event: BusEnvelope }
  | { done: string; rule: string }
  | { dead: string; rule: string; error: string; at: string };

/** How often the clock is written down (real ms). */
export const CLOCK_SAVE_MS = 500;
/** How far ahead of the clock it is written down (real ms): a stall of the event loop up to this long cannot make it go back. */
const CLOCK_LEASE_MS = 2_000;

export class ProvinceJournal {
  private readonly dir: string;

  constructor(dataPath: string) {
    this.dir = join(dataPath, 'province');
    mkdirSync(this.dir, { recursive: true });
  }

  private readJson<T>(name: string): T | undefined {
    const file = join(this.dir, name);
    return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as T) : undefined;
  }

  /** Whole-file replace: write aside, then rename (atomic on one file system). */
  private writeJson(name: string, value: unknown, mode?: number): void {
    const file = join(this.dir, name);
    writeFileSync(`${file}.next`, JSON.stringify(value), mode === undefined ? {} : { mode });
    renameSync(`${file}.next`, file);
  }

  /** Per shard, the sequence number of the last record the table's consumer accepted. */
  streamPositions(tableName: string): Record<string, string> {
    return this.readJson<Record<string, string>>(`stream-${tableName}.json`) ?? {};
  }

  saveStreamPositions(tableName: string, positions: Record<string, string>): void {
    this.writeJson(`stream-${tableName}.json`, positions);
  }

  /**
   * The virtual time to resume at: a lease written ahead of the clock (`saveClock`), so the process
   * may be killed at any moment, even after a stall of its event loop, and time still never goes back.
   */
  resumeClockAt(): number | undefined {
    return this.readJson<{ until: number }>('clock.json')?.until;
  }

  /** Writes down a time the clock will not reach before the next write: now plus a lease of CLOCK_LEASE_MS of real time. */
  saveClock(now: number, speed: number): void {
    this.writeJson('clock.json', { until: now + CLOCK_LEASE_MS * speed, speed });
  }

  /** The WeChat Pay stand-in's keys and the last state of each trade and transfer. */
  wechatPay(): { keys: WechatPayKeys; trades: SavedTrade[]; transfers: Transfer[] } | undefined {
    const keys = this.readJson<WechatPayKeys>('wechatpay-keys.json');
    if (!keys) return undefined;
    return {
      keys,
      trades: this.latest<SavedTrade>('wechatpay-trades.jsonl', (t) => t.outTradeNo),
      transfers: this.latest<Transfer>('wechatpay-transfers.jsonl', (t) => t.outBillNo),
    };
  }

  /** The last line written for each id of an append-only file (a line cut short by a kill is ignored). */
  private latest<T>(name: string, id: (x: T) => string): T[] {
    return [...new Map(this.jsonLines<T>(name).map((x) => [id(x), x])).values()];
  }

  /** The lines of an append-only file; a line cut short by a kill (never acknowledged) is ignored. */
  private jsonLines<T>(name: string): T[] {
    const file = join(this.dir, name);
    if (!existsSync(file)) return [];
    return readFileSync(file, 'utf8').split('\n').flatMap((line) => {
      try {
        return line ? [JSON.parse(line) as T] : [];
      } catch {
        return [];
      }
    });
  }

  saveWechatPayTransfer(transfer: Transfer): void {
    appendFileSync(join(this.dir, 'wechatpay-transfers.jsonl'), `${JSON.stringify(transfer)}\n`);
  }

  saveWechatPayKeys(keys: WechatPayKeys): void {
    this.writeJson('wechatpay-keys.json', keys, 0o600);
  }

  saveWechatPayTrade(trade: SavedTrade): void {
    appendFileSync(join(this.dir, 'wechatpay-trades.jsonl'), `${JSON.stringify(trade)}\n`);
  }

  storefront<T>(): T | undefined {
    return this.readJson<T>('storefront.json');
  }

  saveStorefront(storefront: unknown): void {
    this.writeJson('storefront.json', storefront, 0o600);
  }

  private get busLogFile(): string {
    return join(this.dir, 'bus.jsonl');
  }

  appendBus(entry: BusLogEntry): void {
    appendFileSync(this.busLogFile, `${JSON.stringify(entry)}\n`);
  }

  /** The bus log as written; a line cut short by a kill is ignored. */
  readBus(): BusLogEntry[] {
    return this.jsonLines<BusLogEntry>('bus.jsonl');
  }
}
