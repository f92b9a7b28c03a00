import type { Config } from '../config/config';
import { Logger } from './logger';

/** The base logger of a function, created once per cold start from config. */
export function functionLogger(cfg: Config, group: string): Logger {
  return new Logger({
    service: 'smart-advisor-os',
    level: cfg.logLevel,
    persistent: {
      function: process.env.AWS_LAMBDA_FUNCTION_NAME ?? `smartad-${group}`,
      version: cfg.serviceVersion,
    },
  });
}
