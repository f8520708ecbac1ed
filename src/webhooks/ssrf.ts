import dns from 'node:dns';
import type { LookupAddress, LookupOptions } from 'node:dns';
import net from 'node:net';
import ipaddr from 'ipaddr.js';
import { invalidArgument } from '../errors';

/** What a webhook URL may reach. */
export interface ReachPolicy {
  readonly allowHttp: boolean;
  readonly allowPrivateNetworks: boolean;
}

/**
 * Why an address may not be called, or `null`. Only global unicast passes:
 * loopback, private (10/8, 172.16/12, 192.168/16, fc00::/7), link-local (with the
 * cloud metadata address 169.254.169.254), CGNAT (100.64/10), multicast,
 * reserved and unspecified do not. An IPv4-mapped IPv6 address is judged as IPv4.
 */
export function refusedAddress(address: string, policy: ReachPolicy): string | null {
  if (policy.allowPrivateNetworks) return null;
  if (!ipaddr.isValid(address)) return `${address} is not an IP address`;
  let parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  const range = parsed.range();
  return range === 'unicast' ? null : `${address} is a ${range} address, which webhooks may not reach`;
}

/** A refusal at connection time (the delivery's error says it; the delivery is retried). */
export class RefusedAddressError extends Error {
  override name = 'RefusedAddressError';
  readonly code = 'EWEBHOOKREFUSED';
}

const hostOf = (url: URL): string => url.hostname.replace(/^\[(.*)\]$/, '$1');

/** Parses and checks a webhook URL's form: `https:` (or `http:` when allowed), no credentials. Throws `INVALID_ARGUMENT` on `field`. */
export function parseWebhookUrl(raw: string, policy: ReachPolicy, field = 'url'): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw invalidArgument(field, 'must be an absolute URL');
  }
  if (raw.length > 2048) throw invalidArgument(field, 'must be at most 2048 characters');
  if (url.protocol !== 'https:' && !(policy.allowHttp && url.protocol === 'http:')) throw invalidArgument(field, 'must be an https: URL');
  if (url.username || url.password) throw invalidArgument(field, 'must not carry a user name or password');
  return url;
}

/**
 * Checks a webhook URL where it is registered: its form, and every address its
 * host resolves to now. Each connection checks again (see `guardedLookup`):
 * a name may resolve elsewhere later (DNS rebinding).
 */
export async function checkWebhookUrl(raw: string, policy: ReachPolicy, field = 'url'): Promise<URL> {
  const url = parseWebhookUrl(raw, policy, field);
  if (policy.allowPrivateNetworks) return url;
  const host = hostOf(url);
  let addresses: string[];
  if (net.isIP(host)) addresses = [host];
  else {
    try {
      addresses = (await dns.promises.lookup(host, { all: true, verbatim: true })).map((a) => a.address);
    } catch {
      throw invalidArgument(field, `the host ${host} does not resolve`);
    }
  }
  for (const address of addresses) {
    const why = refusedAddress(address, policy);
    if (why) throw invalidArgument(field, `the host ${host} resolves to ${why}`);
  }
  return url;
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/** A `lookup` for `http.request` that refuses every resolved address the policy refuses, at the moment of connecting. */
export function guardedLookup(policy: ReachPolicy) {
  return (hostname: string, options: LookupOptions, callback: LookupCallback): void => {
    dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, '');
      const list = addresses;
      for (const a of list) {
        const why = refusedAddress(a.address, policy);
        if (why) return callback(new RefusedAddressError(`refused: ${hostname} resolves to ${why}`), '');
      }
      if (options.all) return callback(null, list);
      return callback(null, list[0].address, list[0].family);
    });
  };
}

/** The check for a host given as an IP literal, which `http.request` connects to without a lookup. */
export function refusedLiteral(url: URL, policy: ReachPolicy): string | null {
  const host = hostOf(url);
  return net.isIP(host) ? refusedAddress(host, policy) : null;
}
