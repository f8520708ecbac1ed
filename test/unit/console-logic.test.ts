import { EXPIRY_PRESETS, expirySeconds, formatTime, keyStatus, safeNext } from '../../console/src/lib/keys';
import { match } from '../../console/src/lib/paths';
import { EMPTY_POLICY_FORM, describePolicy, parsePolicyForm, policyFormOf } from '../../console/src/lib/policy';
import type { PolicyForm } from '../../console/src/lib/policy';
import type { OUTCOMES} from '../../console/src/lib/usage';
import { niceMax, usageSummary, usageTotals, usageWindow } from '../../console/src/lib/usage';
import { parseWebhookForm } from '../../console/src/lib/webhooks';

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

describe('parsePolicyForm (the usage-policy fields)', () => {
  const form = (over: Partial<PolicyForm>): PolicyForm => ({ ...EMPTY_POLICY_FORM, ...over });

  it('asks for nothing when every part is off: no limit, unlimited, any address', () => {
    expect(parsePolicyForm(EMPTY_POLICY_FORM)).toEqual({ ok: true, policy: { rateLimit: null, credits: null, allowedCidrs: null } });
  });

  it('turns the fields into the API input: the window in seconds, the refill, the addresses one per entry', () => {
    const parsed = parsePolicyForm(
      form({
        rateLimitOn: true, limit: ' 100 ', window: '2', windowUnit: 'hour',
        creditsOn: true, remaining: '0', refillOn: true, refillAmount: '500', refillInterval: 'DAILY',
        allowedIps: '203.0.113.7\n10.0.0.0/8, 2001:db8::/32\n\n',
      }),
    );
    expect(parsed).toEqual({
      ok: true,
      policy: {
        rateLimit: { limit: 100, windowSeconds: 7200 },
        credits: { remaining: 0, refill: { amount: 500, interval: 'DAILY' } },
        allowedCidrs: ['203.0.113.7', '10.0.0.0/8', '2001:db8::/32'],
      },
    });
  });

  it('names each field at fault with a message saying what to type', () => {
    const parsed = parsePolicyForm(
      form({ rateLimitOn: true, limit: '', window: '1.5', creditsOn: true, remaining: '-1', refillOn: true, refillAmount: '0', allowedIps: '10.0.0.0/8\nlocalhost 300.1.1.1 10.0.0.0/33' }),
    );
    expect(parsed).toEqual({
      ok: false,
      errors: {
        limit: 'Enter the number of requests.',
        window: 'Enter the window as a whole number.',
        remaining: 'Enter the number of uses as a whole number.',
        refillAmount: 'Enter the refill amount of at least 1.',
        allowedIps: 'Not an IP address or CIDR: localhost, 300.1.1.1, 10.0.0.0/33. Write one per line, such as 203.0.113.7, 10.0.0.0/8 or 2001:db8::/32.',
      },
    });
  });

  it("refuses what GraphQL's 32-bit Int cannot carry, and ignores the fields of a part that is off", () => {
    expect(parsePolicyForm(form({ rateLimitOn: true, limit: '2147483648', window: '1' }))).toEqual({ ok: false, errors: { limit: 'Enter the number of requests of at most 2,147,483,647.' } });
    expect(parsePolicyForm(form({ rateLimitOn: true, limit: '5', window: '30000', windowUnit: 'day' }))).toEqual({ ok: false, errors: { window: 'Enter a shorter window.' } });
    expect(parsePolicyForm(form({ limit: 'x', remaining: 'y', creditsOn: false, refillAmount: 'z' }))).toMatchObject({ ok: true });
  });

  it("reads a key's policy back into the fields (the window in its largest whole unit) and says it in words", () => {
    const key = { rateLimit: { limit: 10, windowSeconds: 3600 }, credits: { remaining: 42, refill: { amount: 100, interval: 'MONTHLY' as const } }, allowedCidrs: ['10.0.0.0/8'] };
    const back = policyFormOf(key);
    expect(back).toMatchObject({ rateLimitOn: true, limit: '10', window: '1', windowUnit: 'hour', creditsOn: true, remaining: '42', refillOn: true, refillAmount: '100', allowedIps: '10.0.0.0/8' });
    expect(parsePolicyForm(back)).toEqual({ ok: true, policy: { rateLimit: key.rateLimit, credits: key.credits, allowedCidrs: key.allowedCidrs } });
    expect(policyFormOf({ rateLimit: { limit: 1, windowSeconds: 90 } })).toMatchObject({ window: '90', windowUnit: 'second' });
    expect(describePolicy(key)).toEqual({ rateLimit: '10 requests per hour', credits: '42 uses left, refilled to 100 every month', allowedIps: '10.0.0.0/8' });
    expect(describePolicy({ rateLimit: { limit: 1000, windowSeconds: 120 } })).toEqual({ rateLimit: '1,000 requests per 2 minutes', credits: 'Unlimited', allowedIps: 'Any address' });
  });
});

