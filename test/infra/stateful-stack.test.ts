import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { BUCKET_DEFINITIONS } from '../../functions/contracts/bucket-definitions';
import { TABLE_DEFINITION } from '../../functions/contracts/table-definition';
import { parseKeyringDocument } from '../../functions/platform/crypto/keyring-document';
import { buildTestApp } from './app-fixture';

type Resource = {
  Type: string;
  Properties: Record<string, unknown>;
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
};

let template: Template;
let stateful: ReturnType<typeof buildTestApp>['stateful'];

beforeAll(() => {
  ({ stateful } = buildTestApp());
  template = Template.fromStack(stateful);
});

function only(type: string, props: Record<string, unknown> = {}): [string, Resource] {
  const found = Object.entries(template.findResources(type, { Properties: props })) as [string, Resource][];
  expect(found, `exactly one ${type} matching ${JSON.stringify(props)}`).toHaveLength(1);
  return found[0] as [string, Resource];
}

function bucketByLogPrefix(prefix: string): [string, Resource] {
  return only('AWS::S3::Bucket', { LoggingConfiguration: Match.objectLike({ LogFilePrefix: prefix }) });
}

function logicalIdOf(construct: { node: { defaultChild?: unknown } }): string {
  return stateful.getLogicalId(construct.node.defaultChild as never);
}

describe('meeting table', () => {
  it('bills per request', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', { BillingMode: 'PAY_PER_REQUEST' });
  });

  it('keeps point-in-time recovery on', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
    });
  });

  it('encrypts with a customer-managed KMS key that rotates', () => {
    const [, table] = only('AWS::DynamoDB::Table');
    expect(table.Properties.SSESpecification).toEqual({
      SSEEnabled: true,
      SSEType: 'KMS',
      KMSMasterKeyId: { 'Fn::GetAtt': [expect.any(String), 'Arn'] },
    });
    const keyId = (table.Properties.SSESpecification as { KMSMasterKeyId: { 'Fn::GetAtt': [string] } })
      .KMSMasterKeyId['Fn::GetAtt'][0];
    const key = template.toJSON().Resources[keyId] as Resource;
    expect(key.Type).toBe('AWS::KMS::Key');
    expect(key.Properties.EnableKeyRotation).toBe(true);
  });

  it('is protected from deletion and retained with its stack', () => {
    template.hasResource('AWS::DynamoDB::Table', {
      Properties: Match.objectLike({ DeletionProtectionEnabled: true }),
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
  });

  it('expires items through the TTL attribute named in TABLE_DEFINITION', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      TimeToLiveSpecification: { AttributeName: TABLE_DEFINITION.ttlAttribute, Enabled: true },
    });
  });

  it('takes its keys and both GSIs (ALL projection) from TABLE_DEFINITION', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [
        { AttributeName: TABLE_DEFINITION.partitionKey, KeyType: 'HASH' },
        { AttributeName: TABLE_DEFINITION.sortKey, KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: TABLE_DEFINITION.globalIndexes.map((index) => ({
        IndexName: index.name,
        KeySchema: [
          { AttributeName: index.partitionKey, KeyType: 'HASH' },
          { AttributeName: index.sortKey, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      })),
    });
  });
});

describe('WORM archive bucket', () => {
  const { retentionDays } = BUCKET_DEFINITIONS.archive.objectLock;

  it('locks the archive bucket in COMPLIANCE mode for 2190 days', () => {
    expect(retentionDays).toBe(2190);
    const [, archive] = bucketByLogPrefix('archive/');
    expect(archive.Properties.ObjectLockEnabled).toBe(true);
    expect(archive.Properties.ObjectLockConfiguration).toEqual({
      ObjectLockEnabled: 'Enabled',
      Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: retentionDays } },
    });
  });

  it('versions the archive bucket', () => {
    const [, archive] = bucketByLogPrefix('archive/');
    expect(archive.Properties.VersioningConfiguration).toEqual({ Status: 'Enabled' });
  });

  it('encrypts the archive with its own customer-managed key', () => {
    const [, archive] = bucketByLogPrefix('archive/');
    expect(archive.Properties.BucketEncryption).toEqual({
      ServerSideEncryptionConfiguration: [
        {
          BucketKeyEnabled: true,
          ServerSideEncryptionByDefault: {
            SSEAlgorithm: 'aws:kms',
            KMSMasterKeyID: { 'Fn::GetAtt': [logicalIdOf(archiveKey()), 'Arn'] },
          },
        },
      ],
    });
  });
});

function archiveKey() {
  return stateful.node.findChild('Archive').node.findChild('Key');
}

