import * as z from 'zod';
import { defineRoute } from '../../platform/http/route';

export const HealthSchema = z
  .object({
    status: z.enum(['ok', 'degraded']),
    service: z.literal('smart-advisor-os'),
    version: z.string(),
    checks: z.object({ store: z.enum(['ok', 'unreachable']) }),
  })
  .meta({ id: 'Health' });

export const OpenApiDocumentSchema = z
  .object({ openapi: z.string(), info: z.object({ title: z.string(), version: z.string() }) })
  .loose()
  .meta({ id: 'OpenApiDocument', description: 'This document.' });

export const systemRoutes = [
  defineRoute({
    id: 'getHealth',
    method: 'GET',
    path: '/api/v1/health',
    summary: 'Liveness and store reachability',
    tags: ['system'],
    auth: 'public',
    rateLimit: 'standard',
    request: {},
    status: 200,
    response: HealthSchema,
  }),
  defineRoute({
    id: 'getOpenApi',
    method: 'GET',
    path: '/api/v1/openapi.json',
    summary: 'The OpenAPI 3.1 document of every route',
    tags: ['system'],
    auth: 'public',
    rateLimit: 'standard',
    request: {},
    status: 200,
    response: OpenApiDocumentSchema,
  }),
] as const;
