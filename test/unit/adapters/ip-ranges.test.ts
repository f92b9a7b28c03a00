import { BlockList } from 'node:net';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type BlockedRange,
  classifyAddress,
  describeRange,
  isPublicAddress,
} from '../../../functions/adapters/http/ip-ranges';

type Expected = 'allowed' | BlockedRange;

/** Each range with the addresses just inside and just outside both of its edges. */
const IPV4_VECTORS: ReadonlyArray<readonly [string, Expected]> = [
  ['0.0.0.0', 'unspecified'],
  ['0.255.255.255', 'unspecified'],
  ['1.0.0.0', 'allowed'],
  ['9.255.255.255', 'allowed'],
  ['10.0.0.0', 'private'],
  ['10.255.255.255', 'private'],
  ['11.0.0.0', 'allowed'],
  ['100.63.255.255', 'allowed'],
  ['100.64.0.0', 'shared'],
  ['100.127.255.255', 'shared'],
  ['100.128.0.0', 'allowed'],
  ['126.255.255.255', 'allowed'],
  ['127.0.0.0', 'loopback'],
  ['127.0.0.1', 'loopback'],
  ['127.255.255.255', 'loopback'],
  ['128.0.0.0', 'allowed'],
  ['169.253.255.255', 'allowed'],
  ['169.254.0.0', 'link_local'],
  ['169.254.169.254', 'link_local'],
  ['169.254.170.2', 'link_local'],
  ['169.254.255.255', 'link_local'],
  ['169.255.0.0', 'allowed'],
  ['172.15.255.255', 'allowed'],
  ['172.16.0.0', 'private'],
  ['172.31.255.255', 'private'],
  ['172.32.0.0', 'allowed'],
  ['191.255.255.255', 'allowed'],
  ['192.0.0.0', 'reserved'],
  ['192.0.0.255', 'reserved'],
  ['192.0.1.0', 'allowed'],
  ['192.0.2.0', 'documentation'],
  ['192.0.2.255', 'documentation'],
  ['192.0.3.0', 'allowed'],
  ['192.88.98.255', 'allowed'],
  ['192.88.99.1', 'reserved'],
  ['192.88.100.0', 'allowed'],
  ['192.167.255.255', 'allowed'],
  ['192.168.0.0', 'private'],
  ['192.168.255.255', 'private'],
  ['192.169.0.0', 'allowed'],
  ['198.17.255.255', 'allowed'],
  ['198.18.0.0', 'benchmarking'],
  ['198.19.255.255', 'benchmarking'],
  ['198.20.0.0', 'allowed'],
  ['198.51.99.255', 'allowed'],
  ['198.51.100.0', 'documentation'],
  ['198.51.100.255', 'documentation'],
  ['198.51.101.0', 'allowed'],
  ['203.0.112.255', 'allowed'],
  ['203.0.113.0', 'documentation'],
  ['203.0.113.255', 'documentation'],
  ['203.0.114.0', 'allowed'],
  ['223.255.255.255', 'allowed'],
  ['224.0.0.0', 'multicast'],
  ['239.255.255.255', 'multicast'],
  ['240.0.0.0', 'reserved'],
  ['255.255.255.254', 'reserved'],
  ['255.255.255.255', 'broadcast'],
  ['8.8.8.8', 'allowed'],
  ['52.95.110.1', 'allowed'],
];

