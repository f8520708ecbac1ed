/**
 * Timestamps with microsecond precision.
 *
 * PostgreSQL keeps microseconds and the platform's wire format shows six
 * fractional digits; a JS `Date` keeps only milliseconds. An `Instant` is a
 * `Date`-sized millisecond part plus the microseconds within it, so nothing is
 * rounded on the way between the database and the wire.
 */
export class Instant {
  private constructor(
    /** Milliseconds since the epoch (whole). */
    readonly epochMs: number,
    /** Microseconds within that millisecond, 0–999. */
    readonly micros: number,
  ) {}

  static fromParts(epochMs: number, micros = 0): Instant {
    const ms = Math.floor(epochMs);
    if (!Number.isFinite(ms) || !Number.isInteger(micros) || micros < 0 || micros > 999) {
      throw new RangeError('invalid instant');
    }
    return new Instant(ms, micros);
  }

  static fromDate(date: Date): Instant {
    return Instant.fromParts(date.getTime(), 0);
  }

  /**
   * Parses an ISO 8601 / RFC 3339 timestamp with an explicit zone (`Z` or
   * `±HH:MM`) and up to six fractional digits, or PostgreSQL's text output
   * (`2026-12-01 10:15:30.123456+00`). Returns `null` for anything else,
   * including what PostgreSQL could not take back: a zone offset beyond
   * ±15:59:59, or an instant outside years 1 to 9999 in UTC.
   */
  static parse(text: string): Instant | null {
    const m = TIMESTAMP_RE.exec(text);
    if (!m) return null;
    const [, y, mo, d, h, mi, s, frac = '', zone] = m;
    // Date.UTC would read years 0–99 as 1900–1999; setUTCFullYear takes the year as written.
    const date = new Date(0);
    date.setUTCFullYear(+y, +mo - 1, +d);
    date.setUTCHours(+h, +mi, +s, 0);
    const asWritten = [date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate(), date.getUTCHours(), date.getUTCMinutes(), date.getUTCSeconds()];
    if (asWritten.join() !== [+y, +mo, +d, +h, +mi, +s].join()) return null;
    const digits = (frac + '000000').slice(0, 6);
    const fracMs = Number(digits.slice(0, 3));
    const micros = Number(digits.slice(3));
    let offsetMs = 0;
    if (zone !== 'Z' && zone !== 'z') {
      const zm = /^([+-])(\d{2})(?::?(\d{2}))?(?::?(\d{2}))?$/.exec(zone);
      if (!zm) return null;
      const [hours, minutes, seconds] = [+zm[2], +(zm[3] ?? 0), +(zm[4] ?? 0)];
      if (hours > MAX_OFFSET_HOURS || minutes > 59 || seconds > 59) return null;
      offsetMs = (zm[1] === '-' ? -1 : 1) * ((hours * 60 + minutes) * 60 + seconds) * 1000;
    }
    const epochMs = date.getTime() + fracMs - offsetMs;
    if (epochMs < MIN_EPOCH_MS || epochMs > MAX_EPOCH_MS) return null;
    return new Instant(epochMs, micros);
  }

  /** `2027-04-28T01:41:40.503790Z`: always UTC, always six fractional digits. */
  toISOString(): string {
    const base = new Date(this.epochMs).toISOString(); // ...T01:41:40.503Z
    return `${base.slice(0, -1)}${String(this.micros).padStart(3, '0')}Z`;
  }

  toJSON(): string {
    return this.toISOString();
  }

  /** Used by `pg` when the instant is a query parameter. */
  toPostgres(): string {
    return this.toISOString();
  }

  toDate(): Date {
    return new Date(this.epochMs);
  }

  plusSeconds(seconds: number): Instant {
    return new Instant(this.epochMs + seconds * 1000, this.micros);
  }

  compare(other: Instant): number {
    return this.epochMs - other.epochMs || this.micros - other.micros;
  }

  isBefore(other: Instant): boolean {
    return this.compare(other) < 0;
  }

  equals(other: Instant): boolean {
    return this.compare(other) === 0;
  }
}

/** PostgreSQL refuses zone offsets beyond ±15:59:59. */
const MAX_OFFSET_HOURS = 15;
/** The instants this class can print in its four-digit-year format: 0001-01-01 to 9999-12-31, UTC. */
const MIN_EPOCH_MS = -62135596800000;
const MAX_EPOCH_MS = 253402300799999;

const TIMESTAMP_RE =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?(Z|z|[+-]\d{2}(?::?\d{2}){0,2})$/;

/** The platform's "not yet occurred" value for timestamps such as `tm_delete`. */
export const NOT_YET_OCCURRED = '9999-01-01T00:00:00.000000Z';

/** Where the service gets "now": a real clock in production, a controlled one in tests. */
export interface Clock {
  now(): Instant;
}

export const systemClock: Clock = {
  now(): Instant {
    // performance.now() has sub-millisecond resolution; anchored to the wall clock.
    const t = performance.timeOrigin + performance.now();
    const ms = Math.floor(t);
    return Instant.fromParts(ms, Math.min(999, Math.floor((t - ms) * 1000)));
  },
};
