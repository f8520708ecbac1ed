import { decodePageToken, encodeCursor, normalizePageSize } from '../../src/pagination';
import { AppError } from '../../src/errors';
import { Instant } from '../../src/time';

describe('Instant', () => {
  it.each([
    ['2026-12-01T10:15:30.123456Z', '2026-12-01T10:15:30.123456Z'],
    ['2026-12-01T10:15:30Z', '2026-12-01T10:15:30.000000Z'],
    ['2026-12-01T10:15:30.1Z', '2026-12-01T10:15:30.100000Z'],
    ['2026-12-01 10:15:30.123456+00', '2026-12-01T10:15:30.123456Z'],
    ['2026-12-01 12:15:30.5+02', '2026-12-01T10:15:30.500000Z'],
    ['2026-12-01T05:45:30.000001-04:30', '2026-12-01T10:15:30.000001Z'],
    ['9999-01-01T00:00:00.000000Z', '9999-01-01T00:00:00.000000Z'],
    ['9999-12-31T23:59:59.999999Z', '9999-12-31T23:59:59.999999Z'],
    ['0050-06-01T00:00:00Z', '0050-06-01T00:00:00.000000Z'],
    ['0001-01-01T15:59:00+15:59', '0001-01-01T00:00:00.000000Z'],
    ['2026-12-01T00:00:00-15:59:59', '2026-12-01T15:59:59.000000Z'],
  ])('parses %s', (text, iso) => {
    expect(Instant.parse(text)?.toISOString()).toBe(iso);
  });

  it.each([
    '2026-13-01T00:00:00Z',
    '2026-02-30T00:00:00Z',
    '2026-12-01T10:15:30',
    '2026-12-01T10:15:30.1234567Z',
    'yesterday',
    '',
    '2026-12-01T10:58:60Z',
    '2026-12-01T10:60:00Z',
    '2026-12-01T24:00:00Z',
    '2026-12-01T10:15:30+16:00',
    '2026-12-01T10:15:30-10:60',
    '9999-12-31T23:59:59-23:59',
    '0000-12-31T23:59:59Z',
    '0001-01-01T00:00:00+00:01',
  ])('refuses %s', (text) => {
    expect(Instant.parse(text)).toBeNull();
  });

  it('adds seconds without losing microseconds and orders correctly', () => {
    const a = Instant.parse('2026-12-01T10:15:30.123456Z')!;
    expect(a.plusSeconds(31536000).toISOString()).toBe('2027-12-01T10:15:30.123456Z');
    const b = Instant.parse('2026-12-01T10:15:30.123457Z')!;
    expect(a.isBefore(b)).toBe(true);
    expect(b.isBefore(a)).toBe(false);
    expect(a.equals(Instant.parse('2026-12-01 10:15:30.123456+00')!)).toBe(true);
  });
});

describe('page tokens', () => {
  it('round-trip through an opaque cursor', () => {
    const at = Instant.parse('2026-12-01T10:15:30.123456Z')!;
    const cursor = encodeCursor(at, '2f1f8f7e-9b3d-4c60-8465-b69e9f28b6dc', 'AAAAAAAAAAAAAAAA');
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    const decoded = decodePageToken(cursor, 'page_token');
    expect(decoded.tmCreate.equals(at)).toBe(true);
    expect(decoded.id).toBe('2f1f8f7e-9b3d-4c60-8465-b69e9f28b6dc');
    expect(decoded.binding).toBe('AAAAAAAAAAAAAAAA');
  });

  it('accept a cursor of an older server (no binding: a position only)', () => {
    const decoded = decodePageToken(Buffer.from('v1|2026-12-01T10:15:30.123456Z|2F1F8F7E-9B3D-4C60-8465-B69E9F28B6DC').toString('base64url'), 'page_token');
    expect(decoded).toMatchObject({ id: '2f1f8f7e-9b3d-4c60-8465-b69e9f28b6dc' });
    expect(decoded.binding).toBeUndefined();
  });

  it('accept a bare timestamp from older clients', () => {
    const decoded = decodePageToken('2026-12-01T10:15:30.123456Z', 'page_token');
    expect(decoded.id).toBeUndefined();
    expect(decoded.tmCreate.toISOString()).toBe('2026-12-01T10:15:30.123456Z');
  });

  it.each(['garbage!', Buffer.from('v1|not-a-time|x').toString('base64url'), Buffer.from('v2|2026-12-01T10:15:30Z|2f1f8f7e-9b3d-4c60-8465-b69e9f28b6dc').toString('base64url')])(
    'refuse %s naming the field',
    (token) => {
      expect(() => decodePageToken(token, 'after')).toThrow(AppError);
      try {
        decodePageToken(token, 'after');
      } catch (err) {
        expect((err as AppError).field).toBe('after');
      }
    },
  );

  it('normalise page sizes', () => {
    expect(normalizePageSize(undefined, 'f')).toBe(100);
    expect(normalizePageSize(0, 'f')).toBe(100);
    expect(normalizePageSize(1, 'f')).toBe(1);
    expect(normalizePageSize(100, 'f')).toBe(100);
    expect(normalizePageSize(101, 'f')).toBe(100);
    expect(() => normalizePageSize(-1, 'f')).toThrow(AppError);
  });
});
