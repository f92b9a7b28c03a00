import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import type { ResolvedAddress, Resolver } from '../../../functions/adapters/http/dns-resolver';
import { safeFetch, vetUrl } from '../../../functions/adapters/http/safe-fetch';
import { type UrlRefusalReason, UrlRefusedError } from '../../../functions/platform/errors';
import { mapError } from '../../../functions/platform/http/error-status';

const PUBLIC_V4 = '93.184.216.34';
const PUBLIC_V6 = '2606:2800:220:1:248:1893:25c8:1946';

const DNS: Readonly<Record<string, readonly string[]>> = {
  'recordings.example.com': [PUBLIC_V4, PUBLIC_V6],
  'xn--bcher-kva.example': [PUBLIC_V4],
  'mixed.example.com': [PUBLIC_V4, '10.0.0.5'],
  'mixed-v6.example.com': [PUBLIC_V4, PUBLIC_V6, 'fd00::1'],
  'private-last.example.com': [PUBLIC_V4, PUBLIC_V4, PUBLIC_V6, '192.168.0.10'],
  localhost: ['127.0.0.1', '::1'],
  'metadata.example.com': ['169.254.169.254'],
  'mapped.example.com': ['::ffff:10.1.2.3'],
  'nat64.example.com': ['64:ff9b::a9fe:a9fe'],
  '127.0.0.1.nip.io': ['127.0.0.1'],
  'cgnat.example.com': ['100.64.0.1'],
  'zero.example.com': ['0.0.0.0'],
  'empty.example.com': [],
  'garbage.example.com': ['not-an-ip'],
};

/** Answers from the table above; an unknown name fails the way `dns.lookup` does. */
const fakeResolver: Resolver = async (hostname) => {
  const answers = DNS[hostname];
  if (answers === undefined) {
    throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
  }
  return answers.map((address): ResolvedAddress => ({ address, family: address.includes(':') ? 6 : 4 }));
};

interface UrlVector {
  url: string;
  expect: 'ok' | UrlRefusalReason;
  allowPorts?: number[];
  /** For `private_address`: the answer that was refused (kept for the log, never in the message). */
  address?: string;
}