const IPV6_VECTORS: ReadonlyArray<readonly [string, Expected]> = [
  ['::', 'unspecified'],
  ['0:0:0:0:0:0:0:0', 'unspecified'],
  ['::1', 'loopback'],
  ['0000:0000:0000:0000:0000:0000:0000:0001', 'loopback'],
  ['::2', 'reserved'],
  ['::127.0.0.1', 'reserved'],
  ['::8.8.8.8', 'reserved'],
  ['::fffe:ffff:ffff', 'reserved'],
  ['::1:0:0:0', 'reserved'],
  ['::ffff:0:8.8.8.8', 'reserved'],
  ['64:ff9b:1::1', 'reserved'],
  ['100::1', 'reserved'],
  ['100::ffff:ffff:ffff:ffff', 'reserved'],
  ['1fff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', 'reserved'],
  ['2000::', 'allowed'],
  ['2001::', 'reserved'],
  ['2001:0:4136:e378:8000:63bf:3fff:fdd2', 'reserved'],
  ['2001:1ff:ffff:ffff:ffff:ffff:ffff:ffff', 'reserved'],
  ['2001:200::', 'allowed'],
  ['2001:db7:ffff:ffff:ffff:ffff:ffff:ffff', 'allowed'],
  ['2001:db8::', 'documentation'],
  ['2001:db8:ffff:ffff:ffff:ffff:ffff:ffff', 'documentation'],
  ['2001:db9::', 'allowed'],
  ['2001:ffff:ffff:ffff:ffff:ffff:ffff:ffff', 'allowed'],
  ['2003::', 'allowed'],
  ['3ffe:ffff::', 'allowed'],
  ['3fff::', 'documentation'],
  ['3fff:fff:ffff:ffff:ffff:ffff:ffff:ffff', 'documentation'],
  ['3fff:1000::', 'allowed'],
  ['3fff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', 'allowed'],
  ['4000::', 'reserved'],
  ['5f00::1', 'reserved'],
  ['fbff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', 'reserved'],
  ['fc00::', 'unique_local'],
  ['fd00:ec2::254', 'unique_local'],
  ['fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', 'unique_local'],
  ['fe00::', 'reserved'],
  ['fe7f:ffff:ffff:ffff:ffff:ffff:ffff:ffff', 'reserved'],
  ['fe80::', 'link_local'],
  ['fe80::1%eth0', 'link_local'],
  ['febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff', 'link_local'],
  ['fec0::', 'private'],
  ['feff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', 'private'],
  ['ff00::', 'multicast'],
  ['ff02::1', 'multicast'],
  ['ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', 'multicast'],
  ['2606:4700:4700::1111', 'allowed'],
  ['2a05:d018:1234::1', 'allowed'],
];

/** IPv6 forms that carry an IPv4 address: judged by the address they carry, which the verdict reports. */
const EMBEDDED_VECTORS: ReadonlyArray<readonly [string, Expected, string]> = [
  ['::ffff:127.0.0.1', 'loopback', '127.0.0.1'],
  ['::ffff:7f00:1', 'loopback', '127.0.0.1'],
  ['::FFFF:127.0.0.1', 'loopback', '127.0.0.1'],
  ['0:0:0:0:0:ffff:7f00:0001', 'loopback', '127.0.0.1'],
  ['::ffff:0:0', 'unspecified', '0.0.0.0'],
  ['::ffff:10.0.0.1', 'private', '10.0.0.1'],
  ['::ffff:169.254.169.254', 'link_local', '169.254.169.254'],
  ['::ffff:a9fe:a9fe', 'link_local', '169.254.169.254'],
  ['::ffff:100.64.0.1', 'shared', '100.64.0.1'],
  ['::ffff:255.255.255.255', 'broadcast', '255.255.255.255'],
  ['::ffff:8.8.8.8', 'allowed', '8.8.8.8'],
  ['64:ff9b::8.8.8.8', 'allowed', '8.8.8.8'],
  ['64:ff9b::10.0.0.1', 'private', '10.0.0.1'],
  ['64:ff9b::a9fe:a9fe', 'link_local', '169.254.169.254'],
  ['64:ff9b::7f00:1', 'loopback', '127.0.0.1'],
  ['64:ff9b::c000:201', 'documentation', '192.0.2.1'],
  ['2002:808:808::', 'allowed', '8.8.8.8'],
  ['2002:7f00:1::', 'loopback', '127.0.0.1'],
  ['2002:a9fe:a9fe::1', 'link_local', '169.254.169.254'],
  ['2002:c0a8:101:ffff:ffff:ffff:ffff:ffff', 'private', '192.168.1.1'],
  ['2002:ac10::', 'private', '172.16.0.0'],
];

