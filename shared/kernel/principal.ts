/**
 * Who acts (docs/security.md §2): the roles, the principal a request or one of the product's own
 * actors acts as, and where a request came from. Every area needs it — the one writer records it in
 * each audit record (shared/adapters/dynamodb/commit.ts) — so it sits in the kernel; how a principal
 * is built from the JWT claims, the role labels and separation of duties are shared/access/principal.ts.
 */
export const ROLES = [
  'officer', // 执法人员
  'deptHead', // 部门负责人
  'leadership', // 机关领导
  'political', // 政工（人事）
  'discipline', // 纪检监察
  'legal', // 法制
  'supervision', // 执法监督
  'recorder', // 指定档案记录员
  'personnel', // 人事部门档案保管
  'sysAdmin', // 系统管理员
  'secAdmin', // 安全保密管理员
  'auditor', // 安全审计员
] as const;
export type Role = (typeof ROLES)[number];

export interface Principal {
  userId: string;
  name?: string | undefined;
  agencyId: string;
  unitId?: string | undefined;
  officerId?: string | undefined;
  roles: Role[];
}

/**
 * The product's own actors: the principals its event handlers, clocks and nightly jobs act as. A
 * closed list — an audit record's `system:<actor>` always names one of these — with the Chinese name
 * a person reading the record sees.
 */
export const SYSTEM_ACTORS = {
  'process-clock': '流程计时',
  'evidence-ingest': '证据入库',
  'evidence-jobs': '证据作业',
  'evidence-holds': '自动保存措施',
  'evidence-retention': '证据保存期限',
  'attachment-ingest': '附件入库',
  'audit-writer': '审计写入',
  'local-bootstrap': '本地初始化',
} as const satisfies Record<string, string>;
export type SystemActor = keyof typeof SYSTEM_ACTORS;

const SYSTEM_PREFIX = 'system:';
/** the user id a system actor is recorded under (`system:<actor>`) */
export const systemActorId = (actor: SystemActor) => `${SYSTEM_PREFIX}${actor}`;
/** whether a recorded user id is one of the product's own actors rather than a person */
export const isSystemActorId = (userId: string) => userId.startsWith(SYSTEM_PREFIX);

/**
 * The one constructor of a system principal: `actor` acting for `agencyId` (whose audit chain
 * receives its records). No roles unless a bootstrap path needs one (the local root agency).
 */
export const systemPrincipal = (actor: SystemActor, agencyId: string, roles: Role[] = []): Principal => ({
  userId: systemActorId(actor),
  name: SYSTEM_ACTORS[actor],
  agencyId,
  roles,
});

export interface RequestSource {
  ip?: string | undefined;
  userAgent?: string | undefined;
  requestId?: string | undefined;
}
