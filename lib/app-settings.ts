import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Node } from 'constructs';
import { PROJECT_ROOT } from './bundling';
import type { LogLevel } from './project-function';

/** Deploy-time settings passed to every function; read from CDK context (`cdk synth -c key=value`). */
export interface AppSettings {
  /** `corsAllowedOrigins`: comma-separated bare origins, e.g. `https://app.example.com`; empty allowed. */
  readonly corsAllowedOrigins: readonly string[];
  /** `logLevel`: debug, info (default), warn or error. */
  readonly logLevel: LogLevel;
  /** The package version, reported by the health route. */
  readonly serviceVersion: string;
  /** `alarmEmail`: who the alarm topic emails (optional; a pager can subscribe to the topic instead). */
  readonly alarmEmail?: string;
}

const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];

/**
 * Reads and checks the settings once at synth time; a bad value fails the synth with the key's name instead
 * of failing every function at its first cold start.
 */
export function readAppSettings(node: Node): AppSettings {
  return {
    corsAllowedOrigins: parseOrigins(node.tryGetContext('corsAllowedOrigins')),
    logLevel: parseLogLevel(node.tryGetContext('logLevel')),
    serviceVersion: packageVersion(),
    ...parseAlarmEmail(node.tryGetContext('alarmEmail')),
  };
}

function parseOrigins(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  const parts = Array.isArray(value) ? value : String(value).split(',');
  const origins = parts.map((part) => String(part).trim()).filter((part) => part.length > 0);
  for (const origin of origins) {
    if (!isBareOrigin(origin)) {
      throw new Error(
        `CDK context corsAllowedOrigins: "${origin}" is not a bare origin such as https://app.example.com (no path, no trailing slash)`,
      );
    }
  }
  return origins;
}

function isBareOrigin(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === value;
  } catch {
    return false;
  }
}

function parseLogLevel(value: unknown): LogLevel {
  if (value === undefined || value === null || value === '') return 'info';
  const level = LOG_LEVELS.find((candidate) => candidate === value);
  if (level === undefined)
    throw new Error(`CDK context logLevel: "${String(value)}" is not one of ${LOG_LEVELS.join(', ')}`);
  return level;
}

function packageVersion(): string {
  const manifest: unknown = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8'));
  const version = (manifest as { version?: unknown }).version;
  if (typeof version !== 'string') throw new Error('package.json has no version');
  return version;
}

function parseAlarmEmail(value: unknown): { alarmEmail?: string } {
  if (value === undefined || value === null || value === '') return {};
  const email = String(value).trim();
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) {
    throw new Error(`alarmEmail: '${email}' is not an email address.`);
  }
  return { alarmEmail: email };
}
