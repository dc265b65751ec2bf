import { hasRole, type Principal, type Role } from './principal.ts';

/**
 * Who may read a record other than an officer's file (whose A8 decision is `decideFileAccess`,
 * decide.ts), who must be refused (403: they may know it exists), and for whom it does not exist
 * (404: outside their agency tree) — docs/security.md §2.2–2.3. One row per kind of record; pure, so
 * the table is unit-tested as a table (test/unit/access.test.ts). The audited refusal that goes with
 * it is `requireVisible` (shared/access/require-visible.ts).
 */
export type Visibility = 'read' | 'forbidden' | 'hidden';

/** What the table needs to know about a record: its place in the agency tree and who is concerned with it. */
export interface VisibilitySubject {
  agencyId: string;
  /** the record's agency and its ancestors */
  agencyPath: readonly string[];
  /** the department handling the record (a work list asked for one department: that department) */
  unitId?: string | undefined;
  /** officers concerned: those on a case, the capturing officer, a process's assignee and the officers it is about */
  officerIds?: readonly (string | undefined)[];
  /** users concerned: whoever opened a process */
  userIds?: readonly string[];
  /** the reader roles the record's kind names (process kinds, shared/process/kinds.ts) */
  kindReaders?: readonly Role[];
}

export interface VisibilityRow {
  /** roles of a superior agency that read it */
  superiorReaders: readonly Role[];
  /** roles of the record's own agency that read it ('ofKind': those its kind names) */
  agencyReaders: readonly Role[] | 'ofKind';
  /** the head of the record's department reads it */
  unitHeadReads: boolean;
  /** the officers and users concerned read it */
  concernedRead: boolean;
  /** the refusals' codes and Chinese messages */
  notFound: { code: string; detail: string };
  forbidden: { code: string; detail: string };
}

const SUPERIOR_SUPERVISION = ['leadership', 'supervision'] as const satisfies readonly Role[];
const AGENCY_OVERSIGHT = ['leadership', 'legal', 'supervision', 'discipline'] as const satisfies readonly Role[];

export const VISIBILITY = {
  /** deadline processes: the kind's readers, the handling department's head, the assignee, the officers concerned, the opener */
  process: {
    superiorReaders: SUPERIOR_SUPERVISION,
    agencyReaders: 'ofKind',
    unitHeadReads: true,
    concernedRead: true,
    notFound: { code: 'process.notFound', detail: '流程不存在或无权访问' },
    forbidden: { code: 'process.forbidden', detail: '无权查看该流程' },
  },
  /** cases (一案一表): the agency's oversight, the officers on the case and their department head */
  case: {
    superiorReaders: SUPERIOR_SUPERVISION,
    agencyReaders: AGENCY_OVERSIGHT,
    unitHeadReads: true,
    concernedRead: true,
    notFound: { code: 'case.notFound', detail: '案件不存在或无权访问' },
    forbidden: { code: 'case.forbidden', detail: '无权查看该案件' },
  },
  /** a recording's record (its content only with an approved viewing request, D6): the capturing officer and the unit's head too */
  evidence: {
    superiorReaders: SUPERIOR_SUPERVISION,
    agencyReaders: AGENCY_OVERSIGHT,
    unitHeadReads: true,
    concernedRead: true,
    notFound: { code: 'evidence.notFound', detail: '证据不存在或无权访问' },
    forbidden: { code: 'evidence.forbidden', detail: '无权查看该证据' },
  },
  /** a closed case's preservation package: the agency's oversight only */
  package: {
    superiorReaders: SUPERIOR_SUPERVISION,
    agencyReaders: AGENCY_OVERSIGHT,
    unitHeadReads: false,
    concernedRead: false,
    notFound: { code: 'package.notFound', detail: '案卷信息包不存在（案件尚未结案封装）或无权访问' },
    forbidden: { code: 'package.forbidden', detail: '无权查看该案卷信息包' },
  },
  /** an agency's D8 spot-check ledger: its leadership, supervision and discipline; superiors' leadership and supervision */
  spotCheckLedger: {
    superiorReaders: SUPERIOR_SUPERVISION,
    agencyReaders: ['leadership', 'supervision', 'discipline'],
    unitHeadReads: false,
    concernedRead: false,
    notFound: { code: 'agency.notFound', detail: '机关不存在或无权访问' },
    forbidden: { code: 'spotCheck.forbidden', detail: '抽检台帐由机关领导、执法监督、纪检监察部门查看' },
  },
  /**
   * an agency's work lists (its processes, cases, agency file): the oversight roles of the agency or a
   * superior one, and a department head for the own department (the subject's unitId: the one asked for)
   */
  workList: {
    superiorReaders: AGENCY_OVERSIGHT,
    agencyReaders: AGENCY_OVERSIGHT,
    unitHeadReads: true,
    concernedRead: false,
    notFound: { code: 'agency.notFound', detail: '机关不存在或无权访问' },
    forbidden: { code: 'agency.forbidden', detail: '无权查看该机关的工作清单' },
  },
} as const satisfies Record<string, VisibilityRow>;
export type VisibilityKind = keyof typeof VISIBILITY;

/** The one decision: read, 403 or 404 for a record of `kind` (a missing record is 404 like a hidden one). */
export const visibilityOf = (kind: VisibilityKind, p: Principal, s: VisibilitySubject | undefined): Visibility => {
  if (!s?.agencyPath.includes(p.agencyId)) return 'hidden';
  const row: VisibilityRow = VISIBILITY[kind];
  if (p.agencyId !== s.agencyId) return hasRole(p, ...row.superiorReaders) ? 'read' : 'forbidden';
  const agencyReaders = row.agencyReaders === 'ofKind' ? (s.kindReaders ?? []) : row.agencyReaders;
  if (hasRole(p, ...agencyReaders)) return 'read';
  if (row.unitHeadReads && hasRole(p, 'deptHead') && s.unitId !== undefined && p.unitId === s.unitId) return 'read';
  if (row.concernedRead) {
    if (p.officerId !== undefined && (s.officerIds ?? []).includes(p.officerId)) return 'read';
    if ((s.userIds ?? []).includes(p.userId)) return 'read';
  }
  return 'forbidden';
};
