import { createHash, createHmac } from 'node:crypto';
import { S3Client } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { s3PresignClient } from '../../../functions/adapters/aws-clients';
import { createUploadSigner } from '../../../functions/adapters/blobs/upload-signer';
import { parseConfig } from '../../../functions/platform/config/config';
import { TEST_ENV } from '../../support/test-env';

const credentials = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
};
// As the composition's presign client is configured: no request checksum signed into the URL.
const client = new S3Client({
  region: 'eu-west-1',
  credentials,
  requestChecksumCalculation: 'WHEN_REQUIRED',
});
const signer = createUploadSigner(client, 'uploads-bucket');
const upload = {
  key: 'T#firm-a#/meetings/m 1/recording.mp3',
  contentType: 'audio/mpeg',
  contentLength: 1234,
  expiresInSeconds: 900,
};

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
const hmac = (key: string | Buffer, text: string) => createHmac('sha256', key).update(text, 'utf8').digest();
/** RFC 3986 unreserved characters stay, everything else is %XX: SigV4's URI encoding. */
const uriEncode = (text: string) =>
  encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/**
 * The SigV4 signature S3 computes for a PUT of this presigned URL carrying `headers` (AWS SigV4 "create a
 * signed request", query-string authentication with UNSIGNED-PAYLOAD), written out from the specification so
 * the test checks what S3 would check instead of reading the SDK's own output back.
 */
function signatureS3Expects(presigned: URL, headers: Record<string, string>): string {
  const query = [...presigned.searchParams.entries()]
    .filter(([name]) => name !== 'X-Amz-Signature')
    .map(([name, value]) => [uriEncode(name), uriEncode(value)] as const)
    .sort(([a, av], [b, bv]) => (a < b ? -1 : a > b ? 1 : av < bv ? -1 : 1))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
  const signed = (presigned.searchParams.get('X-Amz-SignedHeaders') ?? '').split(';');
  const sent: Record<string, string> = { host: presigned.host, ...headers };
  const canonicalHeaders = signed.map((name) => `${name}:${(sent[name] ?? '').trim()}\n`).join('');
  const canonicalRequest = [
    'PUT',
    presigned.pathname,
    query,
    canonicalHeaders,
    signed.join(';'),
    'UNSIGNED-PAYLOAD',
  ].join('\n');
  const amzDate = presigned.searchParams.get('X-Amz-Date') ?? '';
  const scope = `${amzDate.slice(0, 8)}/eu-west-1/s3/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonicalRequest)].join('\n');
  let key: Buffer = hmac(`AWS4${credentials.secretAccessKey}`, amzDate.slice(0, 8));
  for (const part of ['eu-west-1', 's3', 'aws4_request']) key = hmac(key, part);
  return hmac(key, stringToSign).toString('hex');
}

describe('upload signer', () => {
  it('refuses a client that would sign the empty body’s checksum into the URL (S3 would refuse every upload)', async () => {
    const defaults = createUploadSigner(new S3Client({ region: 'eu-west-1', credentials }), 'uploads-bucket');
    await expect(defaults.presignPut(upload)).rejects.toThrow(/requestChecksumCalculation/);
    const { url } = await signer.presignPut(upload);
    expect(url).not.toMatch(/x-amz-checksum|x-amz-sdk-checksum/i);
  });

  it('is given a presign client that computes checksums only when required, on AWS too', async () => {
    const { S3_ENDPOINT: _local, ...aws } = TEST_ENV;
    const presign = s3PresignClient(parseConfig(aws));
    expect(await presign.config.requestChecksumCalculation()).toBe('WHEN_REQUIRED');
  });

  it('signs content-type and content-length into the presigned PUT', async () => {
    const { url, headers } = await signer.presignPut(upload);
    const presigned = new URL(url);
    expect(presigned.searchParams.get('X-Amz-SignedHeaders')?.split(';')).toEqual([
      'content-length',
      'content-type',
      'host',
    ]);
    expect(presigned.searchParams.get('X-Amz-Expires')).toBe('900');
    expect(presigned.searchParams.get('X-Amz-Credential')).toMatch(/^AKIDEXAMPLE\/\d{8}\/eu-west-1\/s3\//);
    expect(headers).toEqual({ 'content-type': 'audio/mpeg', 'content-length': '1234' });
  });

  it('gives a signature that holds for the headers it returns and fails for another type or size', async () => {
    const { url, headers } = await signer.presignPut(upload);
    const presigned = new URL(url);
    const signature = presigned.searchParams.get('X-Amz-Signature');
    expect(signature).toMatch(/^[0-9a-f]{64}$/);
    expect(signatureS3Expects(presigned, headers)).toBe(signature);
    expect(signatureS3Expects(presigned, { ...headers, 'content-type': 'video/mp4' })).not.toBe(signature);
    expect(signatureS3Expects(presigned, { ...headers, 'content-type': 'text/html' })).not.toBe(signature);
    expect(signatureS3Expects(presigned, { ...headers, 'content-length': '5000000000' })).not.toBe(signature);
  });
});
