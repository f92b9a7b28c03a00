/** A valid function environment for unit tests; engines are not reachable (port 9), so no test touches them. */
export const TEST_ENV: Record<string, string> = {
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'test',
  AWS_SECRET_ACCESS_KEY: 'test',
  TABLE_NAME: 'smartad-test',
  UPLOADS_BUCKET: 'smartad-uploads',
  ARCHIVE_BUCKET: 'smartad-archive',
  DYNAMODB_ENDPOINT: 'http://127.0.0.1:9',
  S3_ENDPOINT: 'http://127.0.0.1:9',
  KEYRING_FILE: '/nonexistent/keyring.json',
  SIGNING_KEY_FILE: '/nonexistent/signing-key.json',
  CORS_ALLOWED_ORIGINS: 'https://app.example.com',
  LOG_LEVEL: 'error',
};

export function applyTestEnv(overrides: Record<string, string | undefined> = {}): void {
  for (const [key, value] of Object.entries({ ...TEST_ENV, ...overrides })) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
}
