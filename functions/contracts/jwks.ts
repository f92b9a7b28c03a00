import * as z from 'zod';

/**
 * A JSON Web Key Set as configured in `MEET_PUSH_OIDC_JWKS` (tests and air-gapped installs; otherwise Google's
 * published keys are fetched); only RSA keys are used.
 */
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
