import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { selfSignedCert } from '../support/self-signed-cert';

export interface FakeZoomFile {
  body: Buffer;
  contentType: string;
  /** The `download_token` Zoom put in the event; the file is refused (401) without it as a Bearer token. */
  token: string;
  /** The answer waits for this: a test holds the download to show what does not wait for it. */
  held?: Promise<void>;
}

export interface FakeZoom {
  /** `https://<address>:<port>` */
  origin: string;
  address: string;
  port: number;
  /** Trust anchor of its self-signed certificate (for the test's TLS client). */
  ca: string;
  /** Serves `body` at `path` (e.g. `/rec/download/abc`), as Zoom's download URLs do. */
  addFile(path: string, file: FakeZoomFile): string;
  /** Every request: path and the Authorization header as sent. */
  requests: { path: string; authorization: string | undefined }[];
  close(): Promise<void>;
}

/**
 * Zoom's recording download endpoint on loopback (TLS, self-signed): `GET <download_url>` with
 * `Authorization: Bearer <download_token>` answers the file; a wrong or missing token 401, an unknown path
 * 404. It listens on `address` (default 127.0.0.2, so a test can tell the fake from a forged 127.0.0.1 URL).
 */
export async function startFakeZoom(address = '127.0.0.2'): Promise<FakeZoom> {
  const tls = selfSignedCert(['zoom-fake.test'], [address]);
  const files = new Map<string, FakeZoomFile>();
  const requests: FakeZoom['requests'] = [];
  const server: Server = createServer({ key: tls.key, cert: tls.cert }, (req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    requests.push({ path, authorization: req.headers.authorization });
    const file = files.get(path);
    if (!file) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ code: 1001, message: 'File does not exist.' }));
      return;
    }
    if (req.headers.authorization !== `Bearer ${file.token}`) {
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ code: 124, message: 'Invalid access token.' }));
      return;
    }
    const answer = () => {
      res.writeHead(200, {
        'content-type': file.contentType,
        'content-length': String(file.body.byteLength),
      });
      res.end(file.body);
    };
    if (file.held) void file.held.then(answer);
    else answer();
  });
  await new Promise<void>((resolve) => server.listen(0, address, resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `https://${address}:${port}`;
  return {
    origin,
    address,
    port,
    ca: tls.cert,
    addFile(path, file) {
      files.set(path, file);
      return `${origin}${path}`;
    },
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export interface ZoomRecordingFileFixture {
  file_type: string;
  file_extension: string;
  download_url: string;
  recording_type?: string;
}

/** A `recording.completed` body as Zoom sends it (external-apis.md §4). */
export function zoomRecordingEvent(options: {
  accountId: string;
  uuid: string;
  hostEmail: string;
  hostId?: string;
  topic?: string;
  startTime?: string;
  timezone?: string;
  downloadToken?: string;
  files: ZoomRecordingFileFixture[];
  event?: 'recording.completed' | 'recording.transcript_completed';
}) {
  return {
    event: options.event ?? 'recording.completed',
    event_ts: 1_768_000_000_000,
    ...(options.downloadToken ? { download_token: options.downloadToken } : {}),
    payload: {
      account_id: options.accountId,
      object: {
        id: 81_234_567_890,
        uuid: options.uuid,
        host_id: options.hostId ?? 'z8yCxjab7TuQyPOvSL2Hqg',
        host_email: options.hostEmail,
        topic: options.topic ?? 'Annual review',
        type: 2,
        start_time: options.startTime ?? '2026-01-20T15:00:00Z',
        timezone: options.timezone ?? 'America/New_York',
        duration: 45,
        total_size: 1234,
        recording_count: options.files.length,
        recording_files: options.files.map((file, index) => ({
          id: `file-${index}`,
          meeting_id: options.uuid,
          recording_start: '2026-01-20T15:00:05Z',
          recording_end: '2026-01-20T15:45:00Z',
          file_size: 1000,
          status: 'completed',
          recording_type: file.recording_type ?? 'audio_only',
          ...file,
        })),
      },
    },
  };
}

/** Zoom's headers for a body: `x-zm-request-timestamp` (epoch seconds) and `x-zm-signature`. */
export function zoomHeaders(secretToken: string, rawBody: string, timestampSeconds: number) {
  const timestamp = String(timestampSeconds);
  const signature = `v0=${createHmac('sha256', secretToken).update(`v0:${timestamp}:${rawBody}`).digest('hex')}`;
  return { 'x-zm-request-timestamp': timestamp, 'x-zm-signature': signature };
}
