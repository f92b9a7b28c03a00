import { lookup } from 'node:dns/promises';

export interface ResolvedAddress {
  address: string;
  family: number;
}

/** Every address a host name resolves to. Injectable so tests can answer without a network. */
export type Resolver = (hostname: string) => Promise<readonly ResolvedAddress[]>;

/**
 * The operating system's resolver, asked for all A and AAAA answers in the order it gives them, so the guard
 * sees every address a later connection could use.
 */
export const systemResolver: Resolver = (hostname) => lookup(hostname, { all: true, verbatim: true });
