/**
 * A local EventBridge: buses, rules matched with the documented pattern semantics, targets invoked
 * asynchronously with retries and a dead-letter log, scheduled rules on the (possibly sped-up)
 * clock, and an HTTP endpoint speaking the PutEvents protocol so handlers use the real
 * `@aws-sdk/client-eventbridge` with only an endpoint override.
 */
import { randomUUID } from 'node:crypto';
import { appendFileSync, mkdirSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { dirname } from 'node:path';
import type { Clock } from './clock.js';
import { matchesEventPattern } from './event-pattern.js';
import type { BusLogEntry } from './journal.js';

export interface BusEnvelope {
  version: string;
  id: string;
  'detail-type': string;
  source: string;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: Record<string, unknown>;
}

export interface LocalRule {
  id: string;
  bus: string;
  pattern: Record<string, unknown>;
  target: (event: BusEnvelope) => Promise<unknown>;
  /** Virtual ms each event is held before the target sees it (a delay queue's delivery delay). */
  delayMs?: number;
  /** As the delay queue receives: a delivery not finished comes back after `visibilityMs`, up to `maxReceives` times. */
  queue?: { visibilityMs: number; maxReceives: number };
}

export interface LocalSchedule {
  id: string;
  /** rate(N minute|minutes|hour|hours|day|days) */
  expression: string;
  target: (event: BusEnvelope) => Promise<unknown>;
}

export interface DeadLetter { rule: string; event: BusEnvelope; error: string; at: string }

/** How many of the latest events `recent` keeps in memory (the journal, with `--data`, keeps them all on disk). */
const RECENT_EVENTS = 20_000;

/** Lambda async invocation: the first try plus this many retries. */
const ASYNC_RETRIES = 2;

export function rateMs(expression: string): number {
  const m = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/.exec(expression);
  if (!m) throw new Error(`unsupported schedule expression ${expression} (the local province runs rate() schedules)`);
  const unit = { minute: 60_000, minutes: 60_000, hour: 3_600_000, hours: 3_600_000, day: 86_400_000, days: 86_400_000 }[m[2] as 'minute'];
  return Number(m[1]) * unit;
}

/** EventBridge envelope times have second precision. */
export const envelopeTime = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

export class LocalEventBus {
  readonly deadLetters: DeadLetter[] = [];
  readonly delivered: { rule: string; event: BusEnvelope }[] = [];
  /** The latest events put on each bus, newest last (for integrators watching what is published). */
  readonly recent: { bus: string; event: BusEnvelope }[] = [];
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly holding = new Set<NodeJS.Timeout>();
  private inFlight = new Set<Promise<unknown>>();

  constructor(
    private readonly options: {
      rules: LocalRule[];
      schedules: LocalSchedule[];
      clock: Clock;
      region: string;
      account: string;
      deadLetterFile?: string;
      onError: (message: string, details: Record<string, unknown>) => void;
      /** Retry backoff base in virtual ms (Lambda waits about a minute, then two). */
      retryDelayMs?: number;
      /**
       * Where every put and every delivery is written down (with `--data`): a restarted bus
       * shows the events of earlier runs and delivers what it still owed when it was stopped.
       */
      journal?: { appendBus(entry: BusLogEntry): void; readBus(): BusLogEntry[] };
    },
  ) {}

  start(): void {
    this.resumeFromJournal();
    for (const schedule of this.options.schedules) {
      const every = this.options.clock.real(rateMs(schedule.expression));
      let running = false; // one sweep at a time per schedule, as a slow Lambda would overlap less
      this.timers.push(
        setInterval(() => {
          if (running) return;
          running = true;
          const event = this.envelope({ source: 'aws.events', 'detail-type': 'Scheduled Event', detail: {}, resources: [`arn:aws:events:${this.options.region}:${this.options.account}:rule/${schedule.id}`] });
          void this.invoke(schedule.id, schedule.target, event).finally(() => (running = false));
        }, Math.max(20, every)),
      );
    }
  }

  async stop(): Promise<void> {
    this.timers.forEach(clearInterval);
    this.holding.forEach(clearTimeout);
    this.holding.clear();
    await Promise.allSettled([...this.inFlight]);
  }

  /** Waits until every delivery under way has finished (for tests and the demo). */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  envelope(e: Pick<BusEnvelope, 'source' | 'detail-type' | 'detail'> & Partial<BusEnvelope>): BusEnvelope {
    return {
      version: '0',
      id: e.id ?? randomUUID(),
      'detail-type': e['detail-type'],
      source: e.source,
      account: e.account ?? this.options.account,
      time: e.time ?? envelopeTime(new Date()),
      region: e.region ?? this.options.region,
      resources: e.resources ?? [],
      detail: e.detail,
    };
  }

  /** Puts an event on a bus: every matching rule's target is invoked asynchronously. */
  put(bus: string, event: BusEnvelope): void {
    this.options.journal?.appendBus({ put: bus, event }); // written down before PutEvents answers
    this.remember(bus, event);
    for (const rule of this.options.rules) {
      if (rule.bus !== bus || !matchesEventPattern(rule.pattern, event)) continue;
      this.delivered.push({ rule: rule.id, event });
      this.deliver(rule, event);
    }
  }

  /** Now, or after the rule's delay (a timer the bus's stop clears: a restart on `--data` delivers it from the journal). */
  private deliver(rule: LocalRule, event: BusEnvelope): void {
    if (!rule.delayMs) {
      void this.invoke(rule.id, rule.target, event);
      return;
    }
    const queued = rule.queue ? { ...rule, queue: rule.queue } : undefined;
    this.hold(rule.delayMs, () => (queued ? this.receive(queued, event, 1) : this.invoke(rule.id, rule.target, event)));
  }

  /** Runs `then` after `virtualMs` of province time, unless the bus stops first. */
  private hold(virtualMs: number, then: () => Promise<void>): void {
    const timer = setTimeout(() => {
      this.holding.delete(timer);
      void then();
    }, this.options.clock.real(virtualMs));
    this.holding.add(timer);
  }

  /** Deliveries a delayed rule is still holding back. */
  get held(): number {
    return this.holding.size;
  }

  private remember(bus: string, event: BusEnvelope): void {
    this.recent.push({ bus, event });
    if (this.recent.length > RECENT_EVENTS) this.recent.splice(0, this.recent.length - RECENT_EVENTS);
  }

  /** The events of earlier runs, and every delivery a rule had not finished (at least once, as EventBridge). */
  private resumeFromJournal(): void {
    const entries = this.options.journal?.readBus() ?? [];
    const finished = new Set<string>();
    const events = new Map(entries.flatMap((e) => ('put' in e ? [[e.event.id, e.event] as const] : [])));
    for (const entry of entries) {
      if ('done' in entry) finished.add(`${entry.rule} ${entry.done}`);
      if ('dead' in entry) {
        finished.add(`${entry.rule} ${entry.dead}`);
        const event = events.get(entry.dead);
        if (event) this.deadLetters.push({ rule: entry.rule, event, error: entry.error, at: entry.at });
      }
    }
    for (const entry of entries) {
      if (!('put' in entry)) continue;
      this.remember(entry.put, entry.event);
      for (const rule of this.options.rules) {
        if (rule.bus !== entry.put || finished.has(`${rule.id} ${entry.event.id}`) || !matchesEventPattern(rule.pattern, entry.event)) continue;
        this.delivered.push({ rule: rule.id, event: entry.event });
        this.deliver(rule, entry.event);
      }
    }
  }

  private invoke(ruleId: string, target: (e: BusEnvelope) => Promise<unknown>, event: BusEnvelope): Promise<void> {
    return this.track((async () => {
      let lastError: unknown;
      for (let attempt = 0; attempt <= ASYNC_RETRIES; attempt++) {
        if (attempt > 0) await new Promise((r) => setTimeout(r, this.options.clock.real((this.options.retryDelayMs ?? 60_000) * attempt)));
        try {
          await target(structuredClone(event));
          this.options.journal?.appendBus({ done: event.id, rule: ruleId });
          return;
        } catch (error) {
          lastError = error;
        }
      }
      this.deadLetter(ruleId, event, lastError, 'event dead-lettered after retries');
    })());
  }

  /**
   * A delayed rule's delivery, as its queue makes it: one receive; not finished (the target threw),
   * it is held again for the queue's visibility timeout, up to its most receives, then dead-lettered.
   */
  private receive(rule: LocalRule & { queue: NonNullable<LocalRule['queue']> }, event: BusEnvelope, receive: number): Promise<void> {
    return this.track((async () => {
      try {
        await rule.target(structuredClone(event));
        this.options.journal?.appendBus({ done: event.id, rule: rule.id });
      } catch (error) {
        if (receive < rule.queue.maxReceives) this.hold(rule.queue.visibilityMs, () => this.receive(rule, event, receive + 1));
        else this.deadLetter(rule.id, event, error, `event dead-lettered after ${receive} receives`);
      }
    })());
  }

  private track(run: Promise<void>): Promise<void> {
    this.inFlight.add(run);
    void run.finally(() => this.inFlight.delete(run));
    return run;
  }

  private deadLetter(ruleId: string, event: BusEnvelope, error: unknown, message: string): void {
    const letter = { rule: ruleId, event, error: String((error as Error)?.message ?? error), at: new Date().toISOString() };
    this.deadLetters.push(letter);
    this.options.journal?.appendBus({ dead: event.id, rule: ruleId, error: letter.error, at: letter.at });
    this.options.onError(message, { rule: ruleId, error: letter.error, eventId: event.id });
    if (this.options.deadLetterFile) {
      mkdirSync(dirname(this.options.deadLetterFile), { recursive: true });
      appendFileSync(this.options.deadLetterFile, JSON.stringify(letter) + '\n');
    }
  }


  /** The EventBridge PutEvents API (AWS JSON 1.1), as the SDK speaks it. */
  /** A simulated outage: PutEvents answers 503 while it lasts. */
  outage = false;

  async handleHttp(req: IncomingMessage, res: ServerResponse, body: string, busNames: Record<string, string>): Promise<void> {
    const target = String(req.headers['x-amz-target'] ?? '');
    const reply = (status: number, payload: unknown, type?: string) => {
      res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1', ...(type ? { 'x-amzn-errortype': type } : {}) });
      res.end(JSON.stringify(payload));
    };
    if (this.outage) {
      // as EventBridge answers when it cannot take events (the SDK retries, then the caller sees it)
      return reply(503, { __type: 'ServiceUnavailableException', message: 'the local bus is in a simulated outage (POST /_local/bus/outage)' }, 'ServiceUnavailableException');
    }
    if (target !== 'AWSEvents.PutEvents') {
      return reply(400, { __type: 'UnknownOperationException', message: `the local bus speaks PutEvents only (got ${target || 'no X-Amz-Target'})` }, 'UnknownOperationException');
    }
    let input: { Entries?: Record<string, unknown>[] };
    try {
      input = JSON.parse(body);
    } catch {
      return reply(400, { __type: 'SerializationException', message: 'body is not JSON' }, 'SerializationException');
    }
    const entries = input.Entries ?? [];
    if (entries.length < 1 || entries.length > 10) {
      return reply(400, { __type: 'ValidationException', message: 'PutEvents takes 1 to 10 entries' }, 'ValidationException');
    }
    const results = entries.map((entry) => {
      const busName = String(entry.EventBusName ?? 'default');
      const bus = busNames[busName] ?? (busName.startsWith('arn:') ? busNames[busName.split('/').pop()!] : undefined);
      if (!bus) return { ErrorCode: 'ResourceNotFoundException', ErrorMessage: `Event bus ${busName} does not exist.` };
      if (typeof entry.Source !== 'string' || !entry.Source) return { ErrorCode: 'InvalidArgument', ErrorMessage: 'Parameter Source is not valid.' };
      if (typeof entry.DetailType !== 'string' || !entry.DetailType) return { ErrorCode: 'InvalidArgument', ErrorMessage: 'Parameter DetailType is not valid.' };
      let detail: unknown;
      try {
        detail = JSON.parse(String(entry.Detail ?? '{}'));
      } catch {
        return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' };
      }
      if (!detail || typeof detail !== 'object' || Array.isArray(detail)) return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' };
      if (Buffer.byteLength(JSON.stringify(entry)) > 1024 * 1024) return { ErrorCode: 'InvalidArgument', ErrorMessage: 'Entry size exceeds 1 MB.' };
      const event = this.envelope({
        source: entry.Source,
        'detail-type': entry.DetailType,
        detail: detail as Record<string, unknown>,
        resources: (entry.Resources as string[] | undefined) ?? [],
        ...(typeof entry.Time === 'number' ? { time: envelopeTime(new Date(entry.Time * 1000)) } : {}),
      });
      this.put(bus, event);
      return { EventId: event.id };
    });
    reply(200, { FailedEntryCount: results.filter((r) => 'ErrorCode' in r).length, Entries: results });
  }
}
