import * as z from 'zod';
import { defineRoute } from '../http/contract.ts';
import { lazy } from '../kernel/lazy.ts';
import { cursor, id, isoDate, isoDateTime, multilineText, pageLimit, text } from '../kernel/schemas.ts';
import { FILING_KINDS, PROCESS_KINDS } from '../process/model.ts';
import { RECUSAL_RELATIONS } from '../rules/catalog.ts';

/**
 * Routes of the deadline-bound processes (C1–C10), notifications and the working-day calendar.
 * Listed in shared/api/routes.ts ROUTES like every other route.
 */
const processParams = lazy(() => z.object({ processId: id() }).strict());
const agencyParams = lazy(() => z.object({ agencyId: id() }).strict());
const phone = () => z.string().regex(/^\+?[0-9]{5,20}$/, '须为电话号码');
/**
 * When the event a period counts from happened (C1 receipt, C4 acceptance, C5 start): a day or a
 * moment with its offset, in the same range as every date; the domain refuses the future and counts
 * one older than the rule's back-dating limit only with approval (shared/process/basis.ts).
 */
const eventTime = () => z.union([
  isoDate(),
  isoDateTime().refine((s) => s.slice(0, 10) >= '1949-10-01' && s.slice(0, 10) <= '2199-12-31', '日期超出允许范围'),
], { error: '须为 YYYY-MM-DD 日期或带时区的 ISO 8601 时间' });
const contacts = () => z.array(z.object({ channel: z.enum(['sms', 'email']), to: z.union([phone(), z.email({ message: '须为电子邮件地址' })]) }).strict()).max(5);

const openBody = lazy(() => {
  const common = { title: text(200) };
  return z.discriminatedUnion('kind', [
    z.object({
      kind: z.literal('legal-review'), ...common, unitId: id(), caseNumber: text(64), decisionSummary: multilineText(4000),
      parties: z.array(z.object({ name: text(100), partyKind: z.enum(['person', 'organisation']) }).strict()).min(1).max(50),
      handlingOfficerIds: z.array(id()).min(1).max(20), receivedAt: eventTime().optional(),
    }).strict(),
    z.object({
      kind: z.literal('complaint'), ...common,
      channel: z.enum(['walkIn', 'phone', 'letter', 'web', 'hotline12345', 'integration']),
      content: multilineText(8000),
      complainant: z.object({ anonymous: z.boolean(), name: text(50).optional(), phone: phone().optional(), address: text(200).optional() }).strict(),
      about: z.object({ officerIds: z.array(id()).max(20).optional(), unitId: id().optional(), caseNumber: text(64).optional(), caseId: id().optional() }).strict().optional(),
      externalReference: text(64).optional(), receivedAt: eventTime().optional(),
    }).strict(),
    z.object({
      kind: z.literal('fault-investigation'), ...common, unitId: id().optional(),
      officerIds: z.array(id()).min(1).max(20), allegation: multilineText(4000), sourceProcessId: id().optional(), startedAt: eventTime().optional(),
    }).strict(),
    z.object({
      kind: z.literal('supervised-case'), ...common, unitId: id(), officerId: id(), dueOn: isoDate(),
      caseNumber: text(64).optional(), instructions: multilineText(4000), notifyContacts: contacts().optional(),
    }).strict(),
    z.object({
      kind: z.literal('filing'), ...common, unitId: id().optional(), filingKind: z.enum(FILING_KINDS),
      basisDate: isoDate().optional(), year: z.number().int().min(2000).max(2100).optional(), reference: text(200),
    }).strict().superRefine((v, c) => {
      if (v.filingKind === 'annualReport' && v.year === undefined) c.addIssue({ code: 'custom', path: ['year'], message: '年度报告须填写报告年度' });
      if (v.filingKind !== 'annualReport' && !v.basisDate) c.addIssue({ code: 'custom', path: ['basisDate'], message: '须填写决定或吊销日期' });
    }),
  ]);
});

