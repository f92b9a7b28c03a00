/** Fresh identifiers, given to every use case instead of `crypto`, so tests choose them. */
export interface Ids {
  /** A random UUID (user, firm, family and token ids). */
  uuid(): string;
  /** 32 random bytes as 64 hex characters (refresh and invite tokens). */
  token(): string;
}
