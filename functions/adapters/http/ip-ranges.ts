import { isIPv4, isIPv6 } from 'node:net';

/** The named address ranges the SSRF guard refuses. */
export type BlockedRange =
  | 'unspecified'
  | 'loopback'
  | 'private'
  | 'link_local'
  | 'shared'
  | 'multicast'
  | 'broadcast'
  | 'documentation'
  | 'benchmarking'
  | 'unique_local'
  | 'reserved'
  | 'not_an_ip';

/**
 * What the guard thinks of one address. `embeddedIpv4` is set when an IPv6 address carries an IPv4 one
 * (IPv4-mapped, NAT64, 6to4) and the verdict is the embedded address's.
 */
export type AddressVerdict =
  | { allowed: true; family: 4 | 6; embeddedIpv4?: string }
  | { allowed: false; family: 4 | 6 | undefined; range: BlockedRange; embeddedIpv4?: string };

interface Ipv4Rule {
  base: number;
  bits: number;
  range: BlockedRange;
}

/** What an IPv6 rule does: refuse as a range, or read the IPv4 address hidden inside and judge that. */
type Ipv6Action = BlockedRange | 'embedded_low32' | 'embedded_6to4';

interface Ipv6Rule {
  base: bigint;
  bits: number;
  action: Ipv6Action;
}

const IPV4_RULES: readonly Ipv4Rule[] = [
  // 0/8 is "this network"; Linux connects 0.0.0.0 to the local host.
  ipv4Rule('0.0.0.0/8', 'unspecified'),
  ipv4Rule('10.0.0.0/8', 'private'),
  ipv4Rule('100.64.0.0/10', 'shared'),
  ipv4Rule('127.0.0.0/8', 'loopback'),
  // Includes 169.254.169.254, the instance metadata service, and 169.254.170.2, the container credentials one.
  ipv4Rule('169.254.0.0/16', 'link_local'),
  ipv4Rule('172.16.0.0/12', 'private'),
  ipv4Rule('192.0.0.0/24', 'reserved'),
  ipv4Rule('192.0.2.0/24', 'documentation'),
  // The deprecated 6to4 relay anycast prefix: not a host anyone serves recordings from.
  ipv4Rule('192.88.99.0/24', 'reserved'),
  ipv4Rule('192.168.0.0/16', 'private'),
  ipv4Rule('198.18.0.0/15', 'benchmarking'),
  ipv4Rule('198.51.100.0/24', 'documentation'),
  ipv4Rule('203.0.113.0/24', 'documentation'),
  ipv4Rule('224.0.0.0/4', 'multicast'),
  ipv4Rule('255.255.255.255/32', 'broadcast'),
  ipv4Rule('240.0.0.0/4', 'reserved'),
];

/** First match wins, so the specific prefixes come before the catch-all outside 2000::/3. */
const IPV6_RULES: readonly Ipv6Rule[] = [
  ipv6Rule('::/128', 'unspecified'),
  ipv6Rule('::1/128', 'loopback'),
  ipv6Rule('::ffff:0:0/96', 'embedded_low32'),
  // IPv4-compatible addresses are deprecated (RFC 4291) and no public server has one: refused whatever they embed.
  ipv6Rule('::/96', 'reserved'),
  ipv6Rule('64:ff9b::/96', 'embedded_low32'),
  ipv6Rule('64:ff9b:1::/48', 'reserved'),
  ipv6Rule('100::/64', 'reserved'),
  // IETF protocol assignments, Teredo (2001::/32) among them: tunnels that would carry us past the policy.
  ipv6Rule('2001::/23', 'reserved'),
  ipv6Rule('2001:db8::/32', 'documentation'),
  ipv6Rule('2002::/16', 'embedded_6to4'),
  ipv6Rule('3fff::/20', 'documentation'),
  ipv6Rule('fc00::/7', 'unique_local'),
  ipv6Rule('fe80::/10', 'link_local'),
  // Site-local is deprecated (RFC 3879) but still routed privately where it lingers.
  ipv6Rule('fec0::/10', 'private'),
  ipv6Rule('ff00::/8', 'multicast'),
];

const GLOBAL_UNICAST = ipv6Rule('2000::/3', 'reserved');

const RANGE_WORDS: Readonly<Record<BlockedRange, string>> = {
  unspecified: 'an unspecified address',
  loopback: 'a loopback address',
  private: 'a private-network address',
  link_local: 'a link-local address (such as the cloud metadata service)',
  shared: 'a carrier-grade NAT address',
  multicast: 'a multicast address',
  broadcast: 'the broadcast address',
  documentation: 'an address reserved for documentation',
  benchmarking: 'an address reserved for benchmarking',
  unique_local: 'a private IPv6 (unique local) address',
  reserved: 'a reserved address',
  not_an_ip: 'something that is not an IP address',
};

