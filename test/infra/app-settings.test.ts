import { App } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { readAppSettings } from '../../lib/app-settings';

function settingsFrom(context: Record<string, unknown>) {
  return readAppSettings(new App({ context }).node);
}

describe('readAppSettings', () => {
  it('defaults to no CORS origins and info logging', () => {
    expect(settingsFrom({})).toMatchObject({ corsAllowedOrigins: [], logLevel: 'info' });
  });

  it('reads comma-separated origins as `cdk synth -c` passes them', () => {
    expect(
      settingsFrom({ corsAllowedOrigins: 'https://app.example.com, http://localhost:5173,' })
        .corsAllowedOrigins,
    ).toEqual(['https://app.example.com', 'http://localhost:5173']);
  });

  it('accepts origins as a list, as cdk.json may hold them', () => {
    expect(settingsFrom({ corsAllowedOrigins: ['https://app.example.com'] }).corsAllowedOrigins).toEqual([
      'https://app.example.com',
    ]);
  });

  it('fails the synth on an origin with a path or trailing slash, naming the key', () => {
    expect(() => settingsFrom({ corsAllowedOrigins: 'https://app.example.com/' })).toThrow(
      /corsAllowedOrigins/,
    );
    expect(() => settingsFrom({ corsAllowedOrigins: 'app.example.com' })).toThrow(/corsAllowedOrigins/);
  });

  it('fails the synth on an unknown log level, naming the key', () => {
    expect(() => settingsFrom({ logLevel: 'verbose' })).toThrow(/logLevel/);
    expect(settingsFrom({ logLevel: 'debug' }).logLevel).toBe('debug');
  });

  it('reports the package version as the service version', () => {
    expect(settingsFrom({}).serviceVersion).toMatch(/^\d+\.\d+\.\d+/);
  });
});
