import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { EdgeHandler } from '../../functions/platform/http/http-handler';
import { routeKey } from '../../functions/platform/http/route';
import { allHandlerModules, allRoutes, topology } from '../../functions/topology';
import { apiEvent, lambdaContext } from '../support/api-event';
import { applyTestEnv } from '../support/test-env';

const root = join(import.meta.dirname, '..', '..');
const HANDLER_DIRS = ['functions/http', 'functions/pipeline', 'functions/webhooks', 'functions/events'];

/** Top-level `.ts` files of the handler folders: each one must be a Lambda entry point named by the topology. */
function handlerFilesOnDisk(): string[] {
  // A folder with no handler yet is not in git, so it may not exist in a fresh clone.
  return HANDLER_DIRS.filter((dir) => existsSync(join(root, dir))).flatMap((dir) =>
    readdirSync(join(root, dir), { withFileTypes: true })
      .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
      .map((entry) => `${dir}/${entry.name}`),
  );
}

const importHandler = async (file: string) =>
  (await import(pathToFileURL(join(root, file)).href)) as { handler?: EdgeHandler };

beforeAll(() => applyTestEnv());

describe('topology', () => {
  it('names every handler file on disk', () => {
    const declared = new Set(allHandlerModules());
    const unreachable = handlerFilesOnDisk().filter((file) => !declared.has(file));
    expect(unreachable).toEqual([]);
  });

  it('names only handler modules that exist and export a handler function', async () => {
    for (const file of allHandlerModules()) {
      const mod = await importHandler(file);
      expect(typeof mod.handler, `${file} exports handler`).toBe('function');
    }
  }, 60_000); // imports every handler module: seconds on a busy machine

  it('declares each method + path once, under /api/v1 (or /webhooks for providers), with unique route ids', () => {
    const routes = allRoutes();
    expect(new Set(routes.map(routeKey)).size).toBe(routes.length);
    expect(new Set(routes.map((r) => r.id)).size).toBe(routes.length);
    // Providers' callbacks live at the root (issue 4): they are not part of the client API.
    for (const route of routes) expect(route.path).toMatch(/^\/(api\/v1|webhooks)\//);
  });

  it('gives every route group unique, lower-kebab names', () => {
    const names = topology.routeGroups.map((g) => g.name);
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(name).toMatch(/^[a-z][a-z0-9-]*$/);
  });

  it('has an implementation in its group handler for every declared route', async () => {
    for (const group of topology.routeGroups) {
      const { handler } = await importHandler(group.handler);
      for (const route of group.routes) {
        const res = await handler?.(apiEvent(route.method, route.path), lambdaContext());
        const code = JSON.parse(res?.body ?? '{}').error?.code;
        expect(code, `${group.name}: ${routeKey(route)}`).not.toBe('route_not_found');
      }
    }
  });
});
