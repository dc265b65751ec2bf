import * as z from 'zod/mini';
import { createDocument, type ZodOpenApiOperationObject, type ZodOpenApiPathsObject } from 'zod-openapi';
import { ROUTES } from './routes.ts';

/** OpenAPI 3.1 generated from the same zod contracts that validate requests (docs/architecture.md §9). */
const problem = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().check(z.int()),
    detail: z.string(),
    code: z.string(),
    instance: z.optional(z.string()),
    errors: z.optional(z.array(z.object({ path: z.string(), message: z.string(), code: z.optional(z.string()) }))),
  })
  .register(z.globalRegistry, { id: 'Problem', description: 'RFC 9457 问题详情（中文）' });

const problemResponse = (description: string) => ({ description, content: { 'application/problem+json': { schema: problem } } });

let cached: unknown;
export const openApiDocument = () => {
  if (cached) return cached;
  const paths: ZodOpenApiPathsObject = {};
  for (const r of ROUTES) {
    const op: ZodOpenApiOperationObject = {
      operationId: r.operationId,
      summary: r.summary,
      tags: [r.group],
      ...(r.auth ? {} : { security: [] }),
      requestParams: {
        ...(r.params ? { path: r.params as z.ZodMiniObject } : {}),
        ...(r.query ? { query: r.query as z.ZodMiniObject } : {}),
        ...(r.idempotent || r.requiresIfMatch
          ? { header: z.object({ ...(r.idempotent ? { 'idempotency-key': z.string().check(z.minLength(8), z.maxLength(128)) } : {}), ...(r.requiresIfMatch ? { 'if-match': z.string() } : {}) }) }
          : {}),
      },
      ...(r.body ? { requestBody: { content: { 'application/json': { schema: r.body } } } } : {}),
      responses: {
        [String(r.successStatus ?? 200)]: { description: '成功', content: { [r.produces ?? 'application/json']: { schema: r.response ?? z.unknown() } } },
        400: problemResponse('请求不合法'),
        ...(r.auth ? { 401: problemResponse('未登录'), 403: problemResponse('无权操作'), 404: problemResponse('不存在或无权访问') } : {}),
        ...(r.requiresIfMatch ? { 409: problemResponse('版本冲突'), 428: problemResponse('缺少 If-Match') } : {}),
      },
    };
    const method = r.method.toLowerCase() as 'get';
    paths[r.path] = { ...(paths[r.path] ?? {}), [method]: op };
  }
  cached = createDocument({
    openapi: '3.1.0',
    info: { title: '执法档案平台 API', version: '0.1.0', description: '一人一档、一案一表、声像资料与期限监督。所有错误以 application/problem+json 返回。' },
    components: { securitySchemes: { jwt: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
    security: [{ jwt: [] }],
    paths,
  });
  return cached;
};
