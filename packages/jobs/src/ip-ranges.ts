import { isIPv4, isIPv6 } from 'node:net';
import ipaddr from 'ipaddr.js';

/**
 * Address classification with ipaddr.js's special-purpose ranges (IANA's IPv4 and IPv6
 * special-purpose registries) rather than hand-kept tables.
 */

/**
 * IPv4 ranges (ipaddr.js names) that are the public internet: everything else ("this network",
 * private, carrier-grade NAT, loopback, link-local with cloud metadata, documentation,
 * benchmarking, multicast, reserved, broadcast) is refused. AS112 and AMT are global anycast.
 */
const PUBLIC_V4_RANGES = new Set(['unicast', 'as112', 'amt']);

/**
 * IPv6 ranges that are the public internet on their own. The forms that carry an IPv4 address
 * (mapped, translated, NAT64, 6to4, Teredo) are judged by that address instead; every other
 * special-purpose range (unspecified, loopback, unique local, link-local, site-local, multicast,
 * discard, documentation, benchmarking, ORCHID, SRv6, the rest of 2001::/23...) is refused.
 */
const PUBLIC_V6_RANGES = new Set(['unicast', 'amt', 'as112v6']);

function parseV6(address: string): ipaddr.IPv6 {
  return ipaddr.IPv6.parse(address);
}

/** The eight 16-bit groups of an IPv6 address (zone id dropped, dotted tail converted). */
export function ipv6Groups(address: string): number[] {
  return [...parseV6(address.split('%')[0]).parts];
}

function v4FromGroups(high: number, low: number): string {
  return [high >> 8, high & 0xff, low >> 8, low & 0xff].join('.');
}

/**
 * Every IPv4 address an IPv6 address carries: IPv4-mapped (::ffff:a.b.c.d), IPv4-translated
 * (::ffff:0:a.b.c.d), NAT64 with the well-known prefix (64:ff9b::a.b.c.d), 6to4
 * (2002:AABB:CCDD::), Teredo (server, then the client's address, stored inverted), and the
 * deprecated IPv4-compatible form (::a.b.c.d). Empty for other addresses.
 */
export function embeddedIPv4Addresses(address: string): string[] {
  const bare = address.split('%')[0];
  if (!ipaddr.IPv6.isValid(bare)) return [];
  const ip = parseV6(bare);
  const g = ip.parts;
  const zeroUpTo = (n: number): boolean => g.slice(0, n).every((group) => group === 0);
  switch (ip.range() as string) {
    case 'ipv4Mapped':
      return [ip.toIPv4Address().toString()];
    case 'rfc6145': // ::ffff:0:a.b.c.d
      return [v4FromGroups(g[6], g[7])];
    case 'rfc6052': // only the well-known /96 embeds an address; 64:ff9b:1::/48 is local use
      return g[1] === 0xff9b && g[2] === 0 ? [v4FromGroups(g[6], g[7])] : [];
    case '6to4':
      return [v4FromGroups(g[1], g[2])];
    case 'teredo': // 2001:0:server:server:flags:port:~client:~client
      return [v4FromGroups(g[6] ^ 0xffff, g[7] ^ 0xffff), v4FromGroups(g[2], g[3])];
    default:
      // ::a.b.c.d, which ipaddr.js does not name (:: and ::1 are unspecified and loopback).
      if (zeroUpTo(6) && (g[6] !== 0 || g[7] > 1)) return [v4FromGroups(g[6], g[7])];
      return [];
  }
}

/** The IPv4 address an IPv6 address carries (mapped, translated, NAT64, 6to4, Teredo client), if any. */
export function embeddedIPv4(address: string): string | undefined {
  return embeddedIPv4Addresses(address)[0];
}

function isPrivateV4(address: string): boolean {
  return !PUBLIC_V4_RANGES.has(ipaddr.IPv4.parse(address).range());
}

/** True for loopback, private, link-local, multicast and other non-public addresses. */
export function isPrivateAddress(address: string): boolean {
  // node:net's strict syntax first: ipaddr.js also takes forms such as "127.1" or "0x7f.1".
  if (isIPv4(address)) return isPrivateV4(address);
  const bare = address.split('%')[0];
  // not an IP at all (or one ipaddr.js cannot read): refuse rather than guess
  if (!isIPv6(bare) || !ipaddr.IPv6.isValid(bare)) return true;
  // The forms that carry an IPv4 address reach it: they are as private as it is.
  const embedded = embeddedIPv4Addresses(bare);
  if (embedded.length > 0) return embedded.some(isPrivateV4);
  return !PUBLIC_V6_RANGES.has(parseV6(bare).range());
}
