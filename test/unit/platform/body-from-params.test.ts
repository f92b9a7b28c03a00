import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { ValidationError } from '../../../functions/platform/errors';
import { parseRequest } from '../../../functions/platform/http/request-parser';
import { defineRoute } from '../../../functions/platform/http/route';
import { apiEvent } from '../../support/api-event';

const route = defineRoute({
  id: 'r',
  method: 'PUT',
  path: '/things/{kind}',
  summary: 's',
  tags: [],
  auth: 'public',
  rateLimit: 'standard',
  request: {
    params: z.object({ kind: z.enum(['a', 'b']) }),
    body: z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('a'), size: z.number() }),
      z.object({ kind: z.literal('b'), name: z.string() }),
    ]),
    bodyFromParams: ['kind'],
  },
  status: 200,
  response: z.object({}),
});
const put = (kind: string, body: string) =>
  parseRequest(apiEvent('PUT', `/things/${kind}`, { body, pathParameters: { kind } }), route, 1024);

describe('a body that may leave out what the path names (bodyFromParams)', () => {
  it('takes the path parameter when the body leaves it out', () => {
    expect(put('a', '{"size":3}').body).toEqual({ kind: 'a', size: 3 });
    expect(put('b', '{"name":"x"}').body).toEqual({ kind: 'b', name: 'x' });
  });

  it('keeps the body’s own value, equal or not: the handler decides what a disagreement means', () => {
    expect(put('a', '{"kind":"a","size":3}').body).toEqual({ kind: 'a', size: 3 });
    expect(put('a', '{"kind":"b","name":"x"}').body).toEqual({ kind: 'b', name: 'x' });
  });

  it('still names the body field that is wrong, checked against the path’s variant', () => {
    const error = (() => {
      try {
        put('a', '{"name":"x"}');
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues?.map((i) => i.path)).toEqual(['body.size']);
  });

  it('leaves a body that is not an object to the body schema', () => {
    expect(() => put('a', '[1]')).toThrow(ValidationError);
    expect(() => put('a', '"a"')).toThrow(ValidationError);
  });
});
