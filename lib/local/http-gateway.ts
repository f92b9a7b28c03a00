import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import type { RouteDefinition } from '../../functions/platform/http/route';
import { createRouteMatcher } from '../../functions/platform/http/route-match';
import { allRoutes, type RouteGroup, type Topology } from '../../functions/topology';
import {
  buildApiGatewayEvent,
  type GatewayRequest,
  newGatewayRequestId,
  splitTarget,
} from './api-gateway-event';
import { gatewayError, toWireResponse, type WireResponse } from './gateway-result';
import type { LoadHandler } from './handler-loader';
import { createLambdaContext } from './lambda-context';
import { bindError } from './port-check';
import { GATEWAY_MAX_BODY_BYTES, readBodyCapped } from './request-body';

export interface GatewayDispatchOptions {
  topology: Topology;
  loadHandler: LoadHandler;
  region: string;
  maxBodyBytes?: number;
  /** Where a handler's unexpected failure is reported (the stack, never to the client). */
  reportError?: (message: string, error: unknown) => void;
}

export type GatewayDispatch = (
  request: GatewayRequest & { headers: IncomingMessage['headers'] },
  body: Readable,
) => Promise<WireResponse>;

interface Target {
  handler: string;
  fn: { name: string; memoryMb: number; timeoutSeconds: number };
  routeKey: string;
  pathParameters?: Record<string, string>;
}

const defaultReport = (message: string, error: unknown) => {
  console.error(message);
  console.error(error instanceof Error ? error.stack : error);
};

/**
 * What API Gateway does for one request, without the socket: match the route, cap the body, build the payload
 * 2.0 event, invoke the route group's function (or the `$default` fallback) with a Lambda context, and turn the
 * result into a wire response. A handler that throws or overruns its timeout yields a bare 500, as on AWS.
 */
export function createGatewayDispatch(options: GatewayDispatchOptions): GatewayDispatch {
  const match = createRouteMatcher(allRoutes(options.topology));
  const groupOf = new Map<RouteDefinition, RouteGroup>();
  for (const group of options.topology.routeGroups)
    for (const route of group.routes) groupOf.set(route, group);
  const limit = options.maxBodyBytes ?? GATEWAY_MAX_BODY_BYTES;
  const report = options.reportError ?? defaultReport;

  const resolveTarget = (method: string, rawPath: string): Target => {
    const found = match(method, rawPath);
    const group = found.kind === 'found' ? groupOf.get(found.route) : undefined;
    if (found.kind === 'found' && group) {
      return {
        handler: group.handler,
        fn: group,
        routeKey: `${found.route.method} ${found.route.path}`,
        pathParameters: found.pathParameters,
      };
    }
    return {
      handler: options.topology.fallback.handler,
      fn: options.topology.fallback,
      routeKey: '$default',
    };
  };

  return async (request, body) => {
    const requestId = newGatewayRequestId();
    const response = await answer(request, body, requestId);
    response.headers['apigw-requestid'] ??= requestId;
    return response;
  };

  async function answer(
    request: Parameters<GatewayDispatch>[0],
    body: Readable,
    requestId: string,
  ): Promise<WireResponse> {
    const declared = request.headers['content-length'];
    const read = await readBodyCapped(body, limit, declared === undefined ? undefined : Number(declared));
    if (read.kind === 'too_large') {
      return gatewayError(413, {
        code: 'payload_too_large',
        message: `Request body exceeds the gateway limit of ${limit} bytes.`,
        requestId,
      });
    }

    const target = resolveTarget((request.method ?? 'GET').toUpperCase(), splitTarget(request.url).rawPath);
    const event = buildApiGatewayEvent(request, read.body, target, { requestId });
    const context = createLambdaContext({ ...target.fn, region: options.region });
    try {
      const handler = await options.loadHandler(target.handler);
      const result = await withTimeout(
        handler(event, context),
        target.fn.timeoutSeconds * 1000,
        target.fn.name,
      );
      return toWireResponse(result);
    } catch (error) {
      report(`${target.handler} failed on ${target.routeKey} (request ${requestId})`, error);
      return gatewayError(500, { code: 'internal_error', message: 'Internal error.', requestId });
    }
  }
}

/** A handler call bounded by its function's timeout, as Lambda bounds it. */
export function withTimeout<T>(work: Promise<T>, ms: number, name: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`smartad-local-${name} timed out after ${ms} ms`)), ms);
  });
  // The late result of a timed-out handler is dropped, as Lambda drops it.
  work.catch(() => undefined);
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** Writes a wire response, with one `Set-Cookie` header per cookie. */
export function writeWireResponse(res: ServerResponse, response: WireResponse): void {
  const headers: Record<string, string | string[]> = { ...response.headers };
  if (response.cookies.length > 0) headers['set-cookie'] = response.cookies;
  headers['content-length'] = String(response.body.length);
  res.writeHead(response.statusCode, headers);
  res.end(response.body);
}

export interface HttpGateway {
  url: string;
  port: number;
  server: Server;
  close(): Promise<void>;
}

/** Serves the topology on `http://host:port` (port 0 = any free port). */
export async function startHttpGateway(
  options: GatewayDispatchOptions & { port: number; host: string },
): Promise<HttpGateway> {
  const dispatch = createGatewayDispatch(options);
  const server = createServer((req, res) => {
    dispatch(req, req)
      .then((response) => writeWireResponse(res, response))
      .catch((error: unknown) => {
        defaultReport('local gateway failed to answer', error);
        if (!res.headersSent) res.writeHead(500).end();
        else res.destroy();
      });
  });
  // Local requests are short; a lingering keep-alive socket must not hold up shutdown.
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error) => reject(bindError(error, options.port, options.host)));
    server.listen(options.port, options.host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : options.port;
  return {
    url: `http://${options.host}:${port}`,
    port,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
