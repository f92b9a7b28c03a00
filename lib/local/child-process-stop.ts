import { type ChildProcess, spawn } from 'node:child_process';

function exited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

function waitForExit(child: ChildProcess, ms: number): Promise<boolean> {
  if (exited(child)) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      child.off('exit', onExit);
      resolve(false);
    }, ms);
    const onExit = () => {
      clearTimeout(timer);
      resolve(true);
    };
    child.once('exit', onExit);
  });
}

/**
 * Stops a child process for certain: SIGTERM, then SIGKILL if it has not exited after `graceMs`. Resolves once
 * the process is gone (or after a final wait, if even SIGKILL is not acknowledged).
 */
export async function stopChildProcess(child: ChildProcess, graceMs = 3_000): Promise<void> {
  if (exited(child)) return;
  child.kill('SIGTERM');
  if (await waitForExit(child, graceMs)) return;
  child.kill('SIGKILL');
  await waitForExit(child, 2_000);
}

/**
 * Last resort for a parent that exits without running its shutdown (crash, `process.exit` elsewhere): a
 * synchronous SIGKILL from the `exit` event, the only place Node still runs code. Returns the unregister function.
 */
export function killOnParentExit(child: ChildProcess): () => void {
  const kill = () => {
    if (!exited(child) && child.pid !== undefined) {
      try {
        process.kill(child.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
  };
  process.on('exit', kill);
  const unregister = () => process.off('exit', kill);
  child.once('exit', unregister);
  return unregister;
}

/** Keeps the last `maxBytes` of a stream's output for error messages while draining it so the pipe never fills. */
export function drainToTail(stream: NodeJS.ReadableStream | null, maxBytes = 8_192): () => string {
  let tail = '';
  stream?.on('data', (chunk: Buffer | string) => {
    tail = (tail + chunk.toString()).slice(-maxBytes);
  });
  return () => tail;
}

/**
 * A tiny shell loop that SIGKILLs `childPid` once `parentPid` is gone — the case no handler in the parent can
 * cover: the parent SIGKILLed (`tsx` does this to its child when the signal relay is slow, so do OOM killers).
 * It ignores INT/TERM/HUP so a Ctrl-C to the process group cannot take it down first, and ends by itself when
 * the child exits. Not on Windows (no `sh`); the next start's stale-process check covers that. Returns a
 * function that ends the watchdog.
 */
export function killWhenParentDies(childPid: number, parentPid: number = process.pid): () => void {
  if (process.platform === 'win32') return () => {};
  const script =
    `trap '' INT TERM HUP; while kill -0 ${parentPid} 2>/dev/null && kill -0 ${childPid} 2>/dev/null; ` +
    `do sleep 1; done; kill -9 ${childPid} 2>/dev/null; exit 0`;
  const watchdog = spawn('/bin/sh', ['-c', script], { stdio: 'ignore' });
  watchdog.on('error', () => undefined);
  watchdog.unref();
  return () => {
    if (watchdog.exitCode === null && watchdog.signalCode === null) watchdog.kill('SIGKILL');
  };
}
