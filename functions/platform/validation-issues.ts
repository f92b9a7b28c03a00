import type * as z from 'zod';
import type { ErrorIssue } from './errors';

/**
 * Zod's issues as the API's `{ path, message }` pairs, paths dotted and prefixed by where the value came from
 * (`body`, `query`, …). Zod's messages describe types and lengths, never the offending value.
 */
export function issuesFromZod(
  error: z.ZodError,
  options: { prefix?: string; root?: string } = {},
): ErrorIssue[] {
  return error.issues.map((issue) => {
    const parts = [...(options.prefix ? [options.prefix] : []), ...issue.path.map(String)];
    return { path: parts.join('.') || (options.root ?? '(value)'), message: issue.message };
  });
}

/** `path: message; path: message` — for one-line errors at start-up. */
export function summariseIssues(issues: readonly ErrorIssue[]): string {
  return issues.map((i) => `${i.path}: ${i.message}`).join('; ');
}
