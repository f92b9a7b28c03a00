import { BUCKET_DEFINITIONS } from '../../functions/contracts/bucket-definitions';

export type Environment = Record<string, string | undefined>;

export interface LocalEnvironmentInput {
  /** The environment as the user left it (shell, `.env`). */
  env: Environment;
  dynamodbEndpoint: string;
  s3Endpoint: string;
  secrets: { keyringFile: string; signingKeyFile: string };
}

/** Defaults the local host fills in when the user has not set them. */
export const LOCAL_DEFAULTS = {
  AWS_REGION: 'us-east-1',
  TABLE_NAME: 'smartad',
  UPLOADS_BUCKET: BUCKET_DEFINITIONS.uploads.localName,
  ARCHIVE_BUCKET: BUCKET_DEFINITIONS.archive.localName,
  // The SDK refuses to sign without credentials; the engines accept any key id of letters and digits only
  // (DynamoDB Local answers UnrecognizedClientException otherwise). Obviously not real keys.
  AWS_ACCESS_KEY_ID: 'smartadlocal',
  AWS_SECRET_ACCESS_KEY: 'smartadlocal',
} as const;

/** As in `parseConfig`: an empty string (`VAR=`) counts as unset. */
const isSet = (value: string | undefined): value is string => value !== undefined && value !== '';

/**
 * The variables the local host sets before any handler loads. User-set values win, except the two endpoints,
 * which must point at this host's engines. A secret the user already sourced (file or Secrets Manager id) is
 * left alone; otherwise the generated local file is used.
 */
export function localEnvironment(input: LocalEnvironmentInput): Record<string, string> {
  const { env } = input;
  const values: Record<string, string> = {};
  for (const [name, value] of Object.entries(LOCAL_DEFAULTS)) {
    if (!isSet(env[name])) values[name] = value;
  }
  values.DYNAMODB_ENDPOINT = input.dynamodbEndpoint;
  values.S3_ENDPOINT = input.s3Endpoint;
  if (!isSet(env.KEYRING_FILE) && !isSet(env.KEYRING_SECRET_ID))
    values.KEYRING_FILE = input.secrets.keyringFile;
  if (!isSet(env.SIGNING_KEY_FILE) && !isSet(env.SIGNING_KEY_SECRET_ID)) {
    values.SIGNING_KEY_FILE = input.secrets.signingKeyFile;
  }
  return values;
}
