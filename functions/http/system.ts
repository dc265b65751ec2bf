import * as r from '#shared/api/routes.ts';
import { openApiDocument } from '#shared/api/openapi.ts';
import { ROLE_LABELS } from '#shared/access/principal.ts';
import { bind, httpGroup } from '#shared/http/handler.ts';

/** Health, the OpenAPI document, and "who am I" for the console. */
export const handler = httpGroup([
  bind(r.health, async () => ({ body: { status: 'ok' } })),
  bind(r.openapi, async () => ({ body: openApiDocument(), headers: { 'cache-control': 'public, max-age=300' } })),
  bind(r.me, async ({ ctx }) => ({ body: { ...ctx.principal, roleLabels: ctx.principal.roles.map((x) => ROLE_LABELS[x]) } })),
]);
