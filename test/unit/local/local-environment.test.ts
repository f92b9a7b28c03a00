import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../functions/platform/config/config';
import { localEnvironment } from '../../../lib/local/local-environment';

const engines = {
  dynamodbEndpoint: 'http://127.0.0.1:4000',
  s3Endpoint: 'http://127.0.0.1:4001',
  secrets: { keyringFile: '/h/keyring.json', signingKeyFile: '/h/signing-key.json' },
};

describe('localEnvironment', () => {
  it('fills in every variable the functions need, and the result parses as config', () => {
    const values = localEnvironment({ env: {}, ...engines });
    expect(values).toEqual({
      AWS_REGION: 'us-east-1',
      TABLE_NAME: 'smartad',
      UPLOADS_BUCKET: 'smartad-uploads',
      ARCHIVE_BUCKET: 'smartad-archive',
      AWS_ACCESS_KEY_ID: 'smartadlocal',
      AWS_SECRET_ACCESS_KEY: 'smartadlocal',
      DYNAMODB_ENDPOINT: 'http://127.0.0.1:4000',
      S3_ENDPOINT: 'http://127.0.0.1:4001',
      KEYRING_FILE: '/h/keyring.json',
      SIGNING_KEY_FILE: '/h/signing-key.json',
    });
    expect(parseConfig(values).endpoints).toEqual({
      dynamodb: 'http://127.0.0.1:4000',
      s3: 'http://127.0.0.1:4001',
    });
  });

  it('keeps what the user set, except the endpoints', () => {
    const values = localEnvironment({
      env: {
        AWS_REGION: 'eu-west-1',
        TABLE_NAME: 'mine',
        AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE',
        DYNAMODB_ENDPOINT: 'http://elsewhere:8000',
      },
      ...engines,
    });
    expect(values).not.toHaveProperty('AWS_REGION');
    expect(values).not.toHaveProperty('TABLE_NAME');
    expect(values).not.toHaveProperty('AWS_ACCESS_KEY_ID');
    expect(values.AWS_SECRET_ACCESS_KEY).toBe('smartadlocal');
    expect(values.DYNAMODB_ENDPOINT).toBe('http://127.0.0.1:4000');
  });

  it('leaves a secret alone that the user sourced from a file or Secrets Manager', () => {
    const values = localEnvironment({
      env: { KEYRING_SECRET_ID: 'prod/keyring', SIGNING_KEY_FILE: '/elsewhere/key.json' },
      ...engines,
    });
    expect(values).not.toHaveProperty('KEYRING_FILE');
    expect(values).not.toHaveProperty('SIGNING_KEY_FILE');
  });

  it('treats an empty value as unset', () => {
    expect(localEnvironment({ env: { TABLE_NAME: '' }, ...engines }).TABLE_NAME).toBe('smartad');
  });
});