const actionBody = lazy(() => z.discriminatedUnion('action', [
  z.object({ action: z.literal('accept'), relations: z.array(z.object({ partyName: text(100), relation: z.enum(RECUSAL_RELATIONS) }).strict()).max(50) }).strict(),
  z.object({ action: z.literal('requestExtension'), days: z.number().int().positive().max(366).optional(), reason: multilineText(2000) }).strict(),
  z.object({ action: z.literal('decideExtension'), approve: z.boolean(), note: multilineText(2000).optional() }).strict(),
  z.object({ action: z.literal('decide'), outcome: z.enum(['pass', 'amend', 'supplement', 'correct', 'transfer']), opinion: multilineText(8000) }).strict(),
  z.object({ action: z.literal('resubmit'), note: multilineText(2000) }).strict(),
  z.object({ action: z.literal('dispute'), reason: multilineText(4000) }).strict(),
  z.object({
    action: z.literal('recordMinutes'), body: text(50), chair: text(50), attendees: z.array(text(50)).min(3).max(50),
    decision: multilineText(8000), dissent: multilineText(8000).optional(), signedBy: z.array(text(50)).min(1).max(50),
  }).strict(),
  z.object({
    action: z.literal('signOff'), decision: z.enum(['accept', 'transfer', 'refer']), unitId: id().optional(),
    to: text(200).optional(), complainantToldOn: isoDate().optional(), note: multilineText(2000).optional(),
  }).strict().superRefine((v, c) => {
    if (v.decision === 'accept' && !v.unitId) c.addIssue({ code: 'custom', path: ['unitId'], message: '受理须指定承办部门' });
    if (v.decision !== 'accept' && !v.to) c.addIssue({ code: 'custom', path: ['to'], message: '须写明移送或告知的有权机关' });
    if (v.decision !== 'accept' && !v.complainantToldOn) c.addIssue({ code: 'custom', path: ['complainantToldOn'], message: '须告知投诉人' });
  }),
  z.object({ action: z.literal('assign'), officerId: id(), note: multilineText(2000).optional() }).strict(),
  z.object({
    action: z.literal('complete'), finding: z.enum(['substantiated', 'partlySubstantiated', 'unsubstantiated']), result: multilineText(8000),
    officerIds: z.array(id()).max(20).optional(), penaltyDispute: z.boolean().optional(), rightsNotified: z.boolean().optional(),
  }).strict().superRefine((v, c) => {
    if (v.finding !== 'unsubstantiated' && !(v.officerIds?.length)) c.addIssue({ code: 'custom', path: ['officerIds'], message: '投诉属实的须写明涉及的执法人员' });
  }),
  z.object({ action: z.literal('reply'), channel: z.enum(['phone', 'letter', 'sms', 'inPerson', 'web']), content: multilineText(4000), toldOn: isoDate() }).strict(),
  z.object({
    action: z.literal('conclude'), substantiated: z.boolean(), reason: multilineText(4000).optional(), decisionNumber: text(64).optional(),
    liabilities: z.array(z.object({
      officerId: id(), share: z.number().gt(0).max(1), basis: multilineText(500),
      mitigating: z.array(text(200)).max(20).optional(), aggravating: z.array(text(200)).max(20).optional(), measure: text(200),
    }).strict()).min(1).max(20).optional(),
  }).strict().superRefine((v, c) => {
    if (v.substantiated && !v.liabilities) c.addIssue({ code: 'custom', path: ['liabilities'], message: '过错成立须写明责任划分' });
    if (v.substantiated && !v.decisionNumber) c.addIssue({ code: 'custom', path: ['decisionNumber'], message: '须填写追责决定文号' });
    if (!v.substantiated && !v.reason) c.addIssue({ code: 'custom', path: ['reason'], message: '须写明不予追责的理由' });
  }),
  z.object({ action: z.literal('serve'), on: isoDate() }).strict(),
  z.object({ action: z.literal('acknowledge') }).strict(),
  z.object({ action: z.literal('reportUpward'), to: text(200), on: isoDate() }).strict(),
  z.object({ action: z.literal('file'), on: isoDate(), receiptNumber: text(64), to: text(200).optional() }).strict(),
  z.object({ action: z.literal('requestReexamination'), reason: multilineText(4000) }).strict(),
  z.object({ action: z.literal('decideReexamination'), result: z.enum(['uphold', 'amend', 'revoke']), opinion: multilineText(8000) }).strict(),
  z.object({ action: z.literal('decideBackdate'), approve: z.boolean(), note: multilineText(2000).optional() }).strict(),
  z.object({ action: z.literal('report'), content: multilineText(8000) }).strict(),
]));

