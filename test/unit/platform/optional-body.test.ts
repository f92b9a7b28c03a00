import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { ValidationError } from '../../../functions/platform/errors';
import { parseRequest } from '../../../functions/platform/http/request-parser';
import { defineRoute } from '../../../functions/platform/http/route';
import { apiEvent } from '../../support/api-event';

const route = (body: z.ZodType) =>
  defineRoute({
    id: 'r',
    method: 'POST',
    path: '/webhooks/x',
    summary: 's',
    tags: [],
    auth: 'public',
    rateLimit: 'standard',
    request: { body },
    status: 200,
    response: z.object({}),
  });
const Body = z.object({ value: z.array(z.string()) });

describe('a route whose body schema is optional', () => {
  it('takes an empty body of any content type as no body (Graph’s validation handshake)', () => {
    const event = apiEvent('POST', '/webhooks/x', { headers: { 'content-type': 'text/plain' } });
    expect(parseRequest(event, route(Body.optional()), 1024).body).toBeUndefined();
  });

  it('still validates a body that is there, naming the field', () => {
    const event = apiEvent('POST', '/webhooks/x', { body: '{"value":[1]}' });
    expect(() => parseRequest(event, route(Body.optional()), 1024)).toThrow(ValidationError);
    expect(
      parseRequest(apiEvent('POST', '/webhooks/x', { body: '{"value":["a"]}' }), route(Body.optional()), 1024)
        .body,
    ).toEqual({
      value: ['a'],
    });
  });

  it('leaves a required body required', () => {
    const event = apiEvent('POST', '/webhooks/x', { headers: { 'content-type': 'text/plain' } });
    expect(() => parseRequest(event, route(Body), 1024)).toThrow(/required/);
  });
});
