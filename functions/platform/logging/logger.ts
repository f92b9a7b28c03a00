import { scrub, scrubString } from './pii-scrubber';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

const LEVEL_RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export type LogSink = (line: string) => void;

export interface LoggerOptions {
  service: string;
  level: LogLevel;
  /** Where JSON lines go; stdout by default (Lambda ships it to CloudWatch). */
  sink?: LogSink;
  /** Keys added to every line (function name, cold start, …). */
  persistent?: Record<string, unknown>;
}

/**
 * Structured JSON logger: one line per entry, with the request's correlation id once it is set, and every
 * value passed through the PII scrubber. Children share the sink and level and add keys.
 */
export class Logger {
  private readonly options: Required<LoggerOptions>;

  constructor(options: LoggerOptions) {
    this.options = {
      sink: (line) => process.stdout.write(`${line}\n`),
      persistent: {},
      ...options,
    };
  }

  child(keys: Record<string, unknown>): Logger {
    return new Logger({ ...this.options, persistent: { ...this.options.persistent, ...keys } });
  }

  get level(): LogLevel {
    return this.options.level;
  }

  debug(message: string, extra?: Record<string, unknown>): void {
    this.write('debug', message, extra);
  }

  info(message: string, extra?: Record<string, unknown>): void {
    this.write('info', message, extra);
  }

  warn(message: string, extra?: Record<string, unknown>): void {
    this.write('warn', message, extra);
  }

  error(message: string, extra?: Record<string, unknown>): void {
    this.write('error', message, extra);
  }

  private write(level: LogLevel, message: string, extra?: Record<string, unknown>): void {
    if (LEVEL_RANK[level] < LEVEL_RANK[this.options.level]) return;
    const entry = {
      level,
      timestamp: new Date().toISOString(),
      service: this.options.service,
      message: scrubString(message),
      ...(scrub(this.options.persistent) as Record<string, unknown>),
      ...(extra ? (scrub(extra) as Record<string, unknown>) : {}),
    };
    this.options.sink(JSON.stringify(entry));
  }
}
