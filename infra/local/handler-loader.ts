import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { RouteGroup } from '../../shared/http/contract.ts';
import type { HttpHandler } from './local-http.ts';

/** Resolves the handler of a route group; undefined when its module does not exist yet. */
export type HandlerLoader = (group: RouteGroup) => Promise<HttpHandler | undefined>;

const FUNCTIONS_DIR = fileURLToPath(new URL('../../functions/', import.meta.url));

/** The module file that serves a route group: functions/http/<group>.ts. */
export const handlerFile = (group: RouteGroup) => join(FUNCTIONS_DIR, 'http', `${group}.ts`);

/**
 * Default loader: dynamic import of functions/http/<group>.ts by file URL (no static import, so
 * type-checking and start-up do not depend on modules that are not written yet). Successful
 * imports are cached; a missing module is looked for again on the next request.
 */
export const createHandlerLoader = (): HandlerLoader => {
  const cache = new Map<RouteGroup, HttpHandler>();
  return async (group) => {
    const hit = cache.get(group);
    if (hit) return hit;
    const file = handlerFile(group);
    if (!existsSync(file)) return undefined;
    const mod = (await import(pathToFileURL(file).href)) as { handler?: unknown };
    if (typeof mod.handler !== 'function') throw new Error(`${file} does not export a handler function`);
    const h = mod.handler as HttpHandler;
    cache.set(group, h);
    return h;
  };
};
