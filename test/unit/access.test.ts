import { describe, expect, it } from 'vitest';
import { attachmentInWorkflow, decideFileAccess, mayReadUnitQueue, PERMISSIONS, type AccessGrant, type FileAction, type FileSubject } from '#shared/access/decide.ts';
import { principalFromClaims, SEPARATED_ROLES, type Principal, type Role } from '#shared/access/principal.ts';
import { VISIBILITY, visibilityOf, type Visibility, type VisibilityKind, type VisibilitySubject } from '#shared/access/visibility.ts';
import { DEFAULT_RULES } from '#shared/rules/catalog.ts';

// Prepare: a city bureau C over district bureau D; another city X. The officer O works in D/unit U1.
const C = 'CITY',
  D = 'DIST',
  X = 'OTHER',
  U1 = 'UNIT1',
  U2 = 'UNIT2',
  O = 'OFFICER1';
const file: FileSubject = { officerId: O, custody: { agencyId: D, unitId: U1, holder: 'unit' } };
const p = (roles: Role[], agencyId = D, extra: Partial<Principal> = {}): Principal => ({ userId: `u-${roles.join('-')}-${agencyId}`, agencyId, roles, ...extra });
const now = new Date('2026-11-23T10:00:00+08:00');
const decide = (principal: Principal, action: FileAction, grants: AccessGrant[] = [], f = file) =>
  decideFileAccess({ principal, action, file: f, custodyAgencyAncestors: [C], grants, now, a8: DEFAULT_RULES.A8.parameters, a7: DEFAULT_RULES.A7.parameters });
const outcome = (d: ReturnType<typeof decide>) => (d.allowed ? 'allow' : d.visible ? 'deny' : 'hidden');

