/** How an adapter talks HTTP: the part of `CrmConnectorOptions` that is the same for every provider. */
export interface CrmTransportOptions {
  /** Per request attempt. */
  timeoutMs: number;
  /** Per request, including the first. */
  maxAttempts: number;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
}
