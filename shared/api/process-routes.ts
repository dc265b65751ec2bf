import * as z from 'zod/mini';
import { defineRoute } from '../http/contract.ts';
import { lazy } from '../kernel/lazy.ts';
import { cursor, id, isoDate, isoDateTime, multilineText, pageLimit, text } from '../kernel/schemas.ts';
import { FILING_KINDS, PROCESS_KINDS } from '../process/model.ts';
import { RECUSAL_RELATIONS } from '../rules/catalog.ts';

/**
 * Routes of the deadline-bound processes (C1–C10), notifications and the working-day calendar.
 * Listed in shared/api/routes.ts ROUTES like every other route.
 */
const processParams = /* @__PURE__ */ lazy(() => z.strictObject({ processId: id() }));
const agencyParams = /* @__PURE__ */ lazy(() => z.strictObject({ agencyId: id() }));
const phone = () => z.string().check(z.regex(/^\+?[0-9]{5,20}$/, '须为电话号码'));
/**
 * When the event a period counts from happened (C1 receipt, C4 acceptance, C5 start): a day or a
 * moment with its offset, in the same range as every date; the domain refuses the future and counts
 * one older than the rule's back-dating limit only with approval (shared/process/basis.ts).
 */
const eventTime = () =>
  z.union([isoDate(), isoDateTime()], {
    error: '须为 YYYY-MM-DD 日期或带时区的 ISO 8601 时间',
  });
const contacts = () => z.array(z.strictObject({ channel: z.enum(['sms', 'email']), to: z.union([phone(), z.email({ message: '须为电子邮件地址' })]) })).check(z.maxLength(5));

const openBody = /* @__PURE__ */ lazy(() => {
  const common = { title: text(200) };
  return z.discriminatedUnion('kind', [
    z.strictObject({
      kind: z.literal('legal-review'),
      ...common,
      unitId: id(),
      caseNumber: text(64),
      decisionSummary: multilineText(4000),
      parties: z.array(z.strictObject({ name: text(100), partyKind: z.enum(['person', 'organisation']) })).check(z.minLength(1), z.maxLength(50)),
      handlingOfficerIds: z.array(id()).check(z.minLength(1), z.maxLength(20)),
      receivedAt: z.optional(eventTime()),
    }),
    z.strictObject({
      kind: z.literal('complaint'),
      ...common,
      channel: z.enum(['walkIn', 'phone', 'letter', 'web', 'hotline12345', 'integration']),
      content: multilineText(8000),
      complainant: z.strictObject({ anonymous: z.boolean(), name: z.optional(text(50)), phone: z.optional(phone()), address: z.optional(text(200)) }),
      about: z.optional(z.strictObject({ officerIds: z.optional(z.array(id()).check(z.maxLength(20))), unitId: z.optional(id()), caseNumber: z.optional(text(64)), caseId: z.optional(id()) })),
      externalReference: z.optional(text(64)),
      receivedAt: z.optional(eventTime()),
    }),
    z.strictObject({
      kind: z.literal('fault-investigation'),
      ...common,
      unitId: z.optional(id()),
      officerIds: z.array(id()).check(z.minLength(1), z.maxLength(20)),
      allegation: multilineText(4000),
      sourceProcessId: z.optional(id()),
      startedAt: z.optional(eventTime()),
    }),
    z.strictObject({
      kind: z.literal('supervised-case'),
      ...common,
      unitId: id(),
      officerId: id(),
      dueOn: isoDate(),
      caseNumber: z.optional(text(64)),
      instructions: multilineText(4000),
      notifyContacts: z.optional(contacts()),
    }),
    z
      .strictObject({
        kind: z.literal('filing'),
        ...common,
        unitId: z.optional(id()),
        filingKind: z.enum(FILING_KINDS),
        basisDate: z.optional(isoDate()),
        year: z.optional(z.number().check(z.int(), z.gte(2000), z.lte(2100))),
        reference: text(200),
      })
      .check(
        z.superRefine((v, c) => {
          if (v.filingKind === 'annualReport' && v.year === undefined) c.addIssue({ code: 'custom', path: ['year'], message: '年度报告须填写报告年度' });
          if (v.filingKind !== 'annualReport' && !v.basisDate) c.addIssue({ code: 'custom', path: ['basisDate'], message: '须填写决定或吊销日期' });
        }),
      ),
  ]);
});

