import * as z from 'zod';
import { ErrorResponseSchema } from './error-response-schema';
import { canBeRateLimited, type RouteDefinition } from './route';

type JsonSchema = Record<string, unknown>;

const COMPONENT_PREFIX = '#/components/schemas/';

/**
 * Collects JSON Schemas for the document: named schemas (`.meta({ id })`) become components, referenced by
 * `$ref`. Request schemas are rendered as inputs and response schemas as outputs, since defaults and
 * transforms make the two differ; an input form that differs from the output form gets an `Input` suffix.
 */
class SchemaCollector {
  readonly components: Record<string, JsonSchema> = {};

  render(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
    const json = z.toJSONSchema(schema, {
      target: 'draft-2020-12',
      io,
      unrepresentable: 'any',
    }) as JsonSchema;
    const defs = (json.$defs ?? {}) as Record<string, JsonSchema>;
    const names = new Map<string, string>();
    for (const [id, def] of Object.entries(defs)) names.set(id, this.claim(id, def, io, defs));
    const { $schema: _schema, $defs: _defs, ...rest } = json;
    return this.rewriteRefs(rest, names) as JsonSchema;
  }

  private claim(
    id: string,
    def: JsonSchema,
    io: 'input' | 'output',
    defs: Record<string, JsonSchema>,
  ): string {
    const rewrittenNames = new Map(Object.keys(defs).map((k) => [k, k]));
    const candidate = this.rewriteRefs(def, rewrittenNames) as JsonSchema;
    const existing = this.components[id];
    if (existing === undefined) {
      this.components[id] = candidate;
      return id;
    }
    if (JSON.stringify(existing) === JSON.stringify(candidate)) return id;
    const alt = `${id}${io === 'input' ? 'Input' : 'Output'}`;
    this.components[alt] ??= candidate;
    return alt;
  }

  private rewriteRefs(value: unknown, names: Map<string, string>): unknown {
    if (Array.isArray(value)) return value.map((v) => this.rewriteRefs(v, names));
    if (value === null || typeof value !== 'object') return value;
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      if (key === '$ref' && typeof item === 'string' && item.startsWith('#/$defs/')) {
        const id = item.slice('#/$defs/'.length);
        out.$ref = `${COMPONENT_PREFIX}${names.get(id) ?? id}`;
      } else {
        out[key] = this.rewriteRefs(item, names);
      }
    }
    return out;
  }
}

function parametersOf(route: RouteDefinition, collector: SchemaCollector): JsonSchema[] {
  const out: JsonSchema[] = [];
  for (const location of ['params', 'query'] as const) {
    const schema = route.request[location];
    if (!schema) continue;
    const rendered = collector.render(schema, 'input');
    const properties = (rendered.properties ?? {}) as Record<string, JsonSchema>;
    const required = new Set((rendered.required ?? []) as string[]);
    for (const [name, property] of Object.entries(properties)) {
      out.push({
        name,
        in: location === 'params' ? 'path' : 'query',
        required: location === 'params' || required.has(name),
        schema: property,
        ...(typeof property.description === 'string' ? { description: property.description } : {}),
      });
    }
  }
  return out;
}

function errorResponses(route: RouteDefinition): Record<string, JsonSchema> {
  const ref = { $ref: `${COMPONENT_PREFIX}ErrorResponse` };
  const answer = (description: string) => ({ description, content: { 'application/json': { schema: ref } } });
  const out: Record<string, JsonSchema> = {};
  const hasInput = Boolean(route.request.params || route.request.query || route.request.body);
  if (hasInput) out['400'] = answer('The request is invalid; `issues` names each field.');
  if (route.auth === 'user') out['401'] = answer('Missing, invalid or expired access token.');
  if (route.request.params) out['404'] = answer('Not found (or not yours: the two are indistinguishable).');
  if (route.request.body) {
    out['413'] = answer('The body is larger than the configured limit.');
    out['415'] = answer('The body is not application/json.');
  }
  if (canBeRateLimited(route)) out['429'] = answer('Rate limited; see Retry-After.');
  out['500'] = answer('Internal error; quote the request id.');
  return out;
}

/** The OpenAPI 3.1 document of `routes`, generated from the same zod schemas the handlers validate with. */
export function buildOpenApiDocument(
  routes: readonly RouteDefinition[],
  info: { version: string },
): Record<string, unknown> {
  const collector = new SchemaCollector();
  collector.render(ErrorResponseSchema, 'output');
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const operation: Record<string, unknown> = {
      operationId: route.id,
      summary: route.summary,
      tags: route.tags,
      security: route.auth === 'user' ? [{ bearerAuth: [] }] : [],
      parameters: parametersOf(route, collector),
      responses: {
        [String(route.status)]:
          route.status === 204
            ? { description: 'Done.' }
            : {
                description: 'Success.',
                content: { 'application/json': { schema: collector.render(route.response, 'output') } },
              },
        ...errorResponses(route),
      },
      'x-rate-limit-class': route.rateLimit,
    };
    if (route.request.body) {
      operation.requestBody = {
        required: true,
        content: { 'application/json': { schema: collector.render(route.request.body, 'input') } },
      };
    }
    paths[route.path] ??= {};
    (paths[route.path] as Record<string, unknown>)[route.method.toLowerCase()] = operation;
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Smart Advisor OS API',
      version: info.version,
      description:
        'Meeting notes, action items, compliance flags and CRM follow-through for registered investment advisers.',
    },
    servers: [{ url: '/' }],
    paths,
    components: {
      schemas: collector.components,
      securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
    },
  };
}
