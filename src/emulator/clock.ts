// The emulator's clock (design.md section 8). Everything timed in the fake cloud reads it:
// signature skew checks, nonce and ClientToken memory, quotas, timed state transitions, change
// orders. It runs on real time by default; tests freeze it and advance it instead of sleeping,
// in-process or through the admin API (/_emulator/clock).

export interface ClockState {
  /** The emulator's current time (ms since the epoch). */
  now: number;
  /** Frozen: time moves only when advanced or set. */
  frozen: boolean;
  /** How far the emulator's time is ahead of the machine's (ms; negative when behind). */
  offsetMs: number;
}

export class EmulatorClock {
  /** Added to the machine's time while running. */
  private offsetMs = 0;
  /** The emulator's time while frozen. */
  private frozenAt: number | undefined;

  constructor(private readonly realNow: () => number = () => Date.now()) {}

  now(): number {
    return this.frozenAt ?? this.realNow() + this.offsetMs;
  }

  /** Stops time at its current value (or at `at`). */
  freeze(at?: number): ClockState {
    this.frozenAt = at ?? this.now();
    return this.state();
  }

  /** Lets time run again from where it stands. */
  resume(): ClockState {
    if (this.frozenAt !== undefined) {
      this.offsetMs = this.frozenAt - this.realNow();
      this.frozenAt = undefined;
    }
    return this.state();
  }

  /** Moves time forward by `ms`, frozen or not. */
  advance(ms: number): ClockState {
    if (!(ms >= 0) || !Number.isFinite(ms)) throw new RangeError(`cannot advance the clock by ${ms} ms`);
    if (this.frozenAt !== undefined) this.frozenAt += ms;
    else this.offsetMs += ms;
    return this.state();
  }

  /** Sets the time to `at` (ms since the epoch), keeping it frozen or running as it was. */
  set(at: number): ClockState {
    if (!Number.isFinite(at)) throw new RangeError(`cannot set the clock to ${at}`);
    if (this.frozenAt !== undefined) this.frozenAt = at;
    else this.offsetMs = at - this.realNow();
    return this.state();
  }

  /** Back to the machine's real time. */
  reset(): ClockState {
    this.offsetMs = 0;
    this.frozenAt = undefined;
    return this.state();
  }

  state(): ClockState {
    return { now: this.now(), frozen: this.frozenAt !== undefined, offsetMs: this.now() - this.realNow() };
  }

  /** Takes over a saved state: a frozen clock stays frozen at its time, a running one keeps its offset. */
  restore(saved: Pick<ClockState, 'now' | 'frozen' | 'offsetMs'>): void {
    if (saved.frozen) this.frozenAt = saved.now;
    else {
      this.frozenAt = undefined;
      this.offsetMs = saved.offsetMs;
    }
  }
}
