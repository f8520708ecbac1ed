import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { PrecompressedBody, negotiateEncoding, zlibCompressor } from '../../src/http/precompressed';
import type { ContentCoding } from '../../src/http/precompressed';

const BOTH: readonly ContentCoding[] = ['br', 'gzip'];

describe('negotiateEncoding', () => {
  it.each<[string | undefined, readonly ContentCoding[], string]>([
    [undefined, BOTH, 'identity'],
    ['', BOTH, 'identity'],
    ['gzip, deflate, br', BOTH, 'br'],
    ['gzip;q=0, br', BOTH, 'br'],
    ['br;q=0, gzip;q=1', BOTH, 'gzip'],
    ['br;q=0.4, gzip;q=0.5', BOTH, 'gzip'],
    ['br;q=0.5, gzip;q=0.5', BOTH, 'br'],
    ['x-gzip', BOTH, 'gzip'],
    ['*', BOTH, 'br'],
    ['*;q=0.2, br;q=0', BOTH, 'gzip'],
    ['*;q=0', BOTH, 'identity'],
    ['identity', BOTH, 'identity'],
    ['identity, br', BOTH, 'br'],
    ['identity;q=1, br;q=0.9', BOTH, 'identity'],
    ['br;q=2, gzip', BOTH, 'gzip'],
    ['br;q=0.5x', BOTH, 'identity'],
    ['br', [], 'identity'],
    ['gzip, br', ['gzip'], 'gzip'],
  ])('%j offering %j → %s', (header, offered, expected) => {
    expect(negotiateEncoding(header, offered)).toBe(expected);
  });
});

describe('PrecompressedBody', () => {
  const body = Buffer.from('playground '.repeat(500));

  it('compresses once per coding, sharing the pending result between concurrent callers', async () => {
    const calls: ContentCoding[] = [];
    const precompressed = new PrecompressedBody(body, BOTH, async (input, coding) => {
      calls.push(coding);
      await new Promise((resolve) => setImmediate(resolve));
      return zlibCompressor(input, coding);
    });
    const [br1, br2, gz1] = await Promise.all([precompressed.encoded('br'), precompressed.encoded('br'), precompressed.encoded('gzip')]);
    const [br3, gz2] = await Promise.all([precompressed.encoded('br'), precompressed.encoded('gzip')]);
    expect(calls).toEqual(['br', 'gzip']);
    expect(precompressed.compressions()).toEqual({ br: 1, gzip: 1 });
    expect(br2).toBe(br1);
    expect(br3).toBe(br1);
    expect(gz2).toBe(gz1);
    expect(brotliDecompressSync(br1).equals(body)).toBe(true);
    expect(gunzipSync(gz1).equals(body)).toBe(true);
  });

  it('does not keep a failed compression: the next call tries again', async () => {
    let fail = true;
    const precompressed = new PrecompressedBody(body, BOTH, async (input, coding) => {
      if (fail) throw new Error('out of memory');
      return zlibCompressor(input, coding);
    });
    await expect(precompressed.encoded('gzip')).rejects.toThrow();
    fail = false;
    expect(gunzipSync(await precompressed.encoded('gzip')).equals(body)).toBe(true);
    expect(precompressed.compressions().gzip).toBe(2);
  });
});
