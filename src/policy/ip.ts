import ipaddr from 'ipaddr.js';
import type { IPv4, IPv6 } from 'ipaddr.js';

type Range = [IPv4 | IPv6, number];

/** The most entries an allowlist may hold. */
export const MAX_ALLOWED_CIDRS = 100;

/**
 * Parses one allowlist entry: an IPv4 or IPv6 CIDR (`10.0.0.0/8`,
 * `2001:db8::/32`) or a plain address (a /32 or /128). `null` when it is
 * neither. An IPv4-mapped IPv6 address is read as the IPv4 it stands for.
 */
export function parseCidr(text: string): Range | null {
  try {
    if (text.includes('/')) {
      const [address, bits] = ipaddr.parseCIDR(text);
      return address.kind() === 'ipv6' && (address as IPv6).isIPv4MappedAddress() && bits >= 96
        ? [(address as IPv6).toIPv4Address(), bits - 96]
        : [address, bits];
    }
    if (!ipaddr.isValid(text)) return null;
    const address = ipaddr.process(text);
    return [address, address.kind() === 'ipv4' ? 32 : 128];
  } catch {
    return null;
  }
}

/** The canonical text of an entry (`10.0.0.0/8`), as stored and shown. */
export function canonicalCidr(range: Range): string {
  return `${range[0].toString()}/${range[1]}`;
}

/** Parsed allowlists, by the (cached, so stable) array they came from. */
const parsed = new WeakMap<readonly string[], Range[]>();

/** Whether `address` (as the HTTP layer or a verifying gateway gives it) is in `allowed`. No address: not allowed. */
export function ipAllowed(address: string | null, allowed: readonly string[]): boolean {
  if (address === null || !ipaddr.isValid(address)) return false;
  let ranges = parsed.get(allowed);
  if (!ranges) {
    ranges = allowed.map(parseCidr).filter((r): r is Range => r !== null);
    parsed.set(allowed, ranges);
  }
  const ip = ipaddr.process(address);
  return ranges.some(([base, bits]) => base.kind() === ip.kind() && ip.match(base, bits));
}
