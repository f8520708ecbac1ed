import { invalidArgument } from '../errors';
import { hasLoneSurrogate } from '../validation';

/** One reported match, as a secret-scanning partner sends it. */
export interface LeakReportEntry {
  readonly token: string;
  readonly type: string;
  readonly url: string;
  /** Where it was found (content, commit, issue_comment, …); older senders leave it out. */
  readonly source: string | null;
}

/** Bounds on a report: the whole body, the number of matches, each field. */
export const LEAK_REPORT_LIMITS = {
  bodyBytes: 1024 * 1024,
  entries: 1000,
  fields: { token: 1024, type: 256, url: 4096, source: 256 },
} as const;

type Field = keyof typeof LEAK_REPORT_LIMITS.fields;

function text(entry: Record<string, unknown>, i: number, field: Field, optional = false): string | null {
  const value = entry[field];
  if (optional && (value === undefined || value === null)) return null;
  const max = LEAK_REPORT_LIMITS.fields[field];
  if (typeof value !== 'string' || value.length === 0 || value.length > max) {
    throw invalidArgument(`body[${i}].${field}`, `must be a string of 1 to ${max} characters`);
  }
  // PostgreSQL text cannot hold NUL.
  if (value.includes('\u0000')) throw invalidArgument(`body[${i}].${field}`, 'must not contain NUL characters');
  // An unpaired surrogate (`"\ud800"`) is no text: the audit event's `jsonb` would refuse it, and the
  // partner's retries would fail alike. A 400 tells the sender; nothing is recorded or changed.
  if (hasLoneSurrogate(value)) throw invalidArgument(`body[${i}].${field}`, 'must not contain unpaired UTF-16 surrogates');
  return value;
}

/**
 * Parses a leak report's raw body: a JSON array of at most 1000
 * `{"token", "type", "url", "source"}` objects (`source` may be absent).
 * Throws `INVALID_ARGUMENT` naming the field at fault; never echoes a token.
 */
export function parseLeakReport(body: Buffer): LeakReportEntry[] {
  let data: unknown;
  try {
    data = JSON.parse(body.toString('utf8'));
  } catch {
    throw invalidArgument('body', 'is not valid JSON');
  }
  if (!Array.isArray(data)) throw invalidArgument('body', 'must be a JSON array of {"token", "type", "url", "source"} objects');
  if (data.length > LEAK_REPORT_LIMITS.entries) throw invalidArgument('body', `must hold at most ${LEAK_REPORT_LIMITS.entries} matches`);
  return data.map((item: unknown, i) => {
    if (item === null || typeof item !== 'object' || Array.isArray(item)) throw invalidArgument(`body[${i}]`, 'must be an object');
    const entry = item as Record<string, unknown>;
    return { token: text(entry, i, 'token')!, type: text(entry, i, 'type')!, url: text(entry, i, 'url')!, source: text(entry, i, 'source', true) };
  });
}
