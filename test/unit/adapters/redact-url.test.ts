import { describe, expect, it } from 'vitest';
import { redactUrl } from '../../../functions/adapters/http/redact-url';

describe('redactUrl', () => {
  it.each([
    [
      'https://zoom.us/rec/download/abc123?access_token=eyJhbGciOi.payload.sig',
      'https://zoom.us/rec/download/abc123',
    ],
    ['https://user:hunter2@files.example.com/a.mp3', 'https://files.example.com/a.mp3'],
    ['https://files.example.com:8443/a.mp3#t=10', 'https://files.example.com:8443/a.mp3'],
    [
      'https://bucket.s3.amazonaws.com/key.m4a?X-Amz-Signature=deadbeef&X-Amz-Credential=AKIA',
      'https://bucket.s3.amazonaws.com/key.m4a',
    ],
    ['https://[::1]:8443/x?y=1', 'https://[::1]:8443/x'],
    ['data:text/plain;base64,c2VjcmV0', 'data:[redacted]'],
    ['not a url?token=1', '[unparseable url]'],
  ])('logs %s as %s', (url, expected) => {
    expect(redactUrl(url)).toBe(expected);
  });

  it('accepts a URL object', () => {
    expect(redactUrl(new URL('https://example.com/a?b=c'))).toBe('https://example.com/a');
  });
});
