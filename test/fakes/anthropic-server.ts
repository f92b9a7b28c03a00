import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  headers: IncomingMessage['headers'];
  body: Record<string, unknown>;
}

export interface FakeUsage {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
}

export type FakeReply =
  /** A structured-output answer: the JSON as one text block, `stop_reason: end_turn`. */
  | { kind: 'json'; output: unknown; usage?: Partial<FakeUsage> }
  /** The answer cut off at `max_tokens`: the JSON's first half, `stop_reason: max_tokens`. */
  | { kind: 'max_tokens'; output?: unknown; usage?: Partial<FakeUsage> }
  /** The model declines: `stop_reason: refusal`. */
  | { kind: 'refusal' }
  /** No answer at all until the server closes (the client's timeout fires). */
  | { kind: 'hang' }
  | { kind: 'tool_use'; input: unknown }
  | { kind: 'text'; text: string }
  /** An error answer; `errorCode` goes to `error.details.error_code` (e.g. `enforced_spend_limit_reached`). */
  | { kind: 'error'; status: number; type: string; retryAfter?: string; errorCode?: string };

/** Models on which a forced `tool_choice` is refused with a 400, as on the API. */
const NO_FORCED_TOOLS = /^claude-(opus|sonnet|fable)-5-[5-9]|^claude-fable-5-1/;
const MAX_OUTPUT_TOKENS = 128_000;

const DEFAULT_USAGE: FakeUsage = {
  input_tokens: 5000,
  output_tokens: 800,
  cache_creation_input_tokens: 0,
  cache_read_input_tokens: 1400,
};

/**
 * A fake of the Anthropic Messages API (`POST /v1/messages`, `POST /v1/messages/count_tokens`) speaking its wire
 * format: an API key (`x-api-key` or `Authorization: Bearer`) and `anthropic-version` required; structured
 * outputs (`output_config.format` of type `json_schema` with an object schema) answered as one JSON text block;
 * `stream: true` answered as server-sent events (`message_start` … `message_stop`) like the API; a forced
 * `tool_choice` refused (400) on the 5.5 models; `max_tokens` over 128,000 refused. Each answer is the next
 * queued reply: JSON, a `max_tokens` truncation, a `refusal`, a tool call, text, or an error body
 * `{type:'error', error:{type, message, details?}}` (429 with a spend-limit code, 529 overloaded, …).
 */
export async function startFakeAnthropic(
  replies: FakeReply[] | ((body: Record<string, unknown>) => FakeReply),
): Promise<{
  url: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}> {
  const requests: RecordedRequest[] = [];
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk) => {
      raw += chunk;
    });
    req.on('end', () => answer(req, res, raw));
  });

  const answer = (req: IncomingMessage, res: ServerResponse, raw: string) => {
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, {
        'content-type': 'application/json',
        'request-id': `req_${requests.length}`,
        ...headers,
      });
      res.end(JSON.stringify(body));
    };
    const fail = (status: number, type: string, message: string, details?: Record<string, string>) =>
      send(status, { type: 'error', error: { type, message, ...(details ? { details } : {}) } });
    if (req.method !== 'POST' || (req.url !== '/v1/messages' && req.url !== '/v1/messages/count_tokens'))
      return fail(404, 'not_found_error', 'no such route');
    // SDK 0.x sends `x-api-key`; SDK 1.x sends `Authorization: Bearer`. The API takes either.
    const key = req.headers['x-api-key'] ?? req.headers.authorization?.replace(/^Bearer /, '');
    if (!key || !req.headers['anthropic-version']) {
      return fail(401, 'authentication_error', 'missing x-api-key');
    }
    const body = JSON.parse(raw) as Record<string, unknown>;
    if (req.url === '/v1/messages/count_tokens') {
      return send(200, { input_tokens: Math.ceil(JSON.stringify(body.messages ?? '').length / 4) });
    }
    requests.push({ headers: req.headers, body });
    const model = String(body.model ?? '');
    const toolChoice = body.tool_choice as { type?: string; name?: string } | undefined;
    if ((toolChoice?.type === 'tool' || toolChoice?.type === 'any') && NO_FORCED_TOOLS.test(model)) {
      return fail(400, 'invalid_request_error', `tool_choice forcing tool use is not supported on ${model}`);
    }
    if (typeof body.max_tokens !== 'number' || body.max_tokens > MAX_OUTPUT_TOKENS) {
      return fail(400, 'invalid_request_error', `max_tokens: must be at most ${MAX_OUTPUT_TOKENS}`);
    }
    const format = (
      body.output_config as { format?: { type?: string; schema?: { type?: string } } } | undefined
    )?.format;
    if (format && (format.type !== 'json_schema' || format.schema?.type !== 'object')) {
      return fail(
        400,
        'invalid_request_error',
        'output_config.format: expected a json_schema with an object schema',
      );
    }
    const reply = typeof replies === 'function' ? replies(body) : replies.shift();
    if (!reply) return fail(500, 'api_error', 'no reply queued');
    if (reply.kind === 'hang') return;
    if (reply.kind === 'error') {
      res.writeHead(reply.status, {
        'content-type': 'application/json',
        'request-id': `req_${requests.length}`,
        ...(reply.retryAfter ? { 'retry-after': reply.retryAfter } : {}),
      });
      return res.end(
        JSON.stringify({
          type: 'error',
          error: {
            type: reply.type,
            message: reply.type,
            ...(reply.errorCode ? { details: { error_code: reply.errorCode } } : {}),
          },
          request_id: `req_${requests.length}`,
        }),
      );
    }
    const { content, stopReason } = messageOf(reply, body);
    const usage = { ...DEFAULT_USAGE, ...('usage' in reply ? reply.usage : {}) };
    const message = {
      id: `msg_${requests.length}`,
      type: 'message',
      role: 'assistant',
      model,
      content,
      stop_reason: stopReason,
      stop_sequence: null,
      usage,
    };
    if (body.stream === true) return stream(res, message, requests.length);
    send(200, message);
  };

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

