import * as z from 'zod';

/**
 * The fields of a Google service-account key file (the JSON Google Cloud hands out) that the JWT bearer grant
 * needs. Kept encrypted with the firm's Meet integration; the private key never leaves the function.
 */
export const GoogleServiceAccountKeySchema = z.looseObject({
  type: z.literal('service_account').optional(),
  client_email: z.email(),
  private_key: z
    .string()
    .min(100)
    .refine((pem) => pem.includes('-----BEGIN PRIVATE KEY-----'), {
      message: 'must be a PEM PKCS#8 private key',
    }),
  private_key_id: z.string().optional(),
  token_uri: z.url().optional(),
});
export type GoogleServiceAccountKey = z.infer<typeof GoogleServiceAccountKeySchema>;