const actionBody = /* @__PURE__ */ lazy(() =>
  z.discriminatedUnion('action', [
    z.strictObject({ action: z.literal('accept'), relations: z.array(z.strictObject({ partyName: text(100), relation: z.enum(RECUSAL_RELATIONS) })).check(z.maxLength(50)) }),
    z.strictObject({ action: z.literal('requestExtension'), days: z.optional(z.number().check(z.int(), z.positive(), z.lte(366))), reason: multilineText(2000) }),
    z.strictObject({ action: z.literal('decideExtension'), approve: z.boolean(), note: z.optional(multilineText(2000)) }),
    z.strictObject({ action: z.literal('decide'), outcome: z.enum(['pass', 'amend', 'supplement', 'correct', 'transfer']), opinion: multilineText(8000) }),
    z.strictObject({ action: z.literal('resubmit'), note: multilineText(2000) }),
    z.strictObject({ action: z.literal('dispute'), reason: multilineText(4000) }),
    z.strictObject({
      action: z.literal('recordMinutes'),
      body: text(50),
      chair: text(50),
      attendees: z.array(text(50)).check(z.minLength(3), z.maxLength(50)),
      decision: multilineText(8000),
      dissent: z.optional(multilineText(8000)),
      signedBy: z.array(text(50)).check(z.minLength(1), z.maxLength(50)),
    }),
    z
      .strictObject({
        action: z.literal('signOff'),
        decision: z.enum(['accept', 'transfer', 'refer']),
        unitId: z.optional(id()),
        to: z.optional(text(200)),
        complainantToldOn: z.optional(isoDate()),
        note: z.optional(multilineText(2000)),
      })
      .check(
        z.superRefine((v, c) => {
          if (v.decision === 'accept' && !v.unitId) c.addIssue({ code: 'custom', path: ['unitId'], message: '受理须指定承办部门' });
          if (v.decision !== 'accept' && !v.to) c.addIssue({ code: 'custom', path: ['to'], message: '须写明移送或告知的有权机关' });
          if (v.decision !== 'accept' && !v.complainantToldOn) c.addIssue({ code: 'custom', path: ['complainantToldOn'], message: '须告知投诉人' });
        }),
      ),
    z.strictObject({ action: z.literal('assign'), officerId: id(), note: z.optional(multilineText(2000)) }),
    z
      .strictObject({
        action: z.literal('complete'),
        finding: z.enum(['substantiated', 'partlySubstantiated', 'unsubstantiated']),
        result: multilineText(8000),
        officerIds: z.optional(z.array(id()).check(z.maxLength(20))),
        penaltyDispute: z.optional(z.boolean()),
        rightsNotified: z.optional(z.boolean()),
      })
      .check(
        z.superRefine((v, c) => {
          if (v.finding !== 'unsubstantiated' && !v.officerIds?.length) c.addIssue({ code: 'custom', path: ['officerIds'], message: '投诉属实的须写明涉及的执法人员' });
        }),
      ),
    z.strictObject({ action: z.literal('reply'), channel: z.enum(['phone', 'letter', 'sms', 'inPerson', 'web']), content: multilineText(4000), toldOn: isoDate() }),
    z
      .strictObject({
        action: z.literal('conclude'),
        substantiated: z.boolean(),
        reason: z.optional(multilineText(4000)),
        decisionNumber: z.optional(text(64)),
        liabilities: z.optional(
          z
            .array(
              z.strictObject({
                officerId: id(),
                share: z.number().check(z.gt(0), z.lte(1)),
                basis: multilineText(500),
                mitigating: z.optional(z.array(text(200)).check(z.maxLength(20))),
                aggravating: z.optional(z.array(text(200)).check(z.maxLength(20))),
                measure: text(200),
              }),
            )
            .check(z.minLength(1), z.maxLength(20)),
        ),
      })
      .check(
        z.superRefine((v, c) => {
          if (v.substantiated && !v.liabilities) c.addIssue({ code: 'custom', path: ['liabilities'], message: '过错成立须写明责任划分' });
          if (v.substantiated && !v.decisionNumber) c.addIssue({ code: 'custom', path: ['decisionNumber'], message: '须填写追责决定文号' });
          if (!v.substantiated && !v.reason) c.addIssue({ code: 'custom', path: ['reason'], message: '须写明不予追责的理由' });
        }),
      ),
    z.strictObject({ action: z.literal('serve'), on: isoDate() }),
    z.strictObject({ action: z.literal('acknowledge') }),
    z.strictObject({ action: z.literal('reportUpward'), to: text(200), on: isoDate() }),
    z.strictObject({ action: z.literal('file'), on: isoDate(), receiptNumber: text(64), to: z.optional(text(200)) }),
    z.strictObject({ action: z.literal('requestReexamination'), reason: multilineText(4000) }),
    z.strictObject({ action: z.literal('decideReexamination'), result: z.enum(['uphold', 'amend', 'revoke']), opinion: multilineText(8000) }),
    z.strictObject({ action: z.literal('decideBackdate'), approve: z.boolean(), note: z.optional(multilineText(2000)) }),
    z.strictObject({ action: z.literal('report'), content: multilineText(8000) }),
  ]),
);

