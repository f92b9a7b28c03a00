import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SFNClient } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type Config, config } from '../platform/config/config';

/**
 * AWS SDK clients, created once per cold start from validated config. An endpoint override (the local host's
 * DynamoDB Local and S3 server) is ordinary SDK configuration, not a branch in business code.
 */
let documentClient: DynamoDBDocumentClient | undefined;
let s3: S3Client | undefined;
let s3Presign: S3Client | undefined;
let secretsManager: SecretsManagerClient | undefined;
let sfn: SFNClient | undefined;

export function dynamoDocumentClient(cfg: Config = config()): DynamoDBDocumentClient {
  documentClient ??= DynamoDBDocumentClient.from(
    new DynamoDBClient({
      region: cfg.region,
      ...(cfg.endpoints.dynamodb ? { endpoint: cfg.endpoints.dynamodb } : {}),
    }),
    { marshallOptions: { removeUndefinedValues: true, convertEmptyValues: false } },
  );
  return documentClient;
}

export function s3Client(cfg: Config = config()): S3Client {
  s3 ??= new S3Client({
    region: cfg.region,
    // S3-protocol servers on localhost need path-style addressing, and corrupt streamed bodies when the SDK
    // adds its default CRC trailer; on AWS the default checksum stays on (Object Lock PUTs require one).
    ...(cfg.endpoints.s3
      ? {
          endpoint: cfg.endpoints.s3,
          forcePathStyle: true,
          requestChecksumCalculation: 'WHEN_REQUIRED' as const,
        }
      : {}),
  });
  return s3;
}

/**
 * The S3 client that presigns browser uploads. It never adds a request checksum: the SDK's default would sign a
 * CRC32 of the empty body into the URL (`x-amz-checksum-crc32=AAAAAA==`), and S3 would refuse every real upload.
 */
export function s3PresignClient(cfg: Config = config()): S3Client {
  s3Presign ??= new S3Client({
    region: cfg.region,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    ...(cfg.endpoints.s3 ? { endpoint: cfg.endpoints.s3, forcePathStyle: true } : {}),
  });
  return s3Presign;
}

export function secretsManagerClient(cfg: Config = config()): SecretsManagerClient {
  secretsManager ??= new SecretsManagerClient({ region: cfg.region });
  return secretsManager;
}

export function sfnClient(cfg: Config = config()): SFNClient {
  sfn ??= new SFNClient({ region: cfg.region });
  return sfn;
}
