/**
 * The local province's clock. With `--clock-speed N`, time inside the process runs N times
 * faster than the wall clock from the moment the province starts: grace periods, reservation
 * timeouts and settlement cut-offs pass N times sooner, and schedules fire N times as often.
 * Installed once, process-wide (handlers call `new Date()` and `Date.now()` as they do in Lambda).
 * A province restarted on its `--data` resumes its clock (`resumeAt`): time never goes backwards.
 */
const RealDate = Date;

export interface Clock {
  speed: number;
  /** Real milliseconds for a span of virtual time. */
  real(virtualMs: number): number;
}

let installed: Clock | undefined;

export function installClock(speed: number, resumeAt?: number): Clock {
  if (installed) {
    if (installed.speed !== speed) throw new Error(`the clock already runs at ${installed.speed}×`);
    return installed;
  }
  if (!(speed >= 1 && speed <= 10_000)) throw new Error(`--clock-speed must be between 1 and 10000 (got ${speed})`);
  installed = { speed, real: (ms) => ms / speed };
  const origin = RealDate.now();
  const start = Math.max(origin, resumeAt ?? origin);
  if (speed === 1 && start === origin) return installed;
  const virtualNow = () => start + (RealDate.now() - origin) * speed;
  class ScaledDate extends RealDate {
    constructor(...args: unknown[]) {
      if (args.length === 0) super(virtualNow());
      else super(...(args as [string | number | Date]));
    }
    static override now(): number {
      return virtualNow();
    }
  }
  globalThis.Date = ScaledDate as DateConstructor;
  return installed;
}