// ---- processes --------------------------------------------------------------------------------------
export const openProcess = /* @__PURE__ */ defineRoute(
  {
    operationId: 'openProcess',
    method: 'POST',
    path: '/processes',
    group: 'processes',
    summary: '发起流程（法制审核、投诉举报、过错追究、督办交办、备案报告）',
    auth: true,
    scope: 'agency',
    idempotent: true,
    successStatus: 201,
    audit: { by: 'useCase', action: 'process.open', objectType: 'process', objectId: () => 'new' },
  },
  () => ({ body: openBody() }),
);
export const getProcess = /* @__PURE__ */ defineRoute(
  {
    operationId: 'getProcess',
    method: 'GET',
    path: '/processes/{processId}',
    group: 'processes',
    summary: '流程详情（含期限说明与红黄牌）',
    auth: true,
    scope: 'process',
    audit: { by: 'useCase', action: 'process.read' },
  },
  () => ({ params: processParams() }),
);
export const processHistory = /* @__PURE__ */ defineRoute(
  {
    operationId: 'processHistory',
    method: 'GET',
    path: '/processes/{processId}/history',
    group: 'processes',
    summary: '流程历史（每次决定、提醒、催办、通报、期限变更）',
    auth: true,
    scope: 'process',
    audit: { by: 'useCase', action: 'process.history' },
  },
  () => ({ params: processParams() }),
);
export const actOnProcess = /* @__PURE__ */ defineRoute(
  {
    operationId: 'actOnProcess',
    method: 'POST',
    path: '/processes/{processId}/actions',
    group: 'processes',
    summary: '流程操作（受理、审核、延期、办结、送达、复查……）',
    auth: true,
    scope: 'process',
    requiresIfMatch: true,
    audit: { by: 'useCase', action: 'process.act' },
  },
  () => ({ params: processParams(), body: actionBody() }),
);
export const listWork = /* @__PURE__ */ defineRoute(
  {
    operationId: 'listWork',
    method: 'GET',
    path: '/agencies/{agencyId}/processes',
    group: 'processes',
    summary: '机关或部门的在办事项（红牌逾期、黄牌临期）',
    auth: true,
    scope: 'agency',
    audit: { by: 'useCase', action: 'process.list' },
  },
  () => ({
    params: agencyParams(),
    query: z.strictObject({
      unitId: z.optional(id()),
      status: z.optional(z.enum(['open', 'red', 'yellow', 'closed'])),
      kind: z.optional(z.enum(PROCESS_KINDS)),
      limit: pageLimit(50, 200),
      cursor: cursor(),
    }),
  }),
);
export const agencyFile = /* @__PURE__ */ defineRoute(
  {
    operationId: 'agencyFile',
    method: 'GET',
    path: '/agencies/{agencyId}/archive',
    group: 'processes',
    summary: '机关执法档案（通报批评等，A4）',
    auth: true,
    scope: 'agency',
    audit: { by: 'pipeline', action: 'agencyFile.read' },
  },
  () => ({ params: agencyParams(), query: z.strictObject({ limit: pageLimit(50, 200), cursor: cursor() }) }),
);

// ---- E3 responsibility: who reminders, 催办 and 通报 reach ---------------------------------------------
const responsibilityBody = /* @__PURE__ */ lazy(() =>
  z.strictObject({
    directorOfficerId: z.optional(id()),
    leaders: z.array(z.strictObject({ officerId: id(), unitIds: z.array(id()).check(z.minLength(1), z.maxLength(50)) })).check(z.maxLength(20)),
    heads: z.array(z.strictObject({ unitId: id(), officerId: id() })).check(z.maxLength(200)),
  }),
);
export const getResponsibility = /* @__PURE__ */ defineRoute(
  {
    operationId: 'getResponsibility',
    method: 'GET',
    path: '/agencies/{agencyId}/responsibility',
    group: 'processes',
    summary: '机关责任体系（E3：局长、分管领导、部门负责人）',
    auth: true,
    scope: 'agency',
    audit: { by: 'pipeline', action: 'responsibility.read' },
  },
  () => ({ params: agencyParams() }),
);
export const setResponsibility = /* @__PURE__ */ defineRoute(
  {
    operationId: 'setResponsibility',
    method: 'PUT',
    path: '/agencies/{agencyId}/responsibility',
    group: 'processes',
    summary: '设置机关责任体系（提醒、催办、通报据此送达到人，E3；修改须带 If-Match）',
    auth: true,
    scope: 'agency',
    audit: { by: 'useCase', action: 'responsibility.set' },
  },
  () => ({ params: agencyParams(), body: responsibilityBody() }),
);

