export type OidcVerdict = { ok: true } | { ok: false; reason: string };

/**
 * Checks the `Authorization` header of an OIDC-configured Pub/Sub push: a token signed by Google for the
 * configured audience and service account. A refused token is a verdict (the reason is for the log, never the
 * caller); a verifier that cannot check at all (keys unreachable) throws.
 */
export interface PushTokenVerifier {
  verify(authorization: string | undefined): Promise<OidcVerdict>;
}
