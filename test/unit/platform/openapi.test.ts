import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { buildOpenApiDocument } from '../../../functions/platform/http/openapi';
import { defineRoute, type RouteDefinition } from '../../../functions/platform/http/route';
import { allRoutes } from '../../../functions/topology';

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);

/** A schema that accepts anything documents nothing. */
function isOpaque(schema: z.ZodType | undefined): boolean {
  return schema === undefined || schema instanceof z.ZodAny || schema instanceof z.ZodUnknown;
}

describe('route schemas', () => {
  it.each(allRoutes().map((r) => [`${r.method} ${r.path}`, r] as const))(
    '%s has request and response schemas',
    (_k, route) => {
      expect(isOpaque(route.response), 'response schema').toBe(false);
      if (BODY_METHODS.has(route.method)) expect(isOpaque(route.request.body), 'body schema').toBe(false);
      const params = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      if (params.length > 0) {
        expect(Object.keys(route.request.params?.shape ?? {}).sort(), 'path params schema').toEqual(
          params.sort(),
        );
      }
    },
  );
});

describe('buildOpenApiDocument', () => {
  const routes: RouteDefinition[] = [
    ...allRoutes(),
    defineRoute({
      id: 'createWidget',
      method: 'POST',
      path: '/api/v1/widgets/{widgetId}',
      summary: 'Create a widget',
      tags: ['widgets'],
      auth: 'user',
      rateLimit: 'ai',
      request: {
        params: z.object({ widgetId: z.uuid() }),
        query: z.object({ dryRun: z.coerce.boolean().default(false) }),
        body: z.object({ name: z.string() }).meta({ id: 'WidgetInput' }),
      },
      status: 201,
      response: z.object({ id: z.string() }).meta({ id: 'Widget' }),
    }),
  ];
  const doc = buildOpenApiDocument(routes, { version: '9.9.9' }) as {
    openapi: string;
    info: { version: string };
    paths: Record<string, Record<string, Record<string, unknown>>>;
    components: { schemas: Record<string, unknown> };
  };

  it('describes every route under its path and method, with its operation id', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info.version).toBe('9.9.9');
    for (const route of routes) {
      expect(doc.paths[route.path]?.[route.method.toLowerCase()]?.operationId).toBe(route.id);
    }
  });

  it('documents parameters, body, success and error answers from the zod schemas', () => {
    const op = doc.paths['/api/v1/widgets/{widgetId}']?.post as Record<string, unknown>;
    expect(op.parameters).toEqual([
      expect.objectContaining({ name: 'widgetId', in: 'path', required: true }),
      expect.objectContaining({ name: 'dryRun', in: 'query', required: false }),
    ]);
    expect(op.requestBody).toMatchObject({
      content: { 'application/json': { schema: { $ref: '#/components/schemas/WidgetInput' } } },
    });
    const responses = op.responses as Record<string, unknown>;
    expect(Object.keys(responses).sort()).toEqual(['201', '400', '401', '404', '413', '415', '429', '500']);
    expect(op.security).toEqual([{ bearerAuth: [] }]);
    expect(doc.components.schemas).toHaveProperty('Widget');
    expect(doc.components.schemas).toHaveProperty('ErrorResponse');
  });

  it('leaves no dangling $ref', () => {
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map(
      (m) => m[1],
    );
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) expect(doc.components.schemas, ref).toHaveProperty(ref as string);
  });
});
