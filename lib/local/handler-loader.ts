import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, Context } from 'aws-lambda';
import { LocalHostError } from './errors';

/** Any Lambda handler the HTTP gateway can invoke. */
export type HttpFunction = (
  event: APIGatewayProxyEventV2,
  context: Context,
) => Promise<APIGatewayProxyResultV2>;

/** Resolves a topology handler path (`functions/http/system.ts`) to its `handler` export. */
export type LoadHandler = (modulePath: string) => Promise<HttpFunction>;

/** The repository root: topology handler paths are relative to it. */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * Imports handler modules from the repository (the same files esbuild bundles for Lambda) once each, like a
 * warm Lambda container. Import must happen after the environment is set: handlers read config at load time.
 */
export function createHandlerLoader(root: string = REPO_ROOT): LoadHandler {
  const cache = new Map<string, Promise<HttpFunction>>();
  const load = async (modulePath: string): Promise<HttpFunction> => {
    let mod: Record<string, unknown>;
    try {
      mod = (await import(pathToFileURL(join(root, modulePath)).href)) as Record<string, unknown>;
    } catch (error) {
      const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
      throw new LocalHostError(`Cannot load handler ${modulePath}: ${reason}`, { cause: error });
    }
    if (typeof mod.handler !== 'function') {
      throw new LocalHostError(`${modulePath} does not export a function named handler`);
    }
    return mod.handler as HttpFunction;
  };
  return (modulePath) => {
    let pending = cache.get(modulePath);
    if (!pending) {
      pending = load(modulePath);
      // A failed import is retried on the next request rather than cached forever.
      pending.catch(() => cache.delete(modulePath));
      cache.set(modulePath, pending);
    }
    return pending;
  };
}
