import { EXPIRY_PRESETS, expirySeconds, formatTime, keyStatus, safeNext } from '../../console/src/lib/keys';
import { match } from '../../console/src/lib/paths';

/** The logic that lives in the console (console/src/lib/), without a browser. */
const NOW = new Date('2027-01-10T12:00:00.000Z');
const FUTURE = '2027-06-01T00:00:00.000000Z';
const PAST = '2027-01-01T00:00:00.000000Z';

describe('keyStatus', () => {
  it.each([
    ['Live', { tmExpire: FUTURE, canary: false }],
    ['Canary', { tmExpire: FUTURE, canary: true }],
    ['Expired', { tmExpire: PAST, canary: false }],
    ['Expired', { tmExpire: '2027-01-10T12:00:00.000000Z', canary: false }],
    ['Disabled', { tmExpire: FUTURE, tmDisable: PAST, canary: false }],
    ['Disabled', { tmExpire: PAST, tmDisable: PAST, canary: true }],
    ['Deleted', { tmExpire: FUTURE, tmDisable: PAST, tmDelete: PAST, canary: true }],
    ['Deleted', { tmExpire: PAST, tmDelete: PAST, canary: false }],
  ] as const)('says %s for %j', (status, key) => {
    expect(keyStatus(key, NOW)).toBe(status);
  });
});

describe('expirySeconds', () => {
  it('gives each preset its length in seconds', () => {
    expect(EXPIRY_PRESETS.map((p) => [p.value, expirySeconds(p.value, '', NOW)])).toEqual([
      ['7d', { ok: true, seconds: 7 * 86400 }],
      ['30d', { ok: true, seconds: 30 * 86400 }],
      ['90d', { ok: true, seconds: 90 * 86400 }],
      ['1y', { ok: true, seconds: 365 * 86400 }],
      ['date', { ok: false, message: 'Enter the expiry date.' }],
    ]);
  });

  it('counts a date to the end of that day in UTC', () => {
    expect(expirySeconds('date', '2027-01-11', NOW)).toEqual({ ok: true, seconds: 36 * 3600 });
    expect(expirySeconds('date', '2027-01-10', NOW)).toEqual({ ok: true, seconds: 12 * 3600 });
  });

  it('refuses a past day, an impossible date and garbage, saying why', () => {
    expect(expirySeconds('date', '2027-01-09', NOW)).toEqual({ ok: false, message: 'The expiry date must be in the future.' });
    expect(expirySeconds('date', '2027-02-30', NOW)).toEqual({ ok: false, message: 'Enter a valid date.' });
    expect(expirySeconds('date', 'tomorrow', NOW)).toEqual({ ok: false, message: 'Enter the expiry date.' });
  });
});

describe('safeNext (where sign-in returns to)', () => {
  it('returns to a console page, query included', () => {
    expect(safeNext('/console/keys/abc?x=1', '/console/')).toBe('/console/keys/abc?x=1');
  });

  it.each([null, '', 'https://evil.example/console/', '//evil.example/console/', '/graphql', '/console/\\evil'])('goes to the console home for %j', (next) => {
    expect(safeNext(next, '/console/')).toBe('/console/');
  });
});

describe('match (the console routes)', () => {
  it('matches a pattern with params, a trailing slash ignored', () => {
    expect(match('/console', '/console/')).toEqual({});
    expect(match('/console/keys/:id', '/console/keys/k1')).toEqual({ id: 'k1' });
    expect(match('/console/keys/:id', '/console/keys')).toBeNull();
    expect(match('/console/audit', '/console/keys/k1')).toBeNull();
  });
});

it('formatTime shows the minute in UTC, or a dash for none', () => {
  expect(formatTime('2027-01-10T12:34:56.123456Z')).toBe('2027-01-10 12:34 UTC');
  expect(formatTime(null)).toBe('—');
});