describe('every bucket', () => {
  it('denies requests that do not use TLS', () => {
    const buckets = Object.keys(template.findResources('AWS::S3::Bucket'));
    expect(buckets).toHaveLength(3);
    for (const bucketId of buckets) {
      template.hasResourceProperties('AWS::S3::BucketPolicy', {
        Bucket: { Ref: bucketId },
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Deny',
              Principal: { AWS: '*' },
              Action: 's3:*',
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            }),
          ]),
        },
      });
    }
  });

  it('blocks all public access', () => {
    const buckets = Object.values(template.findResources('AWS::S3::Bucket')) as Resource[];
    for (const bucket of buckets) {
      expect(bucket.Properties.PublicAccessBlockConfiguration).toEqual({
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      });
    }
  });

  it('sends server access logs of uploads and archive to the access-log bucket', () => {
    const [logsId, logs] = only('AWS::S3::Bucket', {
      BucketEncryption: Match.objectLike({
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      }),
    });
    expect(logs.Properties.LoggingConfiguration).toBeUndefined();
    for (const prefix of ['uploads/', 'archive/']) {
      const [, bucket] = bucketByLogPrefix(prefix);
      expect(bucket.Properties.LoggingConfiguration).toEqual({
        DestinationBucketName: { Ref: logsId },
        LogFilePrefix: prefix,
      });
    }
  });
});

describe('uploads bucket', () => {
  it(`expires uploads/ objects (only) after ${BUCKET_DEFINITIONS.uploads.expireAfterDays} days`, () => {
    const [, uploads] = bucketByLogPrefix('uploads/');
    expect(uploads.Properties.LifecycleConfiguration).toEqual({
      Rules: [
        expect.objectContaining({
          Status: 'Enabled',
          Prefix: 'uploads/',
          ExpirationInDays: BUCKET_DEFINITIONS.uploads.expireAfterDays,
          AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
        }),
      ],
    });
  });

  it('encrypts uploads with a customer-managed key', () => {
    const [, uploads] = bucketByLogPrefix('uploads/');
    expect(uploads.Properties.BucketEncryption).toMatchObject({
      ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms' } }],
    });
  });
});

describe('secrets', () => {
  function generation(description: RegExp) {
    const [, secret] = only('AWS::SecretsManager::Secret', {
      Description: Match.stringLikeRegexp(description.source),
    });
    return secret.Properties.GenerateSecretString as {
      SecretStringTemplate: string;
      GenerateStringKey: string;
      PasswordLength: number;
      ExcludePunctuation: boolean;
    };
  }

  it('generates the keyring in the bootstrap form the keyring parser accepts', () => {
    const spec = generation(/keyring/);
    expect(spec).toEqual({
      SecretStringTemplate: '{"id":"k1"}',
      GenerateStringKey: 'material',
      PasswordLength: 64,
      ExcludePunctuation: true,
    });
    const generated = {
      ...JSON.parse(spec.SecretStringTemplate),
      [spec.GenerateStringKey]: 'x'.repeat(spec.PasswordLength),
    };
    expect(parseKeyringDocument(JSON.stringify(generated)).keys).toEqual([
      { id: 'k1', material: 'x'.repeat(64) },
    ]);
  });

  it('generates the JWT signing key as {"kid":"s1","secret":<64 characters>}', () => {
    expect(generation(/signing key/)).toEqual({
      SecretStringTemplate: '{"kid":"s1"}',
      GenerateStringKey: 'secret',
      PasswordLength: 64,
      ExcludePunctuation: true,
    });
  });

  it('encrypts every secret with a rotating customer-managed key', () => {
    const secrets = Object.values(template.findResources('AWS::SecretsManager::Secret')) as Resource[];
    expect(secrets).toHaveLength(3);
    const keyId = logicalIdOf(stateful.node.findChild('Secrets').node.findChild('Key'));
    for (const secret of secrets) {
      expect(secret.Properties.KmsKeyId).toEqual({ 'Fn::GetAtt': [keyId, 'Arn'] });
    }
    template.hasResource('AWS::KMS::Key', { Properties: Match.objectLike({ EnableKeyRotation: true }) });
  });
});

it('retains every table, bucket, key and secret when the stack is deleted', () => {
  const stateful = [
    'AWS::DynamoDB::Table',
    'AWS::S3::Bucket',
    'AWS::KMS::Key',
    'AWS::SecretsManager::Secret',
  ];
  const resources = Object.entries(template.toJSON().Resources as Record<string, Resource>).filter(([, r]) =>
    stateful.includes(r.Type),
  );
  expect(resources.length).toBe(1 + 3 + 4 + 3);
  for (const [id, resource] of resources) {
    expect({ id, policy: resource.DeletionPolicy }).toEqual({ id, policy: 'Retain' });
  }
});

it('rotates every KMS key', () => {
  const keys = Object.values(template.findResources('AWS::KMS::Key')) as Resource[];
  expect(keys.length).toBe(4);
  for (const key of keys) expect(key.Properties.EnableKeyRotation).toBe(true);
});