type FakeBlock =
  | { type: 'text'; text: string }
  | { type: 'tool_use'; id: string; name: string; input: unknown };

function messageOf(
  reply: Exclude<FakeReply, { kind: 'error' } | { kind: 'hang' }>,
  body: Record<string, unknown>,
): { content: FakeBlock[]; stopReason: string } {
  switch (reply.kind) {
    case 'json':
      return { content: [{ type: 'text', text: JSON.stringify(reply.output) }], stopReason: 'end_turn' };
    case 'max_tokens': {
      const json = JSON.stringify(reply.output ?? { notes: { summary: [{ text: 'cut off here' }] } });
      return {
        content: [{ type: 'text', text: json.slice(0, Math.ceil(json.length / 2)) }],
        stopReason: 'max_tokens',
      };
    }
    case 'refusal':
      return { content: [], stopReason: 'refusal' };
    case 'text':
      return { content: [{ type: 'text', text: reply.text }], stopReason: 'end_turn' };
    case 'tool_use':
      return {
        content: [
          {
            type: 'tool_use',
            id: 'toolu_1',
            // As the API does: the forced tool's name (else the first tool offered).
            name:
              (body.tool_choice as { name?: string } | undefined)?.name ??
              (body.tools as { name: string }[] | undefined)?.[0]?.name ??
              'record_meeting_extraction',
            input: reply.input,
          },
        ],
        stopReason: 'tool_use',
      };
  }
}

/** The message as the API streams it: start, each block (text in two deltas), the stop reason, stop. */
function stream(
  res: ServerResponse,
  message: { content: FakeBlock[]; stop_reason: string; usage: FakeUsage } & Record<string, unknown>,
  n: number,
) {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'request-id': `req_${n}` });
  const event = (type: string, data: Record<string, unknown>) =>
    res.write(`event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`);
  event('message_start', {
    message: {
      ...message,
      content: [],
      stop_reason: null,
      usage: { ...message.usage, output_tokens: 1 },
    },
  });
  message.content.forEach((block, index) => {
    if (block.type === 'text') {
      event('content_block_start', { index, content_block: { type: 'text', text: '' } });
      const half = Math.ceil(block.text.length / 2);
      for (const piece of [block.text.slice(0, half), block.text.slice(half)]) {
        event('content_block_delta', { index, delta: { type: 'text_delta', text: piece } });
      }
    } else {
      event('content_block_start', { index, content_block: { ...block, input: {} } });
      event('content_block_delta', {
        index,
        delta: { type: 'input_json_delta', partial_json: JSON.stringify(block.input) },
      });
    }
    event('content_block_stop', { index });
  });
  event('message_delta', {
    delta: { stop_reason: message.stop_reason, stop_sequence: null },
    usage: { output_tokens: message.usage.output_tokens },
  });
  event('message_stop', {});
  res.end();
}
