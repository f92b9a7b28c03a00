import * as z from 'zod';
import { defineRoute } from '../../platform/http/route';

export const LivenessSchema = z
  .object({
    status: z.literal('ok'),
    service: z.literal('smart-advisor-os'),
    version: z.string(),
  })
  .meta({ id: 'Liveness' });

export const ReadinessSchema = z
  .object({
    status: z.enum(['ok', 'degraded']),
    service: z.literal('smart-advisor-os'),
    version: z.string(),
    checks: z.object({ store: z.enum(['ok', 'unreachable']) }),
  })
  .meta({ id: 'Readiness' });

export const OpenApiDocumentSchema = z
  .object({ openapi: z.string(), info: z.object({ title: z.string(), version: z.string() }) })
  .loose()
  .meta({ id: 'OpenApiDocument', description: 'This document.' });

export const systemRoutes = [
  defineRoute({
    id: 'getHealth',
    method: 'GET',
    path: '/api/v1/health',
    summary: 'Liveness: the function answers (touches nothing else)',
    tags: ['system'],
    auth: 'public',
    rateLimit: 'standard',
    request: {},
    status: 200,
    response: LivenessSchema,
  }),
  defineRoute({
    id: 'getReadiness',
    method: 'GET',
    path: '/api/v1/health/ready',
    summary: 'Readiness: the table answers a read',
    tags: ['system'],
    auth: 'public',
    rateLimit: 'standard',
    request: {},
    status: 200,
    response: ReadinessSchema,
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