/**
 * Classifies one IP address (v4 dotted quad or any IPv6 text form, zone id allowed) as fetchable or as a
 * named blocked range. IPv6 forms that carry an IPv4 address are judged by that address.
 */
export function classifyAddress(address: string): AddressVerdict {
  if (isIPv4(address)) return classifyIpv4(ipv4ToInt(address));
  const unzoned = address.split('%', 1)[0] ?? '';
  if (!isIPv6(unzoned)) return { allowed: false, family: undefined, range: 'not_an_ip' };
  return classifyIpv6(ipv6ToBigInt(unzoned));
}

/** True when `address` is an IP the guard would connect to. */
export function isPublicAddress(address: string): boolean {
  return classifyAddress(address).allowed;
}

/** The range in words for a message to the meeting's owner, e.g. "a private-network address". */
export function describeRange(range: BlockedRange): string {
  return RANGE_WORDS[range];
}

function classifyIpv4(value: number): AddressVerdict {
  for (const rule of IPV4_RULES) {
    if (inIpv4Prefix(value, rule)) return { allowed: false, family: 4, range: rule.range };
  }
  return { allowed: true, family: 4 };
}

function classifyIpv6(value: bigint): AddressVerdict {
  const rule = IPV6_RULES.find((candidate) => inIpv6Prefix(value, candidate));
  if (rule === undefined) {
    return inIpv6Prefix(value, GLOBAL_UNICAST)
      ? { allowed: true, family: 6 }
      : { allowed: false, family: 6, range: 'reserved' };
  }
  if (rule.action === 'embedded_low32' || rule.action === 'embedded_6to4') {
    const shift = rule.action === 'embedded_low32' ? 0n : 80n;
    const embedded = Number((value >> shift) & 0xffff_ffffn);
    const verdict = classifyIpv4(embedded);
    const embeddedIpv4 = intToIpv4(embedded);
    return verdict.allowed
      ? { allowed: true, family: 6, embeddedIpv4 }
      : { allowed: false, family: 6, range: verdict.range, embeddedIpv4 };
  }
  return { allowed: false, family: 6, range: rule.action };
}

function inIpv4Prefix(value: number, rule: Ipv4Rule): boolean {
  const shift = 32 - rule.bits;
  // `>>>` by 32 is a no-op in JavaScript, so a /0 needs its own answer.
  return shift === 32 || value >>> shift === rule.base >>> shift;
}

function inIpv6Prefix(value: bigint, rule: Ipv6Rule): boolean {
  const shift = BigInt(128 - rule.bits);
  return value >> shift === rule.base >> shift;
}

function ipv4ToInt(address: string): number {
  return address.split('.').reduce((value, octet) => value * 256 + Number(octet), 0);
}

function intToIpv4(value: number): string {
  return [24, 16, 8, 0].map((shift) => (value >>> shift) & 0xff).join('.');
}

/** Expects text that `isIPv6` accepted: `::` compression and a dotted IPv4 tail are expanded here. */
function ipv6ToBigInt(address: string): bigint {
  let text = address;
  const lastColon = text.lastIndexOf(':');
  const tail = text.slice(lastColon + 1);
  if (tail.includes('.')) {
    const v4 = ipv4ToInt(tail);
    text = `${text.slice(0, lastColon + 1)}${(v4 >>> 16).toString(16)}:${(v4 & 0xffff).toString(16)}`;
  }
  const [head = '', rest] = text.split('::');
  const headGroups = head === '' ? [] : head.split(':');
  const tailGroups = rest === undefined || rest === '' ? [] : rest.split(':');
  const zeros = rest === undefined ? [] : Array<string>(8 - headGroups.length - tailGroups.length).fill('0');
  return [...headGroups, ...zeros, ...tailGroups].reduce(
    (value, group) => (value << 16n) | BigInt(Number.parseInt(group, 16)),
    0n,
  );
}

function ipv4Rule(cidr: string, range: BlockedRange): Ipv4Rule {
  const [base = '', bits = ''] = cidr.split('/');
  return { base: ipv4ToInt(base), bits: Number(bits), range };
}

function ipv6Rule(cidr: string, action: Ipv6Action): Ipv6Rule {
  const [base = '', bits = ''] = cidr.split('/');
  return { base: ipv6ToBigInt(base), bits: Number(bits), action };
}
