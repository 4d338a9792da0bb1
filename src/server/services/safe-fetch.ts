import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';

/**
 * Addresses an import must never reach on its own: this machine, private and shared networks, link-local
 * (where cloud metadata services live: 169.254.169.254, fd00:ec2::254), multicast, unspecified, reserved and
 * documentation ranges, and IPv6 forms that embed an IPv4 address (mapped, NAT64, 6to4), which would otherwise
 * smuggle any of the above past the IPv4 rules.
 */
const BLOCKED_V4: [string, number][] = [
  ['0.0.0.0', 8], // "this network", unspecified
  ['10.0.0.0', 8], // private
  ['100.64.0.0', 10], // CGNAT (shared address space; also Alibaba's metadata 100.100.100.200)
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local, cloud metadata
  ['172.16.0.0', 12], // private
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.0.2.0', 24], // TEST-NET-1
  ['192.88.99.0', 24], // 6to4 relay anycast
  ['192.168.0.0', 16], // private
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24], // TEST-NET-2
  ['203.0.113.0', 24], // TEST-NET-3
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
];
const BLOCKED_V6: [string, number][] = [
  ['::', 128], // unspecified
  ['::1', 128], // loopback
  ['::', 96], // IPv4-compatible (deprecated)
  ['::ffff:0:0', 96], // IPv4-mapped
  ['64:ff9b::', 96], // NAT64
  ['64:ff9b:1::', 48], // local NAT64
  ['100::', 64], // discard
  ['2001::', 23], // IETF protocol assignments (Teredo, ORCHID...)
  ['2001:db8::', 32], // documentation
  ['2002::', 16], // 6to4
  ['fc00::', 7], // unique local (private)
  ['fe80::', 10], // link-local
  ['fec0::', 10], // site-local (deprecated)
  ['ff00::', 8], // multicast
];

// Two lists: BlockList checks an IPv4 address against IPv6 rules too (as ::ffff:a.b.c.d), so the rule that
// blocks every IPv4-mapped address would block every IPv4 address in a shared list.
const blockedV4 = new net.BlockList();
for (const [address, prefix] of BLOCKED_V4) blockedV4.addSubnet(address, prefix, 'ipv4');
const blockedV6 = new net.BlockList();
for (const [address, prefix] of BLOCKED_V6) blockedV6.addSubnet(address, prefix, 'ipv6');

/** Whether an address may not be fetched from (anything but public unicast). */
export function blockedAddress(address: string): boolean {
  // A zone id (`fe80::1%eth0`) only exists on link-local addresses.
  if (address.includes('%')) return true;
  const family = net.isIP(address);
  if (family === 0) return true;
  return family === 4 ? blockedV4.check(address, 'ipv4') : blockedV6.check(address, 'ipv6');
}

/** A refusal that retrying cannot change (address not allowed, bad URL, too many redirects). */
export class FetchRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FetchRefusedError';
  }
}

/** The source said nothing for too long. */
export class FetchTimeoutError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FetchTimeoutError';
  }
}

export interface SafeFetchOptions {
  /** `host` or `host:port` entries that may be fetched from whatever they resolve to (`127.0.0.1:8081`). */
  allowHosts: readonly string[];
  /** Longest silence (connecting, waiting for the answer, between body bytes). */
  timeoutMs: number;
  maxRedirects: number;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

export interface FetchedResponse {
  response: http.IncomingMessage;
  /** The URL that answered (after redirects). */
  url: URL;
}

/** `hostname` without IPv6 brackets, lower-cased. */
function bareHost(hostname: string): string {
  return hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();
}

function defaultPort(url: URL): string {
  return url.port || (url.protocol === 'https:' ? '443' : '80');
}

/** An allow-list entry: `host`, `host:port`, `[v6]`, `[v6]:port`, or a bare IPv6 address (any port). */
function parseAllowEntry(entry: string): { host: string; port: string | undefined } {
  const text = entry.trim().toLowerCase();
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(text);
  if (bracketed) return { host: bracketed[1] ?? '', port: bracketed[2] };
  const parts = text.split(':');
  if (parts.length === 2) return { host: parts[0] ?? '', port: parts[1] };
  return { host: text, port: undefined };
}

/** Whether the allow-list names this URL's host (any port) or its host and port. */
export function hostAllowed(url: URL, allowHosts: readonly string[]): boolean {
  const host = bareHost(url.hostname);
  const port = defaultPort(url);
  return allowHosts.some((entry) => {
    const allowed = parseAllowEntry(entry);
    return allowed.host === host && (allowed.port === undefined || allowed.port === port);
  });
}

/**
 * Checks a URL before anything is fetched: scheme, credentials, and (for IP literals) the address. Host names
 * are checked when they are resolved, on every hop.
 */
export function checkUrl(url: URL, allowHosts: readonly string[]): void {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new FetchRefusedError(`Only http and https URLs can be imported, not ${url.protocol}`);
  }
  if (url.username || url.password) throw new FetchRefusedError('URLs with credentials are not accepted');
  const host = bareHost(url.hostname);
  if (net.isIP(host) && blockedAddress(host) && !hostAllowed(url, allowHosts)) {
    throw new FetchRefusedError(`Refused: ${host} is not a public address`);
  }
}

type LookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string | dns.LookupAddress[],
  family?: number,
) => void;

/**
 * A `lookup` for the connection: resolves the name once, refuses when any answer is not a public address
 * (unless allowed), and hands the checked address to the socket, so what was checked is what is connected to
 * (no second lookup a rebinding DNS server could answer differently).
 */
function checkedLookup(allowed: boolean) {
  return (hostname: string, options: dns.LookupOptions, callback: LookupCallback): void => {
    dns.lookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, []);
      const list = addresses;
      if (list.length === 0) return callback(new Error(`${hostname} has no address`), []);
      if (!allowed) {
        const bad = list.find((a) => blockedAddress(a.address));
        if (bad) {
          return callback(
            new FetchRefusedError(
              `Refused: ${hostname} resolves to ${bad.address}, which is not a public address`,
            ),
            [],
          );
        }
      }
      if (options.all) return callback(null, list);
      const first = list[0]!;
      callback(null, first.address, first.family);
    });
  };
}

const agents = {
  http: new http.Agent({ keepAlive: false }),
  https: new https.Agent({ keepAlive: false }),
};

/** One GET, no redirects followed. */
function getOnce(url: URL, options: SafeFetchOptions): Promise<http.IncomingMessage> {
  const allowed = hostAllowed(url, options.allowHosts);
  checkUrl(url, options.allowHosts);
  return new Promise((resolve, reject) => {
    const client = url.protocol === 'https:' ? https : http;
    const request = client.request(url, {
      method: 'GET',
      agent: url.protocol === 'https:' ? agents.https : agents.http,
      lookup: checkedLookup(allowed),
      headers: { 'user-agent': 'site-media-manager-import/1', accept: '*/*', ...options.headers },
      signal: options.signal,
    });
    request.setTimeout(options.timeoutMs, () => {
      request.destroy(
        new FetchTimeoutError(`The source did not answer within ${options.timeoutMs / 1000} s`),
      );
    });
    // Belt and braces: whatever path led to the socket, its peer must be an address we may talk to.
    request.on('socket', (socket) => {
      socket.once('connect', () => {
        const peer = socket.remoteAddress;
        if (!allowed && peer !== undefined && blockedAddress(peer)) {
          request.destroy(
            new FetchRefusedError(`Refused: connected to ${peer}, which is not a public address`),
          );
        }
      });
    });
    request.once('response', resolve);
    request.once('error', reject);
    request.end();
  });
}

/**
 * GETs a URL safely for an import: http(s) only, every hop's address checked after DNS resolution (and the
 * checked address the one connected to), at most `maxRedirects` redirects each checked the same way, and a
 * silence timeout. Resolves with the final response (any status) for the caller to stream.
 */
export async function safeGet(start: URL, options: SafeFetchOptions): Promise<FetchedResponse> {
  let url = start;
  for (let hop = 0; ; hop++) {
    const response = await getOnce(url, options);
    const status = response.statusCode ?? 0;
    const location = response.headers.location;
    if (status < 300 || status >= 400 || status === 304 || !location) return { response, url };
    response.resume();
    if (hop >= options.maxRedirects) {
      throw new FetchRefusedError(`Too many redirects (more than ${options.maxRedirects})`);
    }
    try {
      url = new URL(location, url);
    } catch {
      throw new FetchRefusedError(`The source redirected to an invalid URL`);
    }
  }
}
