import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { defineRoute, type HttpMethod } from '../../../functions/platform/http/route';
import { createRouteMatcher } from '../../../functions/platform/http/route-match';

const route = (method: HttpMethod, path: `/${string}`) =>
  defineRoute({
    id: `${method}${path}`,
    method,
    path,
    summary: '',
    tags: [],
    auth: 'public',
    rateLimit: 'standard',
    request: {},
    status: 200,
    response: z.object({}),
  });

const match = createRouteMatcher([
  route('GET', '/api/v1/meetings'),
  route('POST', '/api/v1/meetings'),
  route('GET', '/api/v1/meetings/{meetingId}'),
  route('PATCH', '/api/v1/meetings/{meetingId}/action-items/{itemId}'),
]);

describe('createRouteMatcher', () => {
  it('finds a literal route', () => {
    expect(match('GET', '/api/v1/meetings')).toMatchObject({ kind: 'found', pathParameters: {} });
  });

  it('extracts and decodes path parameters', () => {
    const result = match('PATCH', '/api/v1/meetings/m%201/action-items/a-2');
    expect(result).toMatchObject({ kind: 'found', pathParameters: { meetingId: 'm 1', itemId: 'a-2' } });
  });

  it('reports the allowed methods when only the method is wrong', () => {
    expect(match('DELETE', '/api/v1/meetings')).toEqual({
      kind: 'method_not_allowed',
      allowed: ['GET', 'POST'],
    });
  });

  it('does not let a parameter span segments or match a prefix', () => {
    expect(match('GET', '/api/v1/meetings/a/b').kind).toBe('not_found');
    expect(match('GET', '/api/v1/meetings/').kind).toBe('not_found');
    expect(match('GET', '/api/v1/meetingsX').kind).toBe('not_found');
  });

  it('treats a malformed percent-encoding as not found rather than throwing', () => {
    expect(match('GET', '/api/v1/meetings/%E0%A4%A').kind).toBe('not_found');
  });
});
