import { ROUTES } from '../../shared/api/routes.ts';
import type { RouteContract } from '../../shared/http/contract.ts';

/** Matching method + path against ROUTES the way API Gateway does (infra/local/router.ts). */
interface CompiledRoute {
  contract: RouteContract;
  segments: { literal?: string; param?: string }[];
}

const compile = (c: RouteContract): CompiledRoute => ({
  contract: c,
  segments: c.path
    .split('/')
    .slice(1)
    .map((s) => {
      const m = /^\{([A-Za-z0-9_]+)\}$/.exec(s);
      return m ? { param: m[1] } : { literal: s };
    }),
});

const COMPILED = ROUTES.map(compile);

/** API Gateway prefers the most specific route: a literal segment beats a parameter at the first difference. */
const moreSpecific = (a: CompiledRoute, b: CompiledRoute) => {
  for (let i = 0; i < a.segments.length; i++) {
    const la = a.segments[i]?.literal !== undefined;
    const lb = b.segments[i]?.literal !== undefined;
    if (la !== lb) return la ? -1 : 1;
  }
  return 0;
};

export class MalformedPathError extends Error {}

export interface RouteMatch {
  contract: RouteContract;
  /** decoded path parameters */
  params: Record<string, string>;
}

/** Matches a raw (still encoded) path against ROUTES; undefined = no such route for this method. */
export const matchRoute = (method: string, rawPath: string): RouteMatch | undefined => {
  const parts = rawPath.split('/').slice(1);
  const candidates = COMPILED.filter(
    (r) =>
      r.contract.method === method.toUpperCase() && r.segments.length === parts.length && r.segments.every((s, i) => (s.literal !== undefined ? s.literal === parts[i] : (parts[i] ?? '').length > 0)),
  ).sort(moreSpecific);
  const best = candidates[0];
  if (!best) return undefined;
  const params: Record<string, string> = {};
  best.segments.forEach((s, i) => {
    if (s.param === undefined) return;
    try {
      params[s.param] = decodeURIComponent(parts[i] ?? '');
    } catch {
      throw new MalformedPathError(`malformed percent-encoding in path segment ${i + 1}`);
    }
  });
  return { contract: best.contract, params };
};