describe('A8 file access decisions (role × relationship × action)', () => {
  const self = p(['officer'], D, { officerId: O, unitId: U1 });
  const colleague = p(['officer'], D, { officerId: 'OTHER-OFFICER', unitId: U1 });
  const head = p(['deptHead'], D, { unitId: U1 });
  const otherHead = p(['deptHead'], D, { unitId: U2 });
  const recorder = p(['recorder'], D);
  const cityLeader = p(['leadership'], C);
  const cityOfficer = p(['officer'], C);
  const foreignLeader = p(['leadership'], X);
  const grantee = p(['officer'], D, { userId: 'grantee', unitId: U2 });

  const table: [string, Principal, FileAction, 'allow' | 'deny' | 'hidden'][] = [
    ['the officer reads own file', self, 'file.read', 'allow'],
    ['the officer drafts in own file', self, 'entry.draft', 'allow'],
    ['the officer acknowledges', self, 'entry.acknowledge', 'allow'],
    ['the officer cannot review own entries', self, 'entry.review', 'deny'],
    ['the officer cannot archive', self, 'entry.archive', 'deny'],
    ['a colleague cannot read', colleague, 'file.read', 'deny'],
    ['head of the department reads', head, 'file.read', 'allow'],
    ['head of the department reviews', head, 'entry.review', 'allow'],
    ['head of another department cannot read', otherHead, 'file.read', 'deny'],
    ['head of another department cannot review', otherHead, 'entry.review', 'deny'],
    ['the designated recorder archives', recorder, 'entry.archive', 'allow'],
    ['the designated recorder drafts', recorder, 'entry.draft', 'allow'],
    ['the designated recorder works on entries in the workflow', recorder, 'entry.work', 'allow'],
    ['the designated recorder is no reader of the archive (A8)', recorder, 'file.read', 'deny'],
    ['a recorder of another agency does not see the workflow', p(['recorder'], X), 'entry.work', 'hidden'],
    ['head of the department sees the workflow', head, 'entry.work', 'allow'],
    ['head of another department does not see the workflow', otherHead, 'entry.work', 'deny'],
    ...(['leadership', 'political', 'discipline', 'legal', 'supervision'] as Role[]).map((r) => [`agency ${r} reads`, p([r]), 'file.read', 'allow'] as [string, Principal, FileAction, 'allow']),
    ['agency leadership approves grants', p(['leadership']), 'grant.approve', 'allow'],
    ['agency legal does not approve grants', p(['legal']), 'grant.approve', 'deny'],
    ['discipline hands over material', p(['discipline']), 'entry.handover', 'allow'],
    ['an officer cannot hand over', self, 'entry.handover', 'deny'],
    ['superior agency leadership reads', cityLeader, 'file.read', 'allow'],
    ['superior agency officer cannot read', cityOfficer, 'file.read', 'deny'],
    ['another agency cannot even see the file', foreignLeader, 'file.read', 'hidden'],
    ['political staff transfer files', p(['political']), 'file.transfer', 'allow'],
    ['superior political staff transfer files', p(['political'], C), 'file.transfer', 'allow'],
    ['a system administrator cannot read files', p(['sysAdmin']), 'file.read', 'deny'],
    ['an auditor cannot read files', p(['auditor']), 'file.read', 'deny'],
    ['a grantee without a grant cannot read', grantee, 'file.read', 'deny'],
  ];
  it.each(table)('%s', (_name, principal, action, expected) => {
    // Act + Assess
    expect(outcome(decide(principal, action))).toBe(expected);
  });

  const grant = (over: Partial<AccessGrant>): AccessGrant => ({
    grantId: 'G1',
    officerId: O,
    granteeUserId: 'grantee',
    actions: ['file.read'],
    status: 'approved',
    expiresAt: '2026-12-01T00:00:00+08:00',
    purpose: '案件复核',
    ...over,
  });
  it('an approved, unexpired grant allows exactly its actions, with its purpose', () => {
    const d = decide(grantee, 'file.read', [grant({})]);
    expect(d).toMatchObject({ allowed: true, basis: 'grant:G1', purpose: '案件复核' });
    expect(outcome(decide(grantee, 'entry.draft', [grant({})]))).toBe('deny');
  });
  it.each([
    ['expired', grant({ expiresAt: '2026-11-01T00:00:00+08:00' })],
    ['only requested', grant({ status: 'requested' })],
    ['revoked', grant({ status: 'revoked' })],
    ['for another file', grant({ officerId: 'ANOTHER' })],
    ['for another user', grant({ granteeUserId: 'someone-else' })],
  ])('a grant that is %s does not allow', (_n, g) => {
    expect(outcome(decide(grantee, 'file.read', [g]))).toBe('deny');
  });

  it("the recorder's workflow basis is workflow-only; a reader's is not, and a grant lifts the recorder to a reader", () => {
    expect(decide(recorder, 'entry.work')).toMatchObject({ allowed: true, basis: 'agency:recorder', workflowOnly: true });
    expect(decide(head, 'entry.work')).toEqual({ allowed: true, basis: 'deptHead' });
    const g = grant({ granteeUserId: recorder.userId });
    expect(decide(recorder, 'entry.work', [g])).toMatchObject({ allowed: true, basis: 'grant:G1' });
    expect(decide(recorder, 'entry.work', [g])).not.toHaveProperty('workflowOnly');
  });
  it.each([
    ['on a draft in the workflow', [{ state: 'approved', attachmentIds: ['A1'] }], 'someone', true],
    ['on a rejected draft', [{ state: 'rejected', attachmentIds: ['A1'] }], 'someone', true],
    ['on an archived entry', [{ state: 'archived', attachmentIds: ['A1'] }], 'me', false],
    [
      'on an archived entry and a later draft',
      [
        { state: 'archived', attachmentIds: ['A1'] },
        { state: 'draft', attachmentIds: ['A1'] },
      ],
      'me',
      false,
    ],
    ['on no draft, uploaded by the caller', [{ state: 'draft', attachmentIds: ['A2'] }], 'me', true],
    ['on no draft, uploaded by someone else', [], 'someone', false],
  ] as const)('an attachment %s: in the workflow → %s', (_n, drafts, createdBy, expected) => {
    expect(attachmentInWorkflow({ attachmentId: 'A1', createdBy }, drafts, 'me')).toBe(expected);
  });

  it('access follows custody: after leaving enforcement the department head no longer reads, personnel does', () => {
    const held = { officerId: O, custody: { agencyId: D, holder: 'personnel' as const } };
    expect(outcome(decide(head, 'file.read', [], held))).toBe('deny');
    expect(outcome(decide(p(['personnel']), 'file.read', [], held))).toBe('allow');
    expect(outcome(decide(self, 'entry.draft', [], held))).toBe('deny');
  });
});

describe('separation of duties (三员分立)', () => {
  it('no permission lets anyone erase or alter audit, and no admin role both changes rules/roles and reads audit', () => {
    expect(Object.keys(PERMISSIONS).filter((k) => /audit\.(erase|delete|update|write)/.test(k))).toEqual([]);
    const holders = (perm: keyof typeof PERMISSIONS) => new Set<string>(PERMISSIONS[perm]);
    for (const changer of [...holders('rules.publish'), ...holders('roles.assign')]) {
      expect(holders('audit.read').has(changer)).toBe(false);
    }
  });
  it('a token claiming two of the three administrator roles is refused', () => {
    for (const [a, b] of [
      [0, 1],
      [0, 2],
      [1, 2],
    ] as const) {
      expect(() => principalFromClaims({ sub: 'x', 'custom:agencyId': 'A', 'cognito:groups': [SEPARATED_ROLES[a], SEPARATED_ROLES[b]] })).toThrow(/兼任/);
    }
  });
  it('reads API Gateway flattened group claims', () => {
    expect(principalFromClaims({ sub: 'x', 'custom:agencyId': 'A', 'cognito:groups': '[officer deptHead]' }).roles).toEqual(['officer', 'deptHead']);
  });
});

