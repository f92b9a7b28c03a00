import * as z from 'zod';

/** The one error shape every 4xx/5xx answer of the API has. */
export const ErrorResponseSchema = z
  .object({
    error: z.object({
      code: z.string().meta({ description: 'Stable machine-readable code, e.g. validation_failed' }),
      message: z.string(),
      issues: z.array(z.object({ path: z.string(), message: z.string() })),
      request_id: z.string(),
    }),
  })
  .meta({ id: 'ErrorResponse' });

export type ErrorResponseBody = z.infer<typeof ErrorResponseSchema>;
