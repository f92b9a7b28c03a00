import type { HttpMethod, RouteDefinition } from './route';

export type RouteMatch<R extends RouteDefinition> =
  | { kind: 'found'; route: R; pathParameters: Record<string, string> }
  | { kind: 'method_not_allowed'; allowed: HttpMethod[] }
  | { kind: 'not_found' };

interface CompiledRoute<R> {
  route: R;
  pattern: RegExp;
  names: string[];
}

/**
 * Matches method + path against route templates the way API Gateway does for `{param}` segments. Used by the
 * local host (to pick the handler) and by the fallback function (to tell 404 from 405), so both agree.
 */
export function createRouteMatcher<R extends RouteDefinition>(routes: readonly R[]) {
  const compiled: CompiledRoute<R>[] = routes.map((route) => {
    const names: string[] = [];
    const source = route.path
      .split('/')
      .map((segment) => {
        const param = /^\{([A-Za-z][A-Za-z0-9_]*)\}$/.exec(segment);
        if (param?.[1]) {
          names.push(param[1]);
          return '([^/]+)';
        }
        return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      })
      .join('/');
    return { route, pattern: new RegExp(`^${source}$`), names };
  });

  return (method: string, path: string): RouteMatch<R> => {
    const allowed: HttpMethod[] = [];
    for (const { route, pattern, names } of compiled) {
      const match = pattern.exec(path);
      if (!match) continue;
      if (route.method !== method) {
        allowed.push(route.method);
        continue;
      }
      const pathParameters: Record<string, string> = {};
      try {
        names.forEach((name, i) => {
          pathParameters[name] = decodeURIComponent(match[i + 1] ?? '');
        });
      } catch {
        return { kind: 'not_found' };
      }
      return { kind: 'found', route, pathParameters };
    }
    return allowed.length > 0 ? { kind: 'method_not_allowed', allowed } : { kind: 'not_found' };
  };
}