describe('department work queue (A6)', () => {
  const unit = { unitId: 'U1', agencyId: 'D' };
  it.each([
    ['its head', p(['deptHead'], 'D', { unitId: 'U1' }), true],
    ['the head of another department', p(['deptHead'], 'D', { unitId: 'U2' }), false],
    ['the agency recorder', p(['recorder'], 'D'), true],
    ['a recorder of another agency', p(['recorder'], 'X'), false],
    ['agency leadership', p(['leadership'], 'D'), false],
  ] as const)('%s → %s', (_n, who, expected) => {
    expect(mayReadUnitQueue(who, unit)).toBe(expected);
  });
});

describe('who may know a record exists: the visibility table (docs/security.md §2.2–2.3)', () => {
  // Prepare: a record of district D (under city C), department U1, concerning officer O, opened by user 'opener';
  // its kind (a process kind, C4 complaints) names leadership and supervision as readers.
  const subject: VisibilitySubject = { agencyId: D, agencyPath: [C, D], unitId: U1, officerIds: [O], userIds: ['opener'], kindReaders: ['leadership', 'supervision'] };
  const KINDS = ['process', 'case', 'evidence', 'package', 'workList'] as const satisfies readonly VisibilityKind[];
  const r = 'read',
    f = 'forbidden',
    h = 'hidden';
  type Row = [string, Principal, [Visibility, Visibility, Visibility, Visibility, Visibility]];
  //                                                                   process case evidence package workList
  const table: Row[] = [
    ['agency leadership', p(['leadership']), [r, r, r, r, r]],
    ['agency supervision', p(['supervision']), [r, r, r, r, r]],
    ['agency legal: not a reader of this process kind', p(['legal']), [f, r, r, r, r]],
    ['agency discipline: not a reader of this process kind', p(['discipline']), [f, r, r, r, r]],
    ['agency political staff', p(['political']), [f, f, f, f, f]],
    ["the head of the record's department", p(['deptHead'], D, { unitId: U1 }), [r, r, r, f, r]],
    ['the head of another department', p(['deptHead'], D, { unitId: U2 }), [f, f, f, f, f]],
    ['an officer concerned', p(['officer'], D, { officerId: O, unitId: U1 }), [r, r, r, f, f]],
    ['an officer not concerned', p(['officer'], D, { officerId: 'O2', unitId: U1 }), [f, f, f, f, f]],
    ['the user who opened it', p(['officer'], D, { userId: 'opener' }), [r, r, r, f, f]],
    ['the designated recorder', p(['recorder']), [f, f, f, f, f]],
    ['the auditor (三员分立: audit, not records)', p(['auditor']), [f, f, f, f, f]],
    ['superior leadership', p(['leadership'], C), [r, r, r, r, r]],
    ['superior supervision', p(['supervision'], C), [r, r, r, r, r]],
    ['superior legal: work lists only', p(['legal'], C), [f, f, f, f, r]],
    ['superior discipline: work lists only', p(['discipline'], C), [f, f, f, f, r]],
    ['a superior department head, even of a same-named unit', p(['deptHead'], C, { unitId: U1 }), [f, f, f, f, f]],
    ['a superior officer named on the record', p(['officer'], C, { officerId: O }), [f, f, f, f, f]],
    ["another city's leadership: the record does not exist for it", p(['leadership'], X), [h, h, h, h, h]],
    ["another city's officer named on the record", p(['officer'], X, { officerId: O }), [h, h, h, h, h]],
  ];
  it.each(table)('%s', (_name, who, expected) => {
    // Act + Assess
    expect(KINDS.map((k) => visibilityOf(k, who, subject))).toEqual(expected);
  });

  it('a record that does not exist is hidden (404) for everyone, like one outside the tree', () => {
    for (const k of KINDS) expect(visibilityOf(k, p(['leadership']), undefined)).toBe('hidden');
  });
  it('a department head reads nothing of a record without a department', () => {
    const noUnit = { ...subject, unitId: undefined };
    expect(KINDS.map((k) => visibilityOf(k, p(['deptHead'], D), noUnit))).toEqual([f, f, f, f, f]);
  });
  it("a process kind without readers leaves the agency's oversight to its own relationships", () => {
    expect(visibilityOf('process', p(['leadership']), { ...subject, kindReaders: [] })).toBe('forbidden');
    expect(visibilityOf('process', p(['leadership']), { ...subject, kindReaders: ['legal'] })).toBe('forbidden');
    expect(visibilityOf('process', p(['legal']), { ...subject, kindReaders: ['legal'] })).toBe('read');
  });
  it('every row names its 404 and 403 with a namespaced code and a Chinese message', () => {
    for (const [kind, row] of Object.entries(VISIBILITY)) {
      expect(row.notFound.code, kind).toMatch(/^[a-z][A-Za-z]*\.notFound$/);
      expect(row.forbidden.code, kind).toMatch(/^[a-z][A-Za-z]*\.forbidden$/);
      for (const m of [row.notFound.detail, row.forbidden.detail]) expect(m, kind).toMatch(/[\u4e00-\u9fff]/);
    }
  });
});
