import type { Readable } from 'node:stream';

/** API Gateway HTTP APIs refuse request bodies over 10 MiB. */
export const GATEWAY_MAX_BODY_BYTES = 10 * 1024 * 1024;

export type BodyResult = { kind: 'ok'; body: Buffer } | { kind: 'too_large'; receivedBytes: number };

/**
 * Reads a request body up to `limit` bytes. Past the limit it stops buffering and answers at once; the rest of
 * the upload is drained and discarded, so the client can still read the 413 instead of seeing a reset socket.
 */
export function readBodyCapped(
  stream: Readable,
  limit: number,
  declaredLength?: number,
): Promise<BodyResult> {
  if (declaredLength !== undefined && declaredLength > limit) {
    stream.resume();
    return Promise.resolve({ kind: 'too_large', receivedBytes: declaredLength });
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    let settled = false;
    stream.on('data', (chunk: Buffer | string) => {
      received += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
      if (settled) return;
      if (received > limit) {
        settled = true;
        chunks.length = 0;
        resolve({ kind: 'too_large', receivedBytes: received });
        return;
      }
      chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
    });
    stream.once('end', () => {
      if (settled) return;
      settled = true;
      resolve({ kind: 'ok', body: Buffer.concat(chunks) });
    });
    stream.once('error', (error) => {
      if (settled) return;
      settled = true;
      reject(error);
    });
  });
}
