import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  headers: IncomingMessage['headers'];
  body: Record<string, unknown>;
}

export type FakeReply =
  | { kind: 'tool_use'; input: unknown }
  | { kind: 'text'; text: string }
  | { kind: 'error'; status: number; type: string; retryAfter?: string };

/**
 * A fake of the Anthropic Messages API (`POST /v1/messages`) speaking its wire format: an API key (`x-api-key`
 * or `Authorization: Bearer`) and `anthropic-version` required, answers with a message whose content is the next queued reply (a `tool_use`
 * block with `stop_reason: tool_use`, plain text, or an error body `{type:'error', error:{type,message}}`).
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
    req.on('end', () => {
      const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(status, {
          'content-type': 'application/json',
          'request-id': `req_${requests.length}`,
          ...headers,
        });
        res.end(JSON.stringify(body));
      };
      if (req.method !== 'POST' || req.url !== '/v1/messages')
        return send(404, { type: 'error', error: { type: 'not_found_error', message: 'no such route' } });
      // SDK 0.x sends `x-api-key`; SDK 1.x sends `Authorization: Bearer`. The API takes either.
      const key = req.headers['x-api-key'] ?? req.headers.authorization?.replace(/^Bearer /, '');
      if (!key || !req.headers['anthropic-version']) {
        return send(401, {
          type: 'error',
          error: { type: 'authentication_error', message: 'missing x-api-key' },
        });
      }
      const body = JSON.parse(raw) as Record<string, unknown>;
      requests.push({ headers: req.headers, body });
      const reply = typeof replies === 'function' ? replies(body) : replies.shift();
      if (!reply)
        return send(500, { type: 'error', error: { type: 'api_error', message: 'no reply queued' } });
      if (reply.kind === 'error') {
        return send(
          reply.status,
          { type: 'error', error: { type: reply.type, message: reply.type } },
          reply.retryAfter ? { 'retry-after': reply.retryAfter } : {},
        );
      }
      const content =
        reply.kind === 'tool_use'
          ? [
              {
                type: 'tool_use',
                id: `toolu_${requests.length}`,
                // As the API does: the forced tool's name (else the first tool offered).
                name:
                  (body.tool_choice as { name?: string } | undefined)?.name ??
                  (body.tools as { name: string }[] | undefined)?.[0]?.name ??
                  'record_meeting_extraction',
                input: reply.input,
              },
            ]
          : [{ type: 'text', text: reply.text }];
      send(200, {
        id: `msg_${requests.length}`,
        type: 'message',
        role: 'assistant',
        model: body.model,
        content,
        stop_reason: reply.kind === 'tool_use' ? 'tool_use' : 'end_turn',
        stop_sequence: null,
        usage: {
          input_tokens: 5000,
          output_tokens: 800,
          cache_creation_input_tokens: 0,
          cache_read_input_tokens: 1400,
        },
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
