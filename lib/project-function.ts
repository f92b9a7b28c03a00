import { join } from 'node:path';
import { Duration, Fn, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Grant, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import {
  ApplicationLogLevel,
  Architecture,
  LoggingFormat,
  Runtime,
  SystemLogLevel,
  Tracing,
} from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import type * as z from 'zod';
import { TABLE_DEFINITION } from '../functions/contracts/table-definition';
import type { ConfigSchema } from '../functions/platform/config/config';
import { FUNCTION_BUNDLING, LOCK_FILE, PROJECT_ROOT } from './bundling';

/** A variable `functions/platform/config/config.ts` reads; a typo here fails the type check. */
export type ConfigVariable = keyof z.input<typeof ConfigSchema>;
export type LogLevel = NonNullable<z.input<typeof ConfigSchema>['LOG_LEVEL']>;
export type TableAccess = 'none' | 'read' | 'readwrite';
export type BucketAccess = 'none' | 'read' | 'write' | 'readwrite' | 'readwrite-delete';
export type SecretAccess = 'none' | 'read';

/** Newest Node.js LTS runtime aws-cdk-lib offers; `bundling.ts` targets the same version. */
export const FUNCTION_RUNTIME = Runtime.NODEJS_24_X;

// Long enough to investigate an incident found at a monthly review; compliance evidence lives in the WORM archive.
export const FUNCTION_LOG_RETENTION = RetentionDays.ONE_MONTH;

// No Scan: request paths never scan (DESIGN §4); maintenance jobs run with the operator's credentials.
const TABLE_READ_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:Query',
  'dynamodb:ConditionCheckItem',
];
const TABLE_WRITE_ACTIONS = [
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
];
const TABLE_KEY_READ_ACTIONS = ['kms:Decrypt', 'kms:DescribeKey'];
const TABLE_KEY_WRITE_ACTIONS = [
  'kms:Encrypt',
  'kms:GenerateDataKey',
  'kms:ReEncryptFrom',
  'kms:ReEncryptTo',
];

const APPLICATION_LOG_LEVEL: Record<LogLevel, ApplicationLogLevel> = {
  debug: ApplicationLogLevel.DEBUG,
  info: ApplicationLogLevel.INFO,
  warn: ApplicationLogLevel.WARN,
  error: ApplicationLogLevel.ERROR,
};

export interface ProjectFunctionProps {
  /** Lower-kebab; suffix of the function name and of its log group. */
  readonly name: string;
  /** Repository-relative path of the module that exports `handler`. */
  readonly entry: string;
  readonly description: string;
  readonly memoryMb: number;
  readonly timeoutSeconds: number;
  readonly logLevel: LogLevel;
  /** Further configuration; the `use*` helpers add the resource variables. */
  readonly environment?: Partial<Record<ConfigVariable, string>>;
}

/**
 * A Lambda function with the project's defaults fixed once: Node.js 24 on arm64, ESM bundle with source maps,
 * active X-Ray tracing, JSON logs into its own log group with retention, and a role that starts with nothing
 * but writing to that log group. The `use*` helpers set a resource's environment variable and grant exactly
 * the access asked for, in one call.
 */
