import type * as z from 'zod';
import { ValidationError } from '../../platform/errors';
import { issuesFromZod } from '../../platform/validation-issues';

/**
 * Validates a use case's input against its schema: a use case never trusts that its caller validated (the HTTP
 * edge does, with the same schemas), and a failure names every offending field.
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw new ValidationError('The input is invalid.', issuesFromZod(result.error), result.error);
}
