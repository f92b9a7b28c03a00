/** A complete function environment for cold imports; endpoints point nowhere because init must not call them. */
export const FUNCTION_ENV = {
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'bench',
  AWS_SECRET_ACCESS_KEY: 'bench',
  TABLE_NAME: 'smartad',
  UPLOADS_BUCKET: 'smartad-uploads',
  ARCHIVE_BUCKET: 'smartad-archive',
  DYNAMODB_ENDPOINT: 'http://127.0.0.1:9',
  S3_ENDPOINT: 'http://127.0.0.1:9',
  KEYRING_FILE: '/nonexistent/keyring.json',
  SIGNING_KEY_FILE: '/nonexistent/signing-key.json',
  LOG_LEVEL: 'warn',
  // As deployed (project-function.ts): source maps on, which Node parses at load.
  NODE_OPTIONS: '--enable-source-maps',
};