const URL_VECTORS: readonly UrlVector[] = [
  { url: 'https://recordings.example.com/rec.mp4', expect: 'ok' },
  { url: 'HTTPS://Recordings.Example.COM/rec.mp4?access_token=abc', expect: 'ok' },
  { url: 'https://recordings.example.com:443/rec.mp4', expect: 'ok' },
  { url: 'https://bücher.example/rec.mp4', expect: 'ok' },
  { url: 'https://8.8.8.8/rec.mp4', expect: 'ok' },
  { url: 'https://[2606:4700:4700::1111]/rec.mp4', expect: 'ok' },
  { url: 'https://[::ffff:8.8.8.8]/rec.mp4', expect: 'ok' },
  { url: 'https://recordings.example.com:8443/rec.mp4', expect: 'ok', allowPorts: [8443] },
  // Schemes
  { url: 'http://recordings.example.com/rec.mp4', expect: 'scheme' },
  { url: 'file:///etc/passwd', expect: 'scheme' },
  { url: 'ftp://recordings.example.com/rec.mp4', expect: 'scheme' },
  { url: 'data:text/plain,hello', expect: 'scheme' },
  { url: 'gopher://recordings.example.com:70/_stats', expect: 'scheme' },
  { url: 'javascript:alert(1)', expect: 'scheme' },
  { url: 'wss://recordings.example.com/socket', expect: 'scheme' },
  { url: 'blob:https://recordings.example.com/5f1c', expect: 'scheme' },
  { url: 'dict://recordings.example.com:11211/stats', expect: 'scheme' },
  // Not a URL at all
  { url: 'recordings.example.com/rec.mp4', expect: 'invalid_url' },
  { url: '//recordings.example.com/rec.mp4', expect: 'invalid_url' },
  { url: 'https://', expect: 'invalid_url' },
  { url: 'https://recordings.example.com:65536/', expect: 'invalid_url' },
  { url: `https://recordings.example.com/${'a'.repeat(9000)}`, expect: 'invalid_url' },
  // Userinfo
  { url: 'https://user:pass@recordings.example.com/rec.mp4', expect: 'userinfo' },
  { url: 'https://user@recordings.example.com/rec.mp4', expect: 'userinfo' },
  { url: 'https://:pass@recordings.example.com/rec.mp4', expect: 'userinfo' },
  { url: 'https://recordings.example.com@127.0.0.1/rec.mp4', expect: 'userinfo' },
  // Ports
  { url: 'https://recordings.example.com:8443/rec.mp4', expect: 'port' },
  { url: 'https://recordings.example.com:22/', expect: 'port', allowPorts: [8443] },
  { url: 'https://recordings.example.com:80/', expect: 'port' },
  { url: 'https://recordings.example.com:6379/', expect: 'port' },
  { url: 'https://recordings.example.com:0/', expect: 'port' },
  // IP literals, in every encoding WHATWG URL normalises
  { url: 'https://127.0.0.1/', expect: 'private_address', address: '127.0.0.1' },
  { url: 'https://2130706433/', expect: 'private_address', address: '127.0.0.1' },
  { url: 'https://0x7f.1/', expect: 'private_address', address: '127.0.0.1' },
  { url: 'https://017700000001/', expect: 'private_address', address: '127.0.0.1' },
  { url: 'https://0177.0.0.1/', expect: 'private_address', address: '127.0.0.1' },
  { url: 'https://127.1/', expect: 'private_address', address: '127.0.0.1' },
  { url: 'https://127.0.0.1./', expect: 'private_address', address: '127.0.0.1' },
  { url: 'https://%31%32%37.0.0.1/', expect: 'private_address', address: '127.0.0.1' },
  { url: 'https://１２７.0.0.1/', expect: 'private_address', address: '127.0.0.1' },
  { url: 'https://0/', expect: 'private_address', address: '0.0.0.0' },
  { url: 'https://169.254.169.254/latest/meta-data/', expect: 'private_address', address: '169.254.169.254' },
  { url: 'https://0xa9fea9fe/latest/meta-data/', expect: 'private_address', address: '169.254.169.254' },
  { url: 'https://10.0.0.1/', expect: 'private_address' },
  { url: 'https://172.16.5.4/', expect: 'private_address' },
  { url: 'https://192.168.1.1/', expect: 'private_address' },
  { url: 'https://100.64.0.1/', expect: 'private_address' },
  { url: 'https://224.0.0.1/', expect: 'private_address' },
  { url: 'https://255.255.255.255/', expect: 'private_address' },
  { url: 'https://198.18.0.1/', expect: 'private_address' },
  { url: 'https://192.0.2.1/', expect: 'private_address' },
  { url: 'https://[::]/', expect: 'private_address', address: '::' },
  { url: 'https://[::1]/', expect: 'private_address', address: '::1' },
  { url: 'https://[0:0:0:0:0:0:0:1]/', expect: 'private_address', address: '::1' },
  { url: 'https://[::ffff:127.0.0.1]/', expect: 'private_address', address: '::ffff:7f00:1' },
  { url: 'https://[::ffff:a9fe:a9fe]/', expect: 'private_address', address: '::ffff:a9fe:a9fe' },
  { url: 'https://[::127.0.0.1]/', expect: 'private_address' },
  { url: 'https://[64:ff9b::169.254.169.254]/', expect: 'private_address' },
  { url: 'https://[2002:a9fe:a9fe::1]/', expect: 'private_address' },
  { url: 'https://[fd00:ec2::254]/latest/meta-data/', expect: 'private_address', address: 'fd00:ec2::254' },
  { url: 'https://[fe80::1]/', expect: 'private_address' },
  { url: 'https://[ff02::1]/', expect: 'private_address' },
  { url: 'https://[2001:db8::1]/', expect: 'private_address' },
  // Host names: every answer counts
  { url: 'https://localhost/', expect: 'private_address', address: '127.0.0.1' },
  { url: 'https://mixed.example.com/rec.mp4', expect: 'private_address', address: '10.0.0.5' },
  { url: 'https://mixed-v6.example.com/rec.mp4', expect: 'private_address', address: 'fd00::1' },
  { url: 'https://private-last.example.com/rec.mp4', expect: 'private_address', address: '192.168.0.10' },
  { url: 'https://metadata.example.com/', expect: 'private_address', address: '169.254.169.254' },
  { url: 'https://mapped.example.com/', expect: 'private_address', address: '::ffff:10.1.2.3' },
  { url: 'https://nat64.example.com/', expect: 'private_address', address: '64:ff9b::a9fe:a9fe' },
  { url: 'https://127.0.0.1.nip.io/', expect: 'private_address', address: '127.0.0.1' },
  { url: 'https://cgnat.example.com/', expect: 'private_address', address: '100.64.0.1' },
  { url: 'https://zero.example.com/', expect: 'private_address', address: '0.0.0.0' },
  // DNS failures
  { url: 'https://nowhere.example.com/rec.mp4', expect: 'dns_failure' },
  { url: 'https://empty.example.com/rec.mp4', expect: 'dns_failure' },
  { url: 'https://garbage.example.com/rec.mp4', expect: 'dns_failure' },
];

async function refusalOf(promise: Promise<unknown>): Promise<UrlRefusedError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof UrlRefusedError))
    throw new Error(`expected a UrlRefusedError, got ${String(error)}`);
  return error;
}