// ---- processes --------------------------------------------------------------------------------------
export const openProcess = defineRoute(
  { operationId: 'openProcess', method: 'POST', path: '/processes', group: 'processes', summary: '发起流程（法制审核、投诉举报、过错追究、督办交办、备案报告）', auth: true, scope: 'agency', idempotent: true, successStatus: 201 },
  () => ({ body: openBody() }),
);
export const getProcess = defineRoute(
  { operationId: 'getProcess', method: 'GET', path: '/processes/{processId}', group: 'processes', summary: '流程详情（含期限说明与红黄牌）', auth: true, scope: 'process' },
  () => ({ params: processParams() }),
);
export const processHistory = defineRoute(
  { operationId: 'processHistory', method: 'GET', path: '/processes/{processId}/history', group: 'processes', summary: '流程历史（每次决定、提醒、催办、通报、期限变更）', auth: true, scope: 'process' },
  () => ({ params: processParams() }),
);
export const actOnProcess = defineRoute(
  { operationId: 'actOnProcess', method: 'POST', path: '/processes/{processId}/actions', group: 'processes', summary: '流程操作（受理、审核、延期、办结、送达、复查……）', auth: true, scope: 'process', requiresIfMatch: true },
  () => ({ params: processParams(), body: actionBody() }),
);
export const listWork = defineRoute(
  { operationId: 'listWork', method: 'GET', path: '/agencies/{agencyId}/processes', group: 'processes', summary: '机关或部门的在办事项（红牌逾期、黄牌临期）', auth: true, scope: 'agency' },
  () => ({
    params: agencyParams(),
    query: z.object({
      unitId: id().optional(), status: z.enum(['open', 'red', 'yellow', 'closed']).optional(), kind: z.enum(PROCESS_KINDS).optional(),
      limit: pageLimit(50, 200), cursor: cursor(),
    }).strict(),
  }),
);
export const agencyFile = defineRoute(
  { operationId: 'agencyFile', method: 'GET', path: '/agencies/{agencyId}/archive', group: 'processes', summary: '机关执法档案（通报批评等，A4）', auth: true, scope: 'agency' },
  () => ({ params: agencyParams(), query: z.object({ limit: pageLimit(50, 200), cursor: cursor() }).strict() }),
);

// ---- E3 responsibility: who reminders, 催办 and 通报 reach ---------------------------------------------
const responsibilityBody = lazy(() => z.object({
  directorOfficerId: id().optional(),
  leaders: z.array(z.object({ officerId: id(), unitIds: z.array(id()).min(1).max(50) }).strict()).max(20),
  heads: z.array(z.object({ unitId: id(), officerId: id() }).strict()).max(200),
}).strict());
export const getResponsibility = defineRoute(
  { operationId: 'getResponsibility', method: 'GET', path: '/agencies/{agencyId}/responsibility', group: 'processes', summary: '机关责任体系（E3：局长、分管领导、部门负责人）', auth: true, scope: 'agency' },
  () => ({ params: agencyParams() }),
);
export const setResponsibility = defineRoute(
  { operationId: 'setResponsibility', method: 'PUT', path: '/agencies/{agencyId}/responsibility', group: 'processes', summary: '设置机关责任体系（提醒、催办、通报据此送达到人，E3；修改须带 If-Match）', auth: true, scope: 'agency' },
  () => ({ params: agencyParams(), body: responsibilityBody() }),
);

