import { isProcessAlive } from './host-state';

const DUPLICATE_SIGNAL_MS = 1_000;

export interface ShutdownOptions {
  /** Stops everything; must be idempotent. */
  stop: () => Promise<void>;
  /** Upper bound for a graceful stop before the process exits anyway (exit hooks still kill Java). */
  graceMs?: number;
  /** How often to check whether the parent process is gone (0 disables). */
  parentCheckMs?: number;
  /** Also stop when this process exits (`SMARTAD_EXIT_WITH_PID`), e.g. a test runner above a `tsx` wrapper. */
  exitWithPid?: number;
}

/**
 * Ties the host's lifetime to the process: SIGINT, SIGTERM and SIGHUP stop it and exit 0; a second signal (a
 * second or more after the first) exits at once; an uncaught error or unhandled rejection prints its stack,
 * stops and exits 1; a parent that disappears (terminal closed, `tsx` or a test runner killed) is treated like
 * SIGTERM. Java's last lines of defence, a synchronous kill on `process.on('exit')` and a watchdog for a
 * SIGKILLed host, are registered by the engine itself.
 */
export function shutdownOnSignals(options: ShutdownOptions): void {
  const graceMs = options.graceMs ?? 10_000;
  let shuttingDown = false;

  let firstAt = 0;

  const shutdown = (reason: string, code: number) => {
    if (shuttingDown) {
      // tsx re-sends a signal its child was slow to acknowledge, and Ctrl-C reaches the whole process group:
      // a repeat within a second is the same Ctrl-C, not the user insisting.
      if (Date.now() - firstAt < DUPLICATE_SIGNAL_MS) return;
      console.error(`${reason} again — exiting now`);
      process.exit(code === 0 ? 130 : code);
    }
    shuttingDown = true;
    firstAt = Date.now();
    console.error(`${reason} — stopping the local host`);
    const force = setTimeout(() => {
      console.error(`stop took longer than ${graceMs / 1000} s — exiting`);
      process.exit(code === 0 ? 1 : code);
    }, graceMs);
    force.unref();
    options
      .stop()
      .catch((error: unknown) => console.error('stop failed:', error))
      .finally(() => process.exit(code));
  };

  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const)
    process.on(signal, () => shutdown(signal, 0));
  process.on('uncaughtException', (error) => {
    console.error(error);
    shutdown('uncaught exception', 1);
  });
  process.on('unhandledRejection', (reason) => {
    console.error(reason);
    shutdown('unhandled rejection', 1);
  });

  const parentCheckMs = options.parentCheckMs ?? 1_000;
  if (parentCheckMs > 0) {
    const parent = process.ppid;
    const timer = setInterval(() => {
      if (process.ppid !== parent) shutdown('parent process exited', 0);
      else if (options.exitWithPid !== undefined && !isProcessAlive(options.exitWithPid)) {
        shutdown(`process ${options.exitWithPid} (SMARTAD_EXIT_WITH_PID) exited`, 0);
      }
    }, parentCheckMs);
    timer.unref();
  }
}
