import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  claimHome,
  isProcessAlive,
  readHostState,
  removeHostState,
  writeHostState,
} from '../../../lib/local/host-state';

let home: string;
beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'smartad-state-'));
});
afterEach(async () => {
  await rm(home, { recursive: true, force: true });
});

describe('claimHome', () => {
  it('records this process as the starting host', async () => {
    expect(await claimHome(home, true)).toEqual([]);
    expect(await readHostState(home)).toEqual({ pid: process.pid, status: 'starting', memory: true });
  });

  it('refuses a home another live host is using', async () => {
    await writeHostState(home, {
      pid: process.ppid,
      status: 'ready',
      memory: false,
      url: 'http://127.0.0.1:3000',
    });
    await expect(claimHome(home, false)).rejects.toThrow(
      `Another local host (pid ${process.ppid}) is using ${home} at http://127.0.0.1:3000`,
    );
  });

  it('kills a DynamoDB Local left behind by a host that died without stopping it', async () => {
    // A stand-in whose command line names DynamoDBLocal, as the real Java process's does.
    const orphan = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60_000)', 'DynamoDBLocal.jar'], {
      stdio: 'ignore',
    });
    const exited = new Promise((resolve) => orphan.once('exit', resolve));
    const pid = orphan.pid ?? 0;
    await writeHostState(home, {
      pid: 999_999_999,
      status: 'ready',
      memory: false,
      dynamodb: { endpoint: 'http://127.0.0.1:1', pid },
    });
    const notes = await claimHome(home, false);
    await exited;
    expect(notes).toEqual([
      `stopped DynamoDB Local (pid ${pid}) left behind by an earlier host that did not shut down`,
    ]);
    expect(isProcessAlive(pid)).toBe(false);
  });

  it('leaves alone a recycled pid that is not DynamoDB Local', async () => {
    await writeHostState(home, {
      pid: 999_999_999,
      status: 'ready',
      memory: false,
      dynamodb: { endpoint: 'http://127.0.0.1:1', pid: process.pid },
    });
    expect(await claimHome(home, false)).toEqual([]);
  });
});

describe('removeHostState', () => {
  it('removes only this process’s state', async () => {
    await writeHostState(home, { pid: process.ppid, status: 'ready', memory: false });
    await removeHostState(home);
    expect(await readHostState(home)).toBeDefined();
    await writeHostState(home, { pid: process.pid, status: 'ready', memory: false });
    await removeHostState(home);
    expect(await readHostState(home)).toBeUndefined();
  });
});