// ---- notifications ----------------------------------------------------------------------------------
const notificationParams = lazy(() => z.object({ notificationId: id() }).strict());
export const listInbox = defineRoute(
  { operationId: 'listInbox', method: 'GET', path: '/inbox', group: 'notifications', summary: '我的消息（提醒、催办、通报）', auth: true, scope: 'none' },
  () => ({ query: z.object({ unreadOnly: z.enum(['true', 'false']).optional(), limit: pageLimit(50, 200) }).strict() }),
);
export const getNotification = defineRoute(
  { operationId: 'getNotification', method: 'GET', path: '/notifications/{notificationId}', group: 'notifications', summary: '消息详情（含收件人）', auth: true, scope: 'none' },
  () => ({ params: notificationParams() }),
);
export const markNotificationRead = defineRoute(
  { operationId: 'markNotificationRead', method: 'POST', path: '/notifications/{notificationId}/read', group: 'notifications', summary: '标记已读', auth: true, scope: 'none' },
  () => ({ params: notificationParams() }),
);

// ---- calendar ---------------------------------------------------------------------------------------
const yearParams = lazy(() => z.object({ year: z.coerce.number().int().min(2000).max(2100) }).strict());
const yearBody = lazy(() => z.object({
  notice: z.object({ title: text(200), number: text(64), publishedOn: isoDate() }).strict(),
  holidays: z.array(z.object({ name: text(20), dates: z.array(isoDate()).min(1).max(15) }).strict()).min(1).max(20),
  makeupWorkdays: z.array(z.object({ date: isoDate(), name: text(20) }).strict()).max(20),
  note: multilineText(2000).optional(),
}).strict());
export const listCalendarYears = defineRoute(
  { operationId: 'listCalendarYears', method: 'GET', path: '/calendar/years', group: 'calendar', summary: '已公布的节假日安排（各年及其依据）', auth: true, scope: 'none' },
);
export const getCalendarYear = defineRoute(
  { operationId: 'getCalendarYear', method: 'GET', path: '/calendar/years/{year}', group: 'calendar', summary: '某年节假日安排', auth: true, scope: 'none' },
  () => ({ params: yearParams() }),
);
export const publishCalendarYear = defineRoute(
  { operationId: 'publishCalendarYear', method: 'PUT', path: '/calendar/years/{year}', group: 'calendar', summary: '发布或更正某年节假日安排（重算受影响的在办期限）', auth: true, scope: 'global' },
  () => ({ params: yearParams(), body: yearBody() }),
);
export const addClosure = defineRoute(
  { operationId: 'addClosure', method: 'POST', path: '/agencies/{agencyId}/closures', group: 'calendar', summary: '登记本机关停止办公日', auth: true, scope: 'agency', idempotent: true, successStatus: 201 },
  () => ({ params: agencyParams(), body: z.object({ date: isoDate(), reason: text(200) }).strict() }),
);
export const computeDueDate = defineRoute(
  { operationId: 'computeDueDate', method: 'GET', path: '/calendar/due', group: 'calendar', summary: '计算期限（含跳过的休息日及原因）', auth: true, scope: 'none' },
  () => ({
    query: z.object({
      start: isoDate(), unit: z.enum(['workingDays', 'calendarDays', 'months']), amount: z.coerce.number().int().min(0).max(3650),
    }).strict(),
  }),
);

export const PROCESS_ROUTES = [
  openProcess, getProcess, processHistory, actOnProcess, listWork, agencyFile, getResponsibility, setResponsibility,
  listInbox, getNotification, markNotificationRead,
  listCalendarYears, getCalendarYear, publishCalendarYear, addClosure, computeDueDate,
];
