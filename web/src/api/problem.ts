import type { components } from './schema';

/**
 * Every failure of an API call as one error type with a Chinese message. The API answers errors as
 * RFC 9457 problem+json with a Chinese `detail` and, for validation, `errors[].path` such as
 * `body.content.hours` or `query.to`; those paths are mapped onto form fields (see forms.ts).
 */
export type Problem = components['schemas']['Problem'];
export interface FieldProblem {
  /** as sent by the API, e.g. `body.content.hours` */
  path: string;
  /** the form field it belongs to, e.g. ['content', 'hours'] (the `body.` / `query.` part removed) */
  name: (string | number)[];
  /** `body`, `query`, `params` or `headers` */
  location: string;
  message: string;
}

export class ApiProblem extends Error {
  readonly status: number;
  readonly code: string;
  readonly title: string;
  readonly fields: FieldProblem[];
  readonly requestId: string | undefined;

  constructor(init: { status: number; code: string; title: string; detail: string; fields?: FieldProblem[]; requestId?: string | undefined }) {
    super(init.detail);
    this.name = 'ApiProblem';
    this.status = init.status;
    this.code = init.code;
    this.title = init.title;
    this.fields = init.fields ?? [];
    this.requestId = init.requestId;
  }

  /** the message to show: the API's own Chinese sentence */
  get detail() {
    return this.message;
  }
}

export const toFieldName = (path: string): { location: string; name: (string | number)[] } => {
  const [location = '', ...rest] = path.split('.').filter((s) => s.length > 0);
  return { location, name: rest.map((s) => (/^\d+$/.test(s) ? Number(s) : s)) };
};

const isProblem = (v: unknown): v is Problem => !!v && typeof v === 'object' && typeof (v as Problem).status === 'number' && typeof (v as Problem).detail === 'string';

/** A response that is not 2xx → ApiProblem (problem+json when the API sent one, a generic Chinese message otherwise). */
export const problemFromResponse = (response: Response, body: unknown): ApiProblem => {
  if (isProblem(body)) {
    return new ApiProblem({
      status: response.status,
      code: body.code,
      title: body.title,
      detail: body.detail,
      requestId: body.instance ?? response.headers.get('apigw-requestid') ?? undefined,
      fields: (body.errors ?? []).map((e) => ({ path: e.path, message: e.message, ...toFieldName(e.path) })),
    });
  }
  return new ApiProblem({
    status: response.status,
    code: `http.${response.status}`,
    title: '请求失败',
    detail: GENERIC[response.status] ?? `服务器返回了无法识别的错误（HTTP ${response.status}），请稍后重试`,
    requestId: response.headers.get('apigw-requestid') ?? undefined,
  });
};

const GENERIC: Record<number, string> = {
  401: '登录已过期或身份令牌无效，请重新登录',
  403: '无权执行此操作',
  404: '记录不存在或无权访问',
  429: '请求过于频繁，请稍后再试',
  502: '服务暂时不可用，请稍后重试',
  503: '服务暂时不可用，请稍后重试',
  504: '服务处理超时，请稍后重试',
};

export const networkProblem = (e: unknown): ApiProblem =>
  new ApiProblem({ status: 0, code: 'network', title: '网络错误', detail: `无法连接服务器，请检查网络后重试${e instanceof Error && e.message ? `（${e.message}）` : ''}` });

/** Any thrown value → the Chinese sentence to show. */
export const messageOf = (e: unknown): string => {
  if (e instanceof ApiProblem) return e.message;
  if (e instanceof Error && e.message) return `操作失败：${e.message}`;
  return '操作失败，请稍后重试';
};
