import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeDeepgramUtterance {
  speaker: number;
  /** Seconds, as Deepgram sends them. */
  start: number;
  end: number;
  transcript: string;
}

/**
 * What happens after a job is accepted with a callback:
 * - `deliver`: the full response is POSTed to the callback (retried on a non-2xx answer, as Deepgram does);
 * - `never`: nothing is sent, and the request record says every delivery attempt failed (a lost callback);
 * - `malformed`: a body without `metadata.request_id` is POSTed;
 * - `wrong-secret`: the full response with another `callback_secret`;
 * - `manual`: nothing until the test calls `deliver(id)`.
 */
export type FakeCallbackMode = 'deliver' | 'never' | 'malformed' | 'wrong-secret' | 'manual';

export interface FakeDeepgramJob {
  requestId: string;
  /** The query options as received (`callback`, `extra`, `model`, …). */
  query: Record<string, string[]>;
  body: Record<string, unknown>;
  callbackUrl: string | undefined;
  /** `metadata.extra` as Deepgram builds it from the `extra=key:value` parameters. */
  extra: Record<string, string>;
  utterances: FakeDeepgramUtterance[];
  /** Every callback delivery: the status our endpoint answered (0 = no answer) and its body. */
  deliveries: { status: number; body: string }[];
  /** What the request record reports; `never` reports exhausted attempts. */
  callbackRecord: { attempts: number; code: number | null; completed: string | null };
}

export interface FakeDeepgramRequest {
  method: string;
  path: string;
  authorization: string | undefined;
  status: number;
}

export interface FakeDeepgram {
  baseUrl: string;
  apiKey: string;
  projectId: string;
  jobs: Map<string, FakeDeepgramJob>;
  requests: FakeDeepgramRequest[];
  callbackMode: FakeCallbackMode;
  /** Delay before the first callback delivery, and between retries of a failed one. */
  callbackDelayMs: number;
  callbackRetryDelayMs: number;
  /** What the next accepted jobs will say. */
  utterances: FakeDeepgramUtterance[];
  /** The next `count` requests (of any kind) answer 500. */
  failNext(count: number): void;
  /** The next request answers 429 with `Retry-After: <seconds>`, once. */
  rateLimitNext(retryAfterSeconds: number): void;
  /** Sends a `manual` job's callback now; resolves with the status our endpoint answered. */
  deliver(requestId: string): Promise<number>;
  /** Resolves once every scheduled callback delivery has finished. */
  settled(): Promise<void>;
  close(): Promise<void>;
}

export const DEFAULT_DEEPGRAM_UTTERANCES: FakeDeepgramUtterance[] = [
  {
    speaker: 0,
    start: 0.08,
    end: 4.2,
    transcript: 'Thanks for coming in. Let us review your retirement plan.',
  },
  { speaker: 1, start: 4.32, end: 9.1, transcript: 'Sure. I want to retire at sixty-two if we can.' },
];

/** The ports Deepgram calls back on for pre-recorded audio; `enforceCallbackPorts` makes the fake refuse others. */
const CALLBACK_PORTS = new Set(['80', '443', '8080', '8443']);

/**
 * A loopback Deepgram speaking its pre-recorded wire format: `Authorization: Token <key>` (401 with Deepgram's
 * `err_code`/`err_msg` body otherwise), `POST /v1/listen` with the options in the query and `{ url }` in the
 * body, answered `{ request_id }` at once when a `callback` is given and the full response later POSTed to it
 * (times in float seconds, `metadata.extra` from the `extra=key:value` parameters), or the full response at once
 * without one. `GET /v1/projects/{id}/requests/{request_id}` answers the request record (`response.code`,
 * `callback.attempts/code`).
 */
