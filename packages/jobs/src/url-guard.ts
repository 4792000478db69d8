import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import { isPrivateAddress } from './ip-ranges';

/** A URL the service will not fetch or post to: wrong scheme, or a private destination. */
export class UnsafeUrlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnsafeUrlError';
  }
}

const ALLOW_HINT = 'set ALLOW_PRIVATE_URLS=true to allow private destinations';

/** Hostname without the brackets URL keeps around IPv6 literals. */
function bareHost(url: URL): string {
  return url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
}

/** Parses and checks the scheme; no DNS. */
export function parseHttpUrl(raw: string, label: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UnsafeUrlError(`${label} is not a valid URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UnsafeUrlError(`${label} must use http or https, not ${url.protocol.replace(':', '')}`);
  }
  return url;
}

function refuse(label: string, host: string, address: string): UnsafeUrlError {
  const via = host === address ? '' : ` (resolves to ${address})`;
  return new UnsafeUrlError(`${label} points to a private, loopback or link-local address: ${host}${via}; ${ALLOW_HINT}`);
}

function lookupAll(hostname: string): Promise<LookupAddress[]> {
  return new Promise((resolve, reject) => {
    dnsLookup(hostname, { all: true, verbatim: true }, (error, addresses) => (error ? reject(error) : resolve(addresses)));
  });
}

/**
 * Resolves the URL's host and refuses it when any address is private. This is the early check
 * that gives the caller a clear 400; the connection itself is guarded again by guardedLookup,
 * so a DNS answer that changes in between (rebinding) is caught too.
 */
export async function assertPublicUrl(raw: string, options: { allowPrivate: boolean; label: string }): Promise<URL> {
  const url = parseHttpUrl(raw, options.label);
  if (options.allowPrivate) return url;
  const host = bareHost(url);
  if (isIP(host) !== 0) {
    if (isPrivateAddress(host)) throw refuse(options.label, host, host);
    return url;
  }
  let addresses: LookupAddress[];
  try {
    addresses = await lookupAll(host);
  } catch {
    throw new UnsafeUrlError(`${options.label}: the host ${host} could not be resolved`);
  }
  const bad = addresses.find((entry) => isPrivateAddress(entry.address));
  if (bad !== undefined) throw refuse(options.label, host, bad.address);
  return url;
}

/** Checks an IP-literal host, which Node connects to without calling `lookup`. */
export function assertPublicLiteral(url: URL, label: string): void {
  const host = bareHost(url);
  if (isIP(host) !== 0 && isPrivateAddress(host)) throw refuse(label, host, host);
}

/** A `lookup` for http.request that refuses hosts with any private address, at connect time. */
export function guardedLookup(label: string): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { all: true, family: options.family, hints: options.hints, verbatim: true }, (error, addresses) => {
      if (error) return callback(error, '', 0);
      const bad = addresses.find((entry) => isPrivateAddress(entry.address));
      if (bad !== undefined) return callback(refuse(label, hostname, bad.address), '', 0);
      if (addresses.length === 0) return callback(new UnsafeUrlError(`${label}: ${hostname} has no address`), '', 0);
      if (options.all) return callback(null, addresses);
      return callback(null, addresses[0].address, addresses[0].family);
    });
  };
}
