import { lookup } from "node:dns/promises";
import { BlockList, isIP } from "node:net";

/**
 * SSRF defence: the addresses a webhook may never reach. Checked at creation (a clear 400) and, what
 * matters, at every delivery on the very address then connected to (see post.ts).
 */
const blocked = new BlockList();
const v4: Array<[string, number]> = [
  ["0.0.0.0", 8], // "this network"
  ["10.0.0.0", 8],
  ["100.64.0.0", 10], // CGNAT
  ["127.0.0.0", 8],
  ["169.254.0.0", 16], // link-local, cloud metadata (169.254.169.254)
  ["172.16.0.0", 12],
  ["192.0.0.0", 24], // IETF protocol assignments
  ["192.0.2.0", 24], // documentation
  ["192.88.99.0", 24], // 6to4 relay anycast (deprecated)
  ["192.168.0.0", 16],
  ["198.18.0.0", 15], // benchmarking
  ["198.51.100.0", 24],
  ["203.0.113.0", 24],
  ["224.0.0.0", 4], // multicast
  ["240.0.0.0", 4], // reserved, broadcast
];
for (const [network, prefix] of v4) {
  blocked.addSubnet(network, prefix, "ipv4");
  // The same as IPv4-mapped IPv6 (::ffff:a.b.c.d), whatever its notation.
  blocked.addSubnet(`::ffff:${network}`, 96 + prefix, "ipv6");
}
const v6: Array<[string, number]> = [
  ["::", 96], // unspecified, loopback ::1, IPv4-compatible
  ["::ffff:0:0:0", 96], // IPv4-translated (SIIT): ::ffff:0:a.b.c.d
  ["64:ff9b::", 96], // NAT64: may translate to a private IPv4
  ["64:ff9b:1::", 48],
  // Transition mechanisms embedding an IPv4 address (6to4 2002:7f00:1:: is 127.0.0.1, Teredo 2001::/32):
  // deprecated, and a relay may forward to the address embedded. No receiver needs them.
  ["2001::", 32],
  ["2002::", 16],
  ["100::", 64], // discard
  ["2001:db8::", 32], // documentation
  ["fc00::", 7], // unique local, AWS metadata fd00:ec2::254
  ["fe80::", 10], // link-local
  ["fec0::", 10], // site-local (deprecated)
  ["ff00::", 8], // multicast
];
for (const [network, prefix] of v6) blocked.addSubnet(network, prefix, "ipv6");

/** True when `address` is private, loopback, link-local, metadata, multicast or otherwise not public. */
export function isBlocked(address: string) {
  const family = isIP(address);
  if (family === 0) return true;
  return blocked.check(address, family === 4 ? "ipv4" : "ipv6");
}

export type Resolved = { address: string; family: 4 | 6 };
export type Resolver = (host: string) => Promise<Resolved[]>;

/** Every address of `host` (A and AAAA), as the system resolver gives them. */
export const systemResolver: Resolver = async (host) =>
  (await lookup(host, { all: true, verbatim: true })).map((found) => ({
    address: found.address,
    family: found.family === 6 ? 6 : 4,
  }));

/** `[::1]` → `::1`: URL keeps IPv6 literals in brackets. */
export const bareHost = (hostname: string) => hostname.replace(/^\[(.*)\]$/, "$1");

export class RefusedAddress extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RefusedAddress";
  }
}

/**
 * The addresses to connect to for `url`: HTTPS only, every address public, unless the host is in
 * `allowHosts` (WEBHOOK_ALLOW_HOSTS, for a local receiver; empty in production). Refuses if ANY address
 * is blocked, so a name with one public and one private address cannot be used to reach the private one.
 */
export async function check(url: URL, allowHosts: readonly string[], resolve: Resolver = systemResolver) {
  const host = bareHost(url.hostname).toLowerCase();
  const allowed = allowHosts.includes(host);
  if (url.protocol !== "https:" && !(allowed && url.protocol === "http:"))
    throw new RefusedAddress("Only https:// URLs are accepted");
  if (url.username || url.password) throw new RefusedAddress("URLs with credentials are refused");
  const addresses: Resolved[] = isIP(host)
    ? [{ address: host, family: isIP(host) === 6 ? 6 : 4 }]
    : await resolve(host).catch(() => {
        throw new RefusedAddress(`${host} does not resolve`);
      });
  if (addresses.length === 0) throw new RefusedAddress(`${host} does not resolve`);
  if (!allowed) {
    const bad = addresses.find((found) => isBlocked(found.address));
    // The URL parser already turned 2130706433, 0x7f.1 or 0177.0.0.1 into 127.0.0.1.
    if (bad && isIP(host)) throw new RefusedAddress(`${host} is a private or reserved address`);
    if (bad) throw new RefusedAddress(`${host} resolves to a private or reserved address (${bad.address})`);
  }
  return addresses;
}
