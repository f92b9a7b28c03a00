import { isIPv4 } from 'node:net';
import { UrlRefusedError } from '../../platform/errors';
import { redactUrl } from './redact-url';

/** The standard https port; any other must be configured by an operator, never taken from user input. */
export const HTTPS_PORT = 443;

/** Longer than any recording link we know (Zoom's carry a JWT), short enough to refuse junk early. */
const MAX_URL_LENGTH = 8192;

/** A URL whose shape passed the policy; its address is still to be checked. */
export interface FetchTarget {
  url: URL;
  /** The host without IPv6 brackets, as the resolver and TLS see it. */
  hostname: string;
  port: number;
  /** Set when the URL names an IP address itself (after WHATWG normalisation): nothing to resolve. */
  literalAddress: string | undefined;
}

/**
 * Checks what can be checked without the network: an absolute https URL, no userinfo, an allowed port. WHATWG
 * parsing has already turned `2130706433`, `0x7f.1` or `%31%32%37.0.0.1` into `127.0.0.1`, so an IP written in
 * any encoding comes back as `literalAddress` for the address policy to judge.
 */
export function checkUrlShape(input: string | URL, allowedPorts: ReadonlySet<number>): FetchTarget {
  const text = typeof input === 'string' ? input : input.href;
  if (text.length > MAX_URL_LENGTH) {
    throw new UrlRefusedError('invalid_url', `The URL is longer than ${MAX_URL_LENGTH} characters.`);
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch (cause) {
    throw new UrlRefusedError('invalid_url', 'The URL is not a valid absolute URL.', { cause });
  }
  const redacted = redactUrl(url);
  if (url.protocol !== 'https:') {
    throw new UrlRefusedError('scheme', `Only https:// URLs can be fetched, not ${url.protocol}//.`, {
      url: redacted,
    });
  }
  if (url.username !== '' || url.password !== '') {
    throw new UrlRefusedError(
      'userinfo',
      'URLs with a user name or password in them are not accepted; share a link without credentials.',
      { url: redacted },
    );
  }
  const port = url.port === '' ? HTTPS_PORT : Number(url.port);
  if (!allowedPorts.has(port)) {
    throw new UrlRefusedError(
      'port',
      `Port ${port} is not allowed; use a standard https:// link (port 443).`,
      {
        url: redacted,
      },
    );
  }
  const hostname = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  const literal = url.hostname.startsWith('[') || isIPv4(hostname);
  return { url, hostname, port, literalAddress: literal ? hostname : undefined };
}

/** 443 plus the operator's extra ports, each checked to be a real TCP port. */
export function allowedPortSet(extra: readonly number[] = []): ReadonlySet<number> {
  for (const port of extra) {
    if (!Number.isInteger(port) || port < 1 || port > 65_535) {
      throw new RangeError(`allowPorts holds ${port}, which is not a TCP port.`);
    }
  }
  return new Set([HTTPS_PORT, ...extra]);
}
