/** A small JSON client for integration tests against the local host. */
export interface ApiResponse<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: T;
}

export function apiClient(baseUrl: string) {
  const call = async <T = Record<string, unknown>>(
    method: string,
    path: string,
    options: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
  ): Promise<ApiResponse<T>> => {
    const res = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        ...options.headers,
      },
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: (text ? JSON.parse(text) : null) as T };
  };
  return {
    call,
    get: <T = Record<string, unknown>>(path: string, token?: string) =>
      call<T>('GET', path, token ? { token } : {}),
    post: <T = Record<string, unknown>>(path: string, body: unknown, token?: string) =>
      call<T>('POST', path, { body, ...(token ? { token } : {}) }),
    put: <T = Record<string, unknown>>(path: string, body: unknown, token?: string) =>
      call<T>('PUT', path, { body, ...(token ? { token } : {}) }),
    patch: <T = Record<string, unknown>>(path: string, body: unknown, token?: string) =>
      call<T>('PATCH', path, { body, ...(token ? { token } : {}) }),
    /**
     * `GET /api/v1/audit…` once the chain writer has linked every recorded event (the answer's `chain.pending`
     * is 0): events are recorded with their changes and chained moments later, off the request path.
     */
    settledAudit: async <T = Record<string, unknown>>(path: string, token: string) => {
      for (let attempt = 0; ; attempt += 1) {
        const res = await call<T & { chain?: { pending?: number } }>('GET', path, { token });
        if (res.status !== 200 || res.body.chain?.pending === 0 || attempt >= 200) return res;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
  };
}

export type ApiClient = ReturnType<typeof apiClient>;

export interface TokenPairBody {
  access_token: string;
  refresh_token: string;
  token_type: string;
  expires_in: number;
}

let counter = 0;
/** A unique, valid email per call, so tests never collide on the one-email-one-user rule. */
export function uniqueEmail(label: string): string {
  counter += 1;
  return `${label}.${Date.now().toString(36)}.${counter}.${Math.random().toString(36).slice(2, 8)}@example.com`;
}

export const PASSWORD = 'correct horse battery staple';