export async function startFakeDeepgram(
  options: { apiKey?: string; projectId?: string; enforceCallbackPorts?: boolean } = {},
): Promise<FakeDeepgram> {
  const apiKey = options.apiKey ?? 'test-deepgram-key';
  const projectId = options.projectId ?? 'project-1';
  const jobs = new Map<string, FakeDeepgramJob>();
  const requests: FakeDeepgramRequest[] = [];
  const pending = new Set<Promise<unknown>>();
  let failures = 0;
  let rateLimit: number | undefined;

  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json', 'dg-request-id': randomUUID(), ...headers });
    res.end(JSON.stringify(body));
  };
  const error = (res: ServerResponse, status: number, errCode: string, errMsg: string, headers = {}) =>
    send(res, status, { err_code: errCode, err_msg: errMsg, request_id: randomUUID() }, headers);

  const responseOf = (job: FakeDeepgramJob, extra: Record<string, string> = job.extra) => {
    const words = job.utterances.flatMap((u) => {
      const parts = u.transcript.split(' ');
      const step = (u.end - u.start) / parts.length;
      return parts.map((punctuated, i) => ({
        word: punctuated.toLowerCase().replace(/[^\p{L}\p{N}'-]/gu, ''),
        start: Number((u.start + i * step).toFixed(3)),
        end: Number((u.start + (i + 1) * step).toFixed(3)),
        confidence: 0.97,
        speaker: u.speaker,
        speaker_confidence: 0.8,
        punctuated_word: punctuated,
      }));
    });
    const duration = job.utterances.at(-1)?.end ?? 0;
    return {
      metadata: {
        transaction_key: 'deprecated',
        request_id: job.requestId,
        sha256: 'f'.repeat(64),
        created: new Date().toISOString(),
        duration,
        channels: 1,
        models: [randomUUID()],
        model_info: {},
        ...(Object.keys(extra).length > 0 ? { extra } : {}),
      },
      results: {
        channels: [
          {
            alternatives: [
              {
                transcript: job.utterances.map((u) => u.transcript).join(' '),
                confidence: 0.97,
                words,
              },
            ],
          },
        ],
        utterances: job.utterances.map((u) => ({
          start: u.start,
          end: u.end,
          confidence: 0.97,
          channel: 0,
          transcript: u.transcript,
          words: words.filter((w) => w.start >= u.start && w.end <= u.end + 1e-6),
          speaker: u.speaker,
          id: randomUUID(),
        })),
      },
    };
  };

  /** One POST to the callback; a URL's userinfo becomes Basic credentials, as Deepgram documents. */
  const post = async (job: FakeDeepgramJob, body: unknown): Promise<number> => {
    const target = new URL(job.callbackUrl ?? '');
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (target.username) {
      headers.authorization = `Basic ${Buffer.from(`${decodeURIComponent(target.username)}:${decodeURIComponent(target.password)}`).toString('base64')}`;
      target.username = '';
      target.password = '';
    }
    let status = 0;
    let text = '';
    try {
      const response = await fetch(target, { method: 'POST', headers, body: JSON.stringify(body) });
      status = response.status;
      text = await response.text();
    } catch (cause) {
      text = String(cause);
    }
    job.deliveries.push({ status, body: text });
    job.callbackRecord = {
      attempts: job.deliveries.length,
      code: status === 0 ? null : status,
      completed: new Date().toISOString(),
    };
    return status;
  };

  const bodyFor = (job: FakeDeepgramJob, mode: FakeCallbackMode): unknown => {
    if (mode === 'malformed') {
      const { metadata, results } = responseOf(job);
      const { request_id: _dropped, ...rest } = metadata;
      return { metadata: rest, results };
    }
    if (mode === 'wrong-secret') return responseOf(job, { ...job.extra, callback_secret: 'not-the-secret' });
    return responseOf(job);
  };

  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  /** Delivers with Deepgram's retries: up to 10 attempts while our endpoint answers non-2xx. */
  const deliverWithRetries = async (job: FakeDeepgramJob, mode: FakeCallbackMode) => {
    await sleep(fake.callbackDelayMs);
    for (let attempt = 0; attempt < 10; attempt++) {
      const status = await post(job, bodyFor(job, mode));
      if (status >= 200 && status < 300) return;
      await sleep(fake.callbackRetryDelayMs);
    }
  };

  const track = (work: Promise<unknown>) => {
    const tracked = work.finally(() => pending.delete(tracked));
    pending.add(tracked);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<number> => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? '/', 'http://fake');
    if (rateLimit !== undefined) {
      const seconds = rateLimit;
      rateLimit = undefined;
      error(res, 429, 'TOO_MANY_REQUESTS', 'Too many requests. Please try again later', {
        'retry-after': String(seconds),
      });
      return 429;
    }
    if (failures > 0) {
      failures -= 1;
      error(res, 500, 'INTERNAL_SERVER_ERROR', 'Internal server error.');
      return 500;
    }
    if (req.headers.authorization !== `Token ${apiKey}`) {
      error(res, 401, 'INVALID_AUTH', 'Invalid credentials.');
      return 401;
    }

    if (req.method === 'POST' && url.pathname === '/v1/listen') {
      let body: Record<string, unknown>;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
      } catch {
        error(res, 400, 'Bad Request', 'Invalid JSON body.');
        return 400;
      }
      if (typeof body.url !== 'string') {
        error(
          res,
          400,
          'Bad Request',
          'Request body must include a url when Content-Type is application/json.',
        );
        return 400;
      }
      const query: Record<string, string[]> = {};
      for (const key of new Set(url.searchParams.keys())) query[key] = url.searchParams.getAll(key);
      const callbackUrl = url.searchParams.get('callback') ?? undefined;
      if (callbackUrl !== undefined) {
        let target: URL;
        try {
          target = new URL(callbackUrl);
        } catch {
          error(res, 400, 'Bad Request', 'Invalid callback URL.');
          return 400;
        }
        const port = target.port || (target.protocol === 'https:' ? '443' : '80');
        if (
          !/^https?:$/.test(target.protocol) ||
          (options.enforceCallbackPorts && !CALLBACK_PORTS.has(port))
        ) {
          error(res, 400, 'Bad Request', 'Callback URL must use http(s) on port 80, 443, 8080 or 8443.');
          return 400;
        }
      }
      const extra: Record<string, string> = {};
      for (const pair of url.searchParams.getAll('extra')) {
        const at = pair.indexOf(':');
        if (at > 0) extra[pair.slice(0, at)] = pair.slice(at + 1);
      }
      const job: FakeDeepgramJob = {
        requestId: randomUUID(),
        query,
        body,
        callbackUrl,
        extra,
        utterances: fake.utterances,
        deliveries: [],
        callbackRecord: { attempts: 0, code: null, completed: null },
      };
      jobs.set(job.requestId, job);
      if (callbackUrl === undefined) {
        send(res, 200, responseOf(job));
        return 200;
      }
      send(res, 200, { request_id: job.requestId });
      const mode = fake.callbackMode;
      if (mode === 'never') {
        job.callbackRecord = { attempts: 10, code: 502, completed: new Date().toISOString() };
      } else if (mode !== 'manual') {
        track(deliverWithRetries(job, mode));
      }
      return 200;
    }

    const record = /^\/v1\/projects\/([^/]+)\/requests\/([^/]+)$/.exec(url.pathname);
    if (req.method === 'GET' && record) {
      const job = jobs.get(decodeURIComponent(record[2] ?? ''));
      if (decodeURIComponent(record[1] ?? '') !== projectId || !job) {
        error(res, 404, 'NOT_FOUND', 'Request not found.');
        return 404;
      }
      send(res, 200, {
        request: {
          request_id: job.requestId,
          project_uuid: projectId,
          created: new Date().toISOString(),
          path: '/v1/listen',
          api_key_id: 'key-1',
          response: { code: 200, completed: new Date().toISOString(), details: { duration: 9.1 } },
          callback: job.callbackUrl ? job.callbackRecord : null,
        },
      });
      return 200;
    }
    error(res, 404, 'NOT_FOUND', `No route ${req.method} ${url.pathname}`);
    return 404;
  };

  const server = createServer((req, res) => {
    const entry: FakeDeepgramRequest = {
      method: req.method ?? '',
      path: new URL(req.url ?? '/', 'http://fake').pathname,
      authorization: req.headers.authorization,
      status: 0,
    };
    requests.push(entry);
    handle(req, res)
      .then((status) => {
        entry.status = status;
      })
      .catch((cause: unknown) => {
        entry.status = 500;
        error(res, 500, 'INTERNAL_SERVER_ERROR', String(cause));
      });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const fake: FakeDeepgram = {
    baseUrl: `http://127.0.0.1:${port}`,
    apiKey,
    projectId,
    jobs,
    requests,
    callbackMode: 'deliver',
    callbackDelayMs: 20,
    callbackRetryDelayMs: 100,
    utterances: DEFAULT_DEEPGRAM_UTTERANCES,
    failNext: (count) => {
      failures = count;
    },
    rateLimitNext: (seconds) => {
      rateLimit = seconds;
    },
    deliver: async (requestId) => {
      const job = jobs.get(requestId);
      if (!job) throw new Error(`fake Deepgram: no request ${requestId}`);
      return post(job, responseOf(job));
    },
    settled: async () => {
      while (pending.size > 0) await Promise.allSettled([...pending]);
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((cause) => (cause ? reject(cause) : resolve()));
      }),
  };
  return fake;
}
