import * as z from 'zod/mini';
import { lazy } from '../kernel/lazy.ts';
import { id } from '../kernel/schemas.ts';

/** Path and query schemas shared by several route groups of shared/api/routes.ts. */
export const officerParams = /* @__PURE__ */ lazy(() => z.strictObject({ officerId: id() }));
export const noQuery = /* @__PURE__ */ lazy(() => z.strictObject({}));
