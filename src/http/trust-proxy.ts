import { isIP } from 'node:net';

/**
 * `TRUST_PROXY`: which peers may say, in `X-Forwarded-For`, who the client
 * is. Fastify's `trustProxy` as this server passes it: `false` (the default:
 * the client is the connection's peer, the header is ignored), `true` (trust
 * every hop: only behind a proxy that overwrites the header), or the
 * addresses and CIDRs of the trusted proxies (and proxy-addr's names
 * `loopback`, `linklocal`, `uniquelocal`). `request.ip` is the result, and it
 * is the address allowlists, the audit trail and the login limiter see.
 *
 * A hop count is refused: Fastify 5 takes one but trusts nobody with it (a
 * count cannot tell a proxy from a client that reached the server directly and
 * wrote the header itself), so accepting it would silently do nothing.
 */
export type TrustProxy = boolean | readonly string[];

const NAMED_RANGES = ['loopback', 'linklocal', 'uniquelocal'];

/** A proxy-addr name, a plain IPv4 or IPv6 address (dotted quads only: `1` is no address here), or one with `/bits`. */
function isAddressOrCidr(entry: string): boolean {
  if (NAMED_RANGES.includes(entry)) return true;
  const [address, bits, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  return bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128));
}

/** Reads `TRUST_PROXY`'s text; `null` when it is none of the accepted forms. Empty or absent: `false`. */
export function parseTrustProxy(raw: string | undefined): TrustProxy | null {
  const text = (raw ?? '').trim();
  if (text === '' || /^(false|no|off)$/i.test(text)) return false;
  if (/^(true|yes|on)$/i.test(text)) return true;
  const entries = text.split(',').map((e) => e.trim());
  return entries.every(isAddressOrCidr) ? Object.freeze(entries) : null;
}

/** Fastify's option: it takes a mutable array. */
export const fastifyTrustProxy = (trust: TrustProxy): boolean | string[] => (typeof trust === 'boolean' ? trust : [...trust]);