describe('the usage chart', () => {
  const bucket = (start: string, counts: Partial<Record<(typeof OUTCOMES)[number]['key'], number>> = {}) => ({
    start, valid: 0, rateLimited: 0, usageExceeded: 0, ipNotAllowed: 0, other: 0, ...counts,
  });

  it('asks for the last 7 days in whole UTC hours, the current one included', () => {
    expect(usageWindow(NOW)).toEqual({ since: '2027-01-03T13:00:00.000Z', until: '2027-01-10T13:00:00.000Z' });
    expect(usageWindow(new Date('2027-01-10T12:59:59.999Z'), 1)).toEqual({ since: '2027-01-09T13:00:00.000Z', until: '2027-01-10T13:00:00.000Z' });
  });

  it('totals each outcome and all requests, and says so in one sentence', () => {
    const buckets = [bucket('2027-01-10T10:00:00.000000Z', { valid: 3, rateLimited: 2 }), bucket('2027-01-10T11:00:00.000000Z', { valid: 1, ipNotAllowed: 1 }), bucket('2027-01-10T12:00:00.000000Z')];
    expect(usageTotals(buckets)).toEqual({ valid: 4, rateLimited: 2, usageExceeded: 0, ipNotAllowed: 1, other: 0, all: 7 });
    expect(usageSummary(buckets)).toBe('7 requests in the last 7 days (4 valid, 2 rate limited, 1 from an IP not allowed); the busiest hour, 2027-01-10 10:00 UTC, had 5.');
    expect(usageSummary([bucket('2027-01-10T10:00:00.000000Z')])).toBe('No requests in the last 7 days.');
  });

  it('rounds the scale up to 1, 2 or 5 times a power of ten', () => {
    expect([0, 1, 2, 3, 7, 10, 11, 45, 99, 101, 4500].map(niceMax)).toEqual([1, 1, 2, 5, 10, 10, 20, 50, 100, 200, 5000]);
  });
});

describe('parseWebhookForm (the Create endpoint dialog)', () => {
  it('sends the URL, the chosen events or `*`, and the description', () => {
    expect(parseWebhookForm({ url: ' https://example.com/hooks ', allEvents: false, events: ['accesskey.created', 'webhook.test'], description: ' ops ' })).toEqual({
      ok: true,
      input: { url: 'https://example.com/hooks', events: ['accesskey.created', 'webhook.test'], description: 'ops' },
    });
    expect(parseWebhookForm({ url: 'https://example.com/', allEvents: true, events: ['webhook.test'], description: '' })).toMatchObject({ input: { events: ['*'] } });
  });

  it('asks for a full http(s) URL and at least one event', () => {
    expect(parseWebhookForm({ url: '', allEvents: false, events: [], description: '' })).toEqual({
      ok: false,
      errors: { url: 'Enter the URL that receives the events.', events: 'Choose at least one event, or all events.' },
    });
    for (const url of ['example.com/hooks', 'ftp://example.com/', 'javascript:alert(1)']) {
      expect(parseWebhookForm({ url, allEvents: true, events: [], description: '' })).toEqual({ ok: false, errors: { url: 'Enter a full URL, such as https://example.com/webhooks.' } });
    }
  });
});
