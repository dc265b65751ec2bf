import { DomainError } from '../kernel/errors.ts';
import { type Principal, type Role, ROLES } from '../kernel/principal.ts';

// who acts is the kernel's (every area needs it); these names stay importable from here
export {
  isSystemActorId,
  type Principal,
  type RequestSource,
  type Role,
  ROLES,
  SYSTEM_ACTORS,
  type SystemActor,
  systemActorId,
  systemPrincipal,
} from '../kernel/principal.ts';

/**
 * Who is calling. Built from the JWT claims (Cognito groups + custom claims in AWS, the local
 * token issuer on `npm start`) by `principalFromClaims`, the one code path both use; what a role is
 * called, and which roles are never held together.
 */
export const ROLE_LABELS: Record<Role, string> = {
  officer: '执法人员',
  deptHead: '部门负责人',
  leadership: '机关领导',
  political: '政工部门',
  discipline: '纪检监察部门',
  legal: '法制部门',
  supervision: '执法监督部门',
  recorder: '档案记录员',
  personnel: '人事档案保管',
  sysAdmin: '系统管理员',
  secAdmin: '安全保密管理员',
  auditor: '安全审计员',
};

/** 三员分立: the three administrator roles are never held together (docs/security.md §2.4). */
export const SEPARATED_ROLES: readonly Role[] = ['sysAdmin', 'secAdmin', 'auditor'];

const isRole = (r: string): r is Role => (ROLES as readonly string[]).includes(r);

/** API Gateway HTTP APIs flatten array claims to the string "[a b]"; the local router passes arrays. */
const parseGroups = (raw: unknown): string[] => {
  if (Array.isArray(raw)) return raw.map(String);
  if (typeof raw !== 'string') return [];
  return raw
    .replace(/^\[|\]$/g, '')
    .split(/[\s,]+/)
    .filter(Boolean);
};

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 && v.length <= 128 ? v : undefined);

export const principalFromClaims = (claims: Record<string, unknown> | undefined): Principal => {
  const unauth = (detail: string) => new DomainError('unauthenticated', 'auth.invalidToken', detail);
  if (!claims) throw unauth('缺少有效的身份令牌');
  const userId = str(claims.sub);
  const agencyId = str(claims['custom:agencyId']);
  if (!userId || !agencyId) throw unauth('身份令牌缺少用户或机关信息');
  const roles = [...new Set(parseGroups(claims['cognito:groups']).filter(isRole))];
  if (roles.length === 0) throw unauth('身份令牌未授予任何角色');
  if (roles.filter((r) => SEPARATED_ROLES.includes(r)).length > 1) {
    // 三员分立: a token that claims two of them is refused outright rather than trusted partially.
    throw new DomainError('forbidden', 'auth.separationOfDuties', '系统管理员、安全保密管理员、安全审计员不得由同一账号兼任');
  }
  return {
    userId,
    name: str(claims.name),
    agencyId,
    unitId: str(claims['custom:unitId']),
    officerId: str(claims['custom:officerId']),
    roles,
  };
};

export const hasRole = (p: Principal, ...roles: Role[]): boolean => roles.some((r) => p.roles.includes(r));