describe('vetUrl', () => {
  it('has more than 40 URL vectors', () => {
    expect(URL_VECTORS.length).toBeGreaterThan(40);
  });

  it.each(URL_VECTORS)('$url → $expect', async (vector) => {
    const options = {
      resolver: fakeResolver,
      ...(vector.allowPorts ? { allowPorts: vector.allowPorts } : {}),
    };
    if (vector.expect === 'ok') {
      await expect(vetUrl(vector.url, options)).resolves.toMatchObject({ url: expect.any(URL) });
      return;
    }
    const refusal = await refusalOf(vetUrl(vector.url, options));
    expect(refusal.reason).toBe(vector.expect);
    if (vector.address !== undefined) expect(refusal.address).toBe(vector.address);
  });

  it('returns every vetted answer, so the connection can use only those', async () => {
    const target = await vetUrl('https://recordings.example.com/rec.mp4', { resolver: fakeResolver });
    expect(target.addresses).toEqual([
      { address: PUBLIC_V4, family: 4 },
      { address: PUBLIC_V6, family: 6 },
    ]);
    expect(target).toMatchObject({
      hostname: 'recordings.example.com',
      port: 443,
      literalAddress: undefined,
    });
  });

  it('does not ask the resolver about an IP literal', async () => {
    const resolver = vi.fn(fakeResolver);
    await refusalOf(vetUrl('https://0x7f.1/', { resolver }));
    await vetUrl('https://[2606:4700:4700::1111]/', { resolver });
    expect(resolver).not.toHaveBeenCalled();
  });

  it('asks the resolver for the ASCII (punycode) host name', async () => {
    const resolver = vi.fn(fakeResolver);
    await vetUrl('https://BÜCHER.example/x', { resolver });
    expect(resolver).toHaveBeenCalledWith('xn--bcher-kva.example');
  });

  it('keeps the query and the refused address out of the message and the error url', async () => {
    const refusal = await refusalOf(
      vetUrl('https://mixed.example.com/rec.mp4?access_token=SECRET#t=1', { resolver: fakeResolver }),
    );
    expect(refusal.message).toBe(
      'mixed.example.com resolves to a private-network address, which is never fetched.',
    );
    expect(refusal.url).toBe('https://mixed.example.com/rec.mp4');
    expect(JSON.stringify(mapError(refusal, 'req-1'))).not.toMatch(/SECRET|10\.0\.0\.5/);
  });

  it('answers 400 with the reason in words at the HTTP edge', async () => {
    const refusal = await refusalOf(vetUrl('http://recordings.example.com/', { resolver: fakeResolver }));
    expect(mapError(refusal, 'req-1')).toEqual({
      status: 400,
      headers: {},
      body: {
        error: {
          code: 'url_refused',
          message: 'Only https:// URLs can be fetched, not http://.',
          issues: [{ path: 'url', message: 'Only https:// URLs can be fetched, not http://.' }],
          request_id: 'req-1',
        },
      },
    });
  });

  it('keeps the DNS error as the cause of a dns_failure', async () => {
    const refusal = await refusalOf(vetUrl('https://nowhere.example.com/', { resolver: fakeResolver }));
    expect((refusal.cause as { code?: string }).code).toBe('ENOTFOUND');
  });

  it('rejects an allowPorts entry that is not a TCP port, as a programming error', async () => {
    await expect(vetUrl('https://recordings.example.com/', { allowPorts: [70_000] })).rejects.toThrow(
      RangeError,
    );
  });

  it('lets the test hook admit a refused address, and only the one it names', async () => {
    const unsafeTestOverrides = { allowAddress: (address: string) => address === '127.0.0.1' };
    await expect(vetUrl('https://127.0.0.1/', { unsafeTestOverrides })).resolves.toBeDefined();
    expect(
      (await refusalOf(vetUrl('https://localhost/', { resolver: fakeResolver, unsafeTestOverrides })))
        .address,
    ).toBe('::1');
  });
});

describe('safeFetch before it connects', () => {
  const limits = { maxBytes: 1024, timeoutMs: 1000, resolver: fakeResolver };

  it('refuses a host with one private answer among public ones without opening a connection', async () => {
    const refusal = await refusalOf(safeFetch('https://mixed.example.com/rec.mp4', limits));
    expect(refusal.reason).toBe('private_address');
  });

  it('times out while DNS hangs, with the total deadline', async () => {
    const hanging: Resolver = () => new Promise(() => {});
    const refusal = await refusalOf(
      safeFetch('https://recordings.example.com/rec.mp4?access_token=SECRET', {
        ...limits,
        timeoutMs: 30,
        resolver: hanging,
      }),
    );
    expect(refusal.reason).toBe('timeout');
    expect(refusal.url).toBe('https://recordings.example.com/rec.mp4');
  });

  it("rejects with the caller's own abort reason", async () => {
    const controller = new AbortController();
    const reason = new Error('lambda is out of time');
    controller.abort(reason);
    await expect(
      safeFetch('https://recordings.example.com/rec.mp4', { ...limits, signal: controller.signal }),
    ).rejects.toBe(reason);
  });
});

describe('unsafeTestOverrides', () => {
  it('is never set by production code', () => {
    const root = fileURLToPath(new URL('../../../', import.meta.url));
    const allowed = new Set(['functions/adapters/http/safe-fetch.ts']);
    const offenders = ['functions', 'lib', 'bin']
      .flatMap((dir) => sourceFiles(join(root, dir)))
      .map((file) => relative(root, file))
      .filter(
        (file) =>
          !allowed.has(file) && readFileSync(join(root, file), 'utf8').includes('unsafeTestOverrides'),
      );
    expect(offenders).toEqual([]);
  });
});

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.[cm]?[jt]s$/.test(name) ? [path] : [];
  });
}
