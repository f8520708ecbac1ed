import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';

/** The content codings a fixed body is kept in besides identity, in the server's order of preference. */
export type ContentCoding = 'br' | 'gzip';
export const CONTENT_CODINGS: readonly ContentCoding[] = ['br', 'gzip'];

/** Compresses `body` with `coding`. Injectable so that a test can count the calls. */
export type Compressor = (body: Buffer, coding: ContentCoding) => Promise<Buffer>;

const brotli = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

/**
 * The highest qualities whose one-off cost stays around half a second for the 3.5 MB GraphiQL bundle
 * (brotli 9: ~0.5 s CPU, 630 KB; 11 would take ~8.5 s for 568 KB, which the first browser would wait for).
 */
export const BROTLI_QUALITY = 9;
export const GZIP_LEVEL = 9;

/** zlib's async API runs on the thread pool, so the event loop keeps serving while a body is compressed. */
export const zlibCompressor: Compressor = (body, coding) =>
  coding === 'br'
    ? brotli(body, {
        params: {
          [constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY,
          [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
          [constants.BROTLI_PARAM_SIZE_HINT]: body.length,
        },
      })
    : gzipAsync(body, { level: GZIP_LEVEL });

/**
 * A fixed body that is compressed at most once per coding, on first demand, and kept in memory.
 * Requests that arrive while a coding is being compressed share the pending result.
 */
export class PrecompressedBody {
  private readonly variants = new Map<ContentCoding, Promise<Buffer>>();
  private readonly counts: Record<ContentCoding, number> = { br: 0, gzip: 0 };

  /**
   * @param body the identity bytes
   * @param codings the codings offered; none for a body too small to be worth compressing
   */
  constructor(
    readonly body: Buffer,
    readonly codings: readonly ContentCoding[],
    private readonly compressor: Compressor = zlibCompressor,
  ) {}

  /** The body in `coding`: compressed on the first call, the same bytes afterwards. */
  encoded(coding: ContentCoding): Promise<Buffer> {
    let variant = this.variants.get(coding);
    if (!variant) {
      this.counts[coding] += 1;
      variant = this.compressor(this.body, coding);
      this.variants.set(coding, variant);
      // A failure is not kept: the next request tries again instead of failing forever.
      variant.catch(() => this.variants.delete(coding));
    }
    return variant;
  }

  /** How many times each coding has been compressed (tests use it to prove "once"). */
  compressions(): Readonly<Record<ContentCoding, number>> {
    return { ...this.counts };
  }
}

const QVALUE = /^(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$/;

/** `Accept-Encoding` as coding → q (lower-cased names); entries with a malformed q-value are ignored. */
function parseAcceptEncoding(header: string): Map<string, number> {
  const weights = new Map<string, number>();
  for (const entry of header.split(',')) {
    const [rawName, ...params] = entry.split(';');
    const name = rawName.trim().toLowerCase();
    if (!name) continue;
    let q = 1;
    let valid = true;
    for (const param of params) {
      const [key, value = ''] = param.split('=').map((part) => part.trim());
      if (key.toLowerCase() !== 'q') continue;
      valid = QVALUE.test(value);
      q = Number(value);
    }
    // "x-gzip" is the old name of gzip (RFC 9110, 8.4.1.3).
    if (valid) weights.set(name === 'x-gzip' ? 'gzip' : name, q);
  }
  return weights;
}

/**
 * The coding to answer with, following RFC 9110, 12.5.3: the offered coding with the highest q
 * (`*` stands for any coding not named; ties go to the order of `offered`); identity when there is
 * no header, when nothing offered is acceptable, or when identity is named with a higher q than it.
 * When even identity is refused (`identity;q=0`, `*;q=0`), identity is sent anyway: the
 * representation exists in no other form the client accepts, and the header is a preference.
 */
export function negotiateEncoding(header: string | undefined, offered: readonly ContentCoding[]): ContentCoding | 'identity' {
  if (header === undefined) return 'identity';
  const weights = parseAcceptEncoding(header);
  const any = weights.get('*') ?? 0;
  let best: ContentCoding | undefined;
  let bestQ = 0;
  for (const coding of offered) {
    const q = weights.get(coding) ?? any;
    if (q > bestQ) {
      best = coding;
      bestQ = q;
    }
  }
  // Identity is acceptable unless refused, but it beats a coding only when named with a higher q.
  if (best === undefined || (weights.get('identity') ?? 0) > bestQ) return 'identity';
  return best;
}