// ---- notifications ----------------------------------------------------------------------------------
const notificationParams = /* @__PURE__ */ lazy(() => z.strictObject({ notificationId: id() }));
export const listInbox = /* @__PURE__ */ defineRoute(
  { operationId: 'listInbox', method: 'GET', path: '/inbox', group: 'notifications', summary: '我的消息（提醒、催办、通报）', auth: true, scope: 'none' },
  () => ({ query: z.strictObject({ unreadOnly: z.optional(z.enum(['true', 'false'])), limit: pageLimit(50, 200) }) }),
);
export const getNotification = /* @__PURE__ */ defineRoute(
  {
    operationId: 'getNotification',
    method: 'GET',
    path: '/notifications/{notificationId}',
    group: 'notifications',
    summary: '消息详情（含收件人）',
    auth: true,
    scope: 'none',
    audit: { by: 'refusals', action: 'notification.read', objectType: 'notification', objectId: (i) => String(i.params.notificationId) },
  },
  () => ({ params: notificationParams() }),
);
export const markNotificationRead = /* @__PURE__ */ defineRoute(
  {
    operationId: 'markNotificationRead',
    method: 'POST',
    path: '/notifications/{notificationId}/read',
    group: 'notifications',
    summary: '标记已读',
    auth: true,
    scope: 'none',
    audit: { by: 'refusals', action: 'notification.markRead', objectType: 'notification', objectId: (i) => String(i.params.notificationId) },
  },
  () => ({ params: notificationParams() }),
);

// ---- calendar ---------------------------------------------------------------------------------------
const yearParams = /* @__PURE__ */ lazy(() => z.strictObject({ year: z.coerce.number().check(z.int(), z.gte(2000), z.lte(2100)) }));
const yearBody = /* @__PURE__ */ lazy(() =>
  z.strictObject({
    notice: z.strictObject({ title: text(200), number: text(64), publishedOn: isoDate() }),
    holidays: z.array(z.strictObject({ name: text(20), dates: z.array(isoDate()).check(z.minLength(1), z.maxLength(15)) })).check(z.minLength(1), z.maxLength(20)),
    makeupWorkdays: z.array(z.strictObject({ date: isoDate(), name: text(20) })).check(z.maxLength(20)),
    note: z.optional(multilineText(2000)),
  }),
);
export const listCalendarYears = /* @__PURE__ */ defineRoute({
  operationId: 'listCalendarYears',
  method: 'GET',
  path: '/calendar/years',
  group: 'calendar',
  summary: '已公布的节假日安排（各年及其依据）',
  auth: true,
  scope: 'none',
});
export const getCalendarYear = /* @__PURE__ */ defineRoute(
  { operationId: 'getCalendarYear', method: 'GET', path: '/calendar/years/{year}', group: 'calendar', summary: '某年节假日安排', auth: true, scope: 'none' },
  () => ({ params: yearParams() }),
);
export const publishCalendarYear = /* @__PURE__ */ defineRoute(
  {
    operationId: 'publishCalendarYear',
    method: 'PUT',
    path: '/calendar/years/{year}',
    group: 'calendar',
    summary: '发布或更正某年节假日安排（重算受影响的在办期限）',
    auth: true,
    scope: 'global',
    audit: { by: 'useCase', action: 'calendar.publish', objectType: 'calendar', objectId: (i) => String(i.params.year) },
  },
  () => ({ params: yearParams(), body: yearBody() }),
);
export const addClosure = /* @__PURE__ */ defineRoute(
  {
    operationId: 'addClosure',
    method: 'POST',
    path: '/agencies/{agencyId}/closures',
    group: 'calendar',
    summary: '登记本机关停止办公日',
    auth: true,
    scope: 'agency',
    idempotent: true,
    successStatus: 201,
    audit: { by: 'useCase', action: 'calendar.closure', objectType: 'calendar' },
  },
  () => ({ params: agencyParams(), body: z.strictObject({ date: isoDate(), reason: text(200) }) }),
);
export const computeDueDate = /* @__PURE__ */ defineRoute(
  { operationId: 'computeDueDate', method: 'GET', path: '/calendar/due', group: 'calendar', summary: '计算期限（含跳过的休息日及原因）', auth: true, scope: 'none' },
  () => ({
    query: z.strictObject({
      start: isoDate(),
      unit: z.enum(['workingDays', 'calendarDays', 'months']),
      amount: z.coerce.number().check(z.int(), z.gte(0), z.lte(3650)),
    }),
  }),
);

export const PROCESS_ROUTES = [
  openProcess,
  getProcess,
  processHistory,
  actOnProcess,
  listWork,
  agencyFile,
  getResponsibility,
  setResponsibility,
  listInbox,
  getNotification,
  markNotificationRead,
  listCalendarYears,
  getCalendarYear,
  publishCalendarYear,
  addClosure,
  computeDueDate,
];
