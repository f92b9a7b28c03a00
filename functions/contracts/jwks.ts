import * as z from 'zod';

/** Google's signing keys as JWKS (`https://www.googleapis.com/oauth2/v3/certs`); only RSA keys are used. */
export const JwksSchema = z.object({
  keys: z
    .array(
      z.looseObject({
        kty: z.string(),
        kid: z.string().min(1),
        n: z.string().optional(),
        e: z.string().optional(),
        alg: z.string().optional(),
      }),
    )
    .min(1),
});
export type Jwks = z.infer<typeof JwksSchema>;