/** Resolver answers are judged strictly: a loose form that a URL parser would normalise is not an address. */
const NOT_ADDRESSES = [
  '',
  'example.com',
  '256.1.1.1',
  '1.2.3',
  '127.1',
  '0x7f000001',
  '017700000001',
  '::g',
  '1::2::3',
];

function verdictOf(address: string): Expected {
  const verdict = classifyAddress(address);
  return verdict.allowed ? 'allowed' : verdict.range;
}

describe('classifyAddress', () => {
  it.each(IPV4_VECTORS)('classifies %s as %s', (address, expected) => {
    expect(verdictOf(address)).toBe(expected);
    expect(classifyAddress(address).family).toBe(4);
  });

  it.each(IPV6_VECTORS)('classifies %s as %s', (address, expected) => {
    expect(verdictOf(address)).toBe(expected);
    expect(classifyAddress(address).family).toBe(6);
  });

  it.each(EMBEDDED_VECTORS)('judges %s as %s by the IPv4 address %s inside it', (address, expected, v4) => {
    expect(verdictOf(address)).toBe(expected);
    expect(classifyAddress(address).embeddedIpv4).toBe(v4);
  });

  it.each(NOT_ADDRESSES)('refuses %j as not an IP address', (text) => {
    expect(classifyAddress(text)).toEqual({ allowed: false, family: undefined, range: 'not_an_ip' });
  });

  it('agrees with node:net BlockList on random IPv4 addresses, near every edge and anywhere', () => {
    const blocked = new BlockList();
    for (const [base, bits] of [
      ['0.0.0.0', 8],
      ['10.0.0.0', 8],
      ['100.64.0.0', 10],
      ['127.0.0.0', 8],
      ['169.254.0.0', 16],
      ['172.16.0.0', 12],
      ['192.0.0.0', 24],
      ['192.0.2.0', 24],
      ['192.88.99.0', 24],
      ['192.168.0.0', 16],
      ['198.18.0.0', 15],
      ['198.51.100.0', 24],
      ['203.0.113.0', 24],
      ['224.0.0.0', 3],
    ] as const) {
      blocked.addSubnet(base, bits, 'ipv4');
    }
    const edges = IPV4_VECTORS.map(([address]) =>
      address.split('.').reduce((n, octet) => n * 256 + Number(octet), 0),
    );
    const anyAddress = fc.oneof(
      fc.integer({ min: 0, max: 0xffff_ffff }),
      fc
        .tuple(fc.constantFrom(...edges), fc.integer({ min: -2, max: 2 }))
        .map(([edge, offset]) => Math.min(0xffff_ffff, Math.max(0, edge + offset))),
    );
    fc.assert(
      fc.property(anyAddress, (value) => {
        const address = [24, 16, 8, 0].map((shift) => (value >>> shift) & 0xff).join('.');
        expect(isPublicAddress(address)).toBe(!blocked.check(address, 'ipv4'));
      }),
      { numRuns: 2000 },
    );
  });

  it('judges every IPv4 address the same in its IPv4-mapped and NAT64 forms', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffff_ffff }), (value) => {
        const address = [24, 16, 8, 0].map((shift) => (value >>> shift) & 0xff).join('.');
        const plain = verdictOf(address);
        expect(verdictOf(`::ffff:${address}`)).toBe(plain);
        expect(verdictOf(`64:ff9b::${address}`)).toBe(plain);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('describeRange', () => {
  it('names the range in words a meeting owner can read', () => {
    expect(describeRange('private')).toBe('a private-network address');
    expect(describeRange('link_local')).toContain('metadata');
  });
});
