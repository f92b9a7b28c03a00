import fc from 'fast-check';

/** The parts of an OpenAPI 3.1 document the fuzzer reads. */
export interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, JsonSchema> };
}

interface Operation {
  operationId: string;
  security?: unknown[];
  parameters?: { name: string; in: 'path' | 'query' | 'header'; schema?: JsonSchema }[];
  requestBody?: { content: Record<string, { schema: JsonSchema }> };
}

export interface JsonSchema {
  $ref?: string;
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  format?: string;
}

/** One operation of the document, flattened for the fuzzer. */
export interface FuzzOperation {
  id: string;
  method: string;
  path: string;
  auth: boolean;
  pathParams: string[];
  query: { name: string; schema: JsonSchema }[];
  body?: JsonSchema;
}

export function operationsOf(doc: OpenApiDocument): FuzzOperation[] {
  return Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({
      id: op.operationId,
      method: method.toUpperCase(),
      path,
      auth: (op.security ?? []).length > 0,
      pathParams: (op.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name),
      query: (op.parameters ?? [])
        .filter((p) => p.in === 'query')
        .map((p) => ({ name: p.name, schema: p.schema ?? {} })),
      ...(op.requestBody?.content['application/json']
        ? { body: op.requestBody.content['application/json'].schema }
        : {}),
    })),
  );
}

/**
 * Values that have broken parsers and stores before: NUL and lone surrogates, bidi overrides, prototype names,
 * huge and deeply nested values, numbers at the edges of what JSON and JavaScript agree on.
 */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(
    '',
    ' ',
    '\u0000',
    'a\u0000b',
    '\ud800',
    '\udfff\ud800',
    '\u202eevil',
    '\ufeff',
    '🏦💸',
    '__proto__',
    'constructor',
    'toString',
    '../../etc/passwd',
    '%00',
    ['$', '{jndi:ldap://x}'].join(''),
    "' OR 1=1 --",
    '<script>alert(1)</script>',
    'T#other-firm#MEETING#x',
    '1e309',
    -0,
    0,
    -1,
    1e308,
    -1e308,
    Number.MAX_SAFE_INTEGER + 2,
    2 ** 31,
    0.1,
    true,
    false,
    null,
    [],
    {},
  ),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.integer({ min: 1_000, max: 120_000 }).map((n) => 'x'.repeat(n)),
  fc.integer({ min: 50, max: 1_000 }).map((depth) => nested(depth)),
  fc.constant(
    JSON.parse('{"__proto__":{"role":"admin","isAdmin":true},"constructor":{"prototype":{"x":1}}}'),
  ),
  fc.array(fc.string(), { minLength: 500, maxLength: 2_000 }),
);

function nested(depth: number): unknown {
  let value: unknown = 'bottom';
  for (let i = 0; i < depth; i += 1) value = i % 2 === 0 ? [value] : { a: value };
  return value;
}

/**
 * Values shaped by `schema` (often valid, so requests get past the first check) and, one time in four, a
 * hostile or wrongly typed value in its place, at any depth.
 */
export function valueFor(schema: JsonSchema, doc: OpenApiDocument, depth = 0): fc.Arbitrary<unknown> {
  const resolved = resolve(schema, doc);
  const shaped = shapedValue(resolved, doc, depth);
  return fc.oneof({ weight: 3, arbitrary: shaped }, { weight: 1, arbitrary: hostileValue });
}

function shapedValue(schema: JsonSchema, doc: OpenApiDocument, depth: number): fc.Arbitrary<unknown> {
  if (depth > 6) return hostileValue;
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const options = schema.anyOf ?? schema.oneOf;
  if (options && options.length > 0) return fc.oneof(...options.map((s) => valueFor(s, doc, depth + 1)));
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'object': {
      const properties = schema.properties ?? {};
      const record: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [name, child] of Object.entries(properties)) record[name] = valueFor(child, doc, depth + 1);
      return fc.record(record, { requiredKeys: schema.required?.filter((k) => k in properties) ?? [] });
    }
    case 'array':
      return fc.array(valueFor(schema.items ?? {}, doc, depth + 1), { maxLength: 4 });
    case 'string':
      return stringFor(schema);
    case 'integer':
      return fc.integer({ min: schema.minimum ?? -10, max: schema.maximum ?? 1_000 });
    case 'number':
      return fc.double({ min: schema.minimum ?? -10, max: schema.maximum ?? 1_000, noNaN: true });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    default:
      return fc.jsonValue({ maxDepth: 3 });
  }
}

function stringFor(schema: JsonSchema): fc.Arbitrary<string> {
  switch (schema.format) {
    case 'date':
      return fc.constantFrom('2026-01-20', '2026-02-30', '0000-00-00', '2026-1-2');
    case 'date-time':
      return fc.constantFrom('2026-01-20T15:00:00.000Z', '2026-01-20T25:00:00Z', 'yesterday');
    case 'email':
      return fc.oneof(fc.emailAddress(), fc.constantFrom('a@b', '@', 'x@example.com\u0000'));
    case 'uri':
      return fc.constantFrom('https://example.com/x', 'http://169.254.169.254/latest', 'file:///etc/passwd');
    default:
      return fc.string({
        minLength: schema.minLength ?? 0,
        maxLength: Math.min(schema.maxLength ?? 40, 80),
        unit: 'grapheme',
      });
  }
}

function resolve(schema: JsonSchema, doc: OpenApiDocument): JsonSchema {
  let current = schema;
  for (let hops = 0; current.$ref && hops < 10; hops += 1) {
    const name = current.$ref.split('/').pop() ?? '';
    current = doc.components.schemas[name] ?? {};
  }
  return current;
}