export class ProjectFunction extends Construct {
  readonly lambda: NodejsFunction;
  readonly role: Role;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: ProjectFunctionProps) {
    super(scope, id);
    const functionName = `${Stack.of(this).stackName}-${props.name}`;
    this.logGroup = new LogGroup(this, 'Logs', {
      logGroupName: `/aws/lambda/${functionName}`,
      retention: FUNCTION_LOG_RETENTION,
      // Operational logs go with the function; nothing in them is a record the firm must keep.
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // Our own role: the default one carries the AWSLambdaBasicExecutionRole managed policy (logs:* on every group).
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of ${functionName}`,
    });
    this.logGroup.grantWrite(this.role);
    this.lambda = new NodejsFunction(this, 'Function', {
      functionName,
      description: props.description,
      entry: join(PROJECT_ROOT, props.entry),
      handler: 'handler',
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: LOCK_FILE,
      runtime: FUNCTION_RUNTIME,
      architecture: Architecture.ARM_64,
      memorySize: props.memoryMb,
      timeout: Duration.seconds(props.timeoutSeconds),
      tracing: Tracing.ACTIVE,
      role: this.role,
      logGroup: this.logGroup,
      loggingFormat: LoggingFormat.JSON,
      // The runtime drops console output below this level, so it follows LOG_LEVEL.
      applicationLogLevelV2: APPLICATION_LOG_LEVEL[props.logLevel],
      systemLogLevelV2: SystemLogLevel.WARN,
      bundling: FUNCTION_BUNDLING,
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        LOG_LEVEL: props.logLevel,
        ...props.environment,
      },
    });
    Validations.of(this.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Only the X-Ray statement Tracing.ACTIVE adds (xray:PutTraceSegments, xray:PutTelemetryRecords); X-Ray has no resource-level permissions. test/infra asserts no other statement uses Resource *.',
    });
  }

  /** Sets one configuration variable of the function. */
  setVariable(name: ConfigVariable, value: string): this {
    this.lambda.addEnvironment(name, value);
    return this;
  }

  /**
   * Names the table in `TABLE_NAME` and grants `access` to it, its declared indexes (by name, not `index/*`)
   * and its key.
   */
  useTable(table: ITable, access: TableAccess): this {
    this.setVariable('TABLE_NAME', table.tableName);
    if (access === 'none') return this;
    const writes = access === 'readwrite';
    Grant.addToPrincipal({
      grantee: this.lambda,
      actions: writes ? [...TABLE_READ_ACTIONS, ...TABLE_WRITE_ACTIONS] : TABLE_READ_ACTIONS,
      resourceArns: [
        table.tableArn,
        ...TABLE_DEFINITION.globalIndexes.map((index) => `${table.tableArn}/index/${index.name}`),
      ],
    });
    if (table.encryptionKey) {
      Grant.addToPrincipal({
        grantee: this.lambda,
        actions: writes ? [...TABLE_KEY_READ_ACTIONS, ...TABLE_KEY_WRITE_ACTIONS] : TABLE_KEY_READ_ACTIONS,
        resourceArns: [table.encryptionKey.keyArn],
      });
    }
    return this;
  }

  /**
   * Names the bucket in `variable` and grants `access` to its objects (GetObject, PutObject, DeleteObject) and its key.
   * Object ARNs end in `/*`: the caller acknowledges that AwsSolutions-IAM5 finding with its reason.
   */
  useBucket(
    variable: 'UPLOADS_BUCKET' | 'ARCHIVE_BUCKET',
    bucket: IBucket,
    access: BucketAccess,
    arnExport: string,
  ): this {
    this.setVariable(variable, bucket.bucketName);
    if (access === 'none') return this;
    const reads = access === 'read' || access.startsWith('readwrite');
    const writes = access === 'write' || access.startsWith('readwrite');
    const objectActions = [
      ...(reads ? ['s3:GetObject'] : []),
      ...(writes ? ['s3:PutObject'] : []),
      ...(access === 'readwrite-delete' ? ['s3:DeleteObject'] : []),
    ];
    // Explicit statements, like useSecret: bucket.grant*() would edit the key policy in the stateful stack.
    this.role.addToPrincipalPolicy(
      new PolicyStatement({ actions: objectActions, resources: [`${Fn.importValue(arnExport)}/*`] }),
    );
    Validations.of(this.role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${arnExport}/*]`,
      reason: `Object keys in ${variable} are generated per meeting (tenant/date/uuid), so object-level access needs a key wildcard; bucket-level actions are not granted.`,
    });
    if (bucket.encryptionKey) {
      // SSE-KMS: reading decrypts the data key; writing generates one (and decrypts it for multipart uploads).
      const keyActions = ['kms:Decrypt', ...(writes ? ['kms:GenerateDataKey'] : [])];
      this.role.addToPrincipalPolicy(
        new PolicyStatement({ actions: keyActions, resources: [bucket.encryptionKey.keyArn] }),
      );
    }
    return this;
  }

  /**
   * Puts the secret's ARN in `variable` (an id is not a secret) and, if asked, grants reading its value and
   * decrypting it through Secrets Manager only.
   */
  useSecret(
    variable: 'KEYRING_SECRET_ID' | 'SIGNING_KEY_SECRET_ID' | 'VENDOR_KEYS_SECRET_ID',
    secret: ISecret,
    access: SecretAccess,
  ): this {
    this.setVariable(variable, secret.secretArn);
    if (access === 'none') return this;
    // Written out rather than secret.grantRead(): that edits the key policy in the stateful stack, a dependency cycle.
    this.role.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [secret.secretArn] }),
    );
    if (secret.encryptionKey) {
      this.role.addToPrincipalPolicy(
        new PolicyStatement({
          actions: ['kms:Decrypt'],
          resources: [secret.encryptionKey.keyArn],
          conditions: {
            StringEquals: { 'kms:ViaService': `secretsmanager.${Stack.of(this).region}.amazonaws.com` },
          },
        }),
      );
    }
    return this;
  }
}
