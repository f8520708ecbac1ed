import { Instant } from '../../src/time';
import type { Clock } from '../../src/time';

/** A clock the test moves by hand; never sleeps. */
export class TestClock implements Clock {
  private current: Instant;

  constructor(start = '2026-12-01T10:15:30.123456Z') {
    this.current = Instant.parse(start)!;
  }

  now(): Instant {
    return this.current;
  }

  set(iso: string): void {
    this.current = Instant.parse(iso)!;
  }

  advanceSeconds(seconds: number): void {
    this.current = this.current.plusSeconds(seconds);
  }

  /** Moves to the start of the next window of `seconds` (rate limits count in fixed windows aligned to the epoch). */
  toNextWindow(seconds: number): void {
    const ms = seconds * 1000;
    const now = this.current.epochMs;
    this.advanceSeconds(((Math.floor(now / ms) + 1) * ms - now) / 1000);
  }

  /** Moves forward by a number of microseconds (so consecutive creations differ). */
  tick(micros = 1): void {
    const total = this.current.micros + micros;
    this.current = Instant.fromParts(this.current.epochMs + Math.floor(total / 1000), total % 1000);
  }
}
