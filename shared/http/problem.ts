import type { ErrorKind, FieldIssue } from '../kernel/errors.ts';

/**
 * RFC 9457 problem details. The one error mapper of the product: error kind → status and a
 * Chinese title. 5xx bodies expose nothing but a generic sentence and the request id.
 */
export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

const STATUS: Record<ErrorKind, { status: number; title: string }> = {
  validation: { status: 400, title: '请求参数不合法' },
  unauthenticated: { status: 401, title: '未登录或身份令牌无效' },
  forbidden: { status: 403, title: '无权执行此操作' },
  notFound: { status: 404, title: '记录不存在' },
  conflict: { status: 409, title: '记录状态冲突' },
  preconditionRequired: { status: 428, title: '缺少版本前置条件' },
  unsupportedMediaType: { status: 415, title: '不支持的内容类型' },
  payloadTooLarge: { status: 413, title: '请求体过大' },
  unavailable: { status: 503, title: '服务暂时不可用' },
};

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  instance?: string | undefined;
  errors?: FieldIssue[] | undefined;
  [extra: string]: unknown;
}

export const statusOf = (kind: ErrorKind) => STATUS[kind].status;

export const problemFor = (
  kind: ErrorKind,
  code: string,
  detail: string,
  opts: { issues?: FieldIssue[] | undefined; instance?: string | undefined; extra?: Record<string, unknown> | undefined } = {},
): Problem => ({
  ...(opts.extra ?? {}),
  type: `urn:problem:${code}`,
  title: STATUS[kind].title,
  status: STATUS[kind].status,
  detail,
  code,
  instance: opts.instance,
  errors: opts.issues,
});

export const internalProblem = (requestId: string | undefined): Problem => ({
  type: 'urn:problem:internal',
  title: '服务器内部错误',
  status: 500,
  detail: '服务器处理请求时发生错误，请稍后重试；如持续出现请联系管理员并提供请求编号',
  code: 'internal',
  instance: requestId,
});
