import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type FakeJobStatus = 'queued' | 'processing' | 'completed' | 'error';

export interface FakeUtterance {
  speaker: string;
  start: number;
  end: number;
  text: string;
}

export interface FakeJob {
  id: string;
  status: FakeJobStatus;
  /** The `POST /v2/transcript` body as received. */
  request: Record<string, unknown>;
  utterances: FakeUtterance[] | null;
  error: string | null;
}

export interface FakeAssemblyAi {
  baseUrl: string;
  apiKey: string;
  jobs: Map<string, FakeJob>;
  /** Every request: method, path and the Authorization header as sent. */
  requests: { method: string; path: string; authorization: string | undefined }[];
  /** The next request (of any kind) is answered 429 with `Retry-After`, once. */
  rateLimitNext(retryAfterSeconds?: number): void;
  setStatus(id: string, status: 'queued' | 'processing'): void;
  complete(id: string, utterances?: FakeUtterance[]): void;
  fail(id: string, error: string): void;
  close(): Promise<void>;
}

export const DEFAULT_UTTERANCES: FakeUtterance[] = [
  { speaker: 'A', start: 0, end: 4200, text: 'Thanks for coming in. Let us review your retirement plan.' },
  { speaker: 'B', start: 4300, end: 9100, text: 'Sure. I want to retire at sixty-two if we can.' },
];

/**
 * A loopback AssemblyAI speaking its wire format: `Authorization: <key>` (no `Bearer`), `POST /v2/transcript`
 * requiring `audio_url` and the `speech_models` array, `GET /v2/transcript/{id}` with `queued`, `processing`,
 * `completed` (utterances, words, text) or `error`; errors as `{ "error": "..." }`.
 */
export async function startFakeAssemblyAi(apiKey = 'test-assemblyai-key'): Promise<FakeAssemblyAi> {
  const jobs = new Map<string, FakeJob>();
  const requests: FakeAssemblyAi['requests'] = [];
  let rateLimit: number | undefined;

  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  };

  const transcriptOf = (job: FakeJob) => {
    const utterances = job.status === 'completed' ? job.utterances : null;
    const words = utterances?.flatMap((u) => {
      const parts = u.text.split(' ');
      const step = Math.floor((u.end - u.start) / parts.length);
      return parts.map((text, i) => ({
        text,
        start: u.start + i * step,
        end: u.start + (i + 1) * step,
        confidence: 0.9,
        speaker: u.speaker,
      }));
    });
    return {
      id: job.id,
      status: job.status,
      audio_url: job.request.audio_url,
      speech_models: job.request.speech_models,
      speech_model_used: job.status === 'completed' ? 'universal-3-pro' : null,
      speaker_labels: job.request.speaker_labels ?? false,
      entity_detection: job.request.entity_detection ?? false,
      webhook_url: job.request.webhook_url ?? null,
      webhook_auth: job.request.webhook_auth_header_name != null,
      webhook_auth_header_name: job.request.webhook_auth_header_name ?? null,
      text: utterances ? utterances.map((u) => u.text).join(' ') : null,
      words: words ?? null,
      utterances: utterances ? utterances.map((u) => ({ ...u, confidence: 0.9, words: [] })) : null,
      entities: utterances ? [] : null,
      audio_duration: utterances ? Math.ceil((utterances.at(-1)?.end ?? 0) / 1000) : null,
      error: job.status === 'error' ? job.error : undefined,
    };
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const path = new URL(req.url ?? '/', 'http://fake').pathname;
    const authorization = req.headers.authorization;
    requests.push({ method: req.method ?? '', path, authorization });
    if (rateLimit !== undefined) {
      const seconds = rateLimit;
      rateLimit = undefined;
      return send(res, 429, { error: 'Too Many Requests' }, { 'retry-after': String(seconds) });
    }
    if (authorization !== apiKey)
      return send(res, 401, { error: 'Authentication error, API token missing/invalid' });

    if (req.method === 'POST' && path === '/v2/transcript') {
      let body: Record<string, unknown>;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
      } catch {
        return send(res, 400, { error: 'Invalid JSON body' });
      }
      if (typeof body.audio_url !== 'string') return send(res, 400, { error: 'audio_url is required' });
      const models = body.speech_models;
      if (!Array.isArray(models) || models.length === 0 || !models.every((m) => typeof m === 'string')) {
        return send(res, 400, {
          error: 'speech_models is required: a non-empty array of speech model names',
        });
      }
      const job: FakeJob = {
        id: randomUUID(),
        status: 'queued',
        request: body,
        utterances: null,
        error: null,
      };
      jobs.set(job.id, job);
      return send(res, 200, transcriptOf(job));
    }
    const match = /^\/v2\/transcript\/([^/]+)$/.exec(path);
    if (req.method === 'GET' && match) {
      const job = jobs.get(decodeURIComponent(match[1] ?? ''));
      if (!job) return send(res, 404, { error: 'Transcript not found' });
      return send(res, 200, transcriptOf(job));
    }
    return send(res, 404, { error: `No route ${req.method} ${path}` });
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => send(res, 500, { error: String(error) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const job = (id: string) => {
    const found = jobs.get(id);
    if (!found) throw new Error(`fake AssemblyAI: no job ${id}`);
    return found;
  };
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    apiKey,
    jobs,
    requests,
    rateLimitNext: (seconds = 1) => {
      rateLimit = seconds;
    },
    setStatus: (id, status) => {
      job(id).status = status;
    },
    complete: (id, utterances = DEFAULT_UTTERANCES) => {
      Object.assign(job(id), { status: 'completed', utterances });
    },
    fail: (id, error) => {
      Object.assign(job(id), { status: 'error', error });
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
