/** A platform access token and when it stops being usable (ms since the epoch). */
export interface CachedToken {
  accessToken: string;
  expiresAtMs: number;
}

/**
 * Access tokens per firm credential (a Graph app, a Google service account and subject), kept for the life of the function instance so each notification or
 * fetch does not pay a token round trip. Lives in memory only: a token is never written anywhere.
 */
export class AccessTokenCache {
  private readonly tokens = new Map<string, CachedToken>();

  get(key: string, nowMs: number): string | undefined {
    const cached = this.tokens.get(key);
    if (cached === undefined || cached.expiresAtMs <= nowMs) return undefined;
    return cached.accessToken;
  }

  set(key: string, token: CachedToken): void {
    this.tokens.set(key, token);
  }

  drop(key: string): void {
    this.tokens.delete(key);
  }
}
