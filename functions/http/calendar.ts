import * as r from '#shared/api/process-routes.ts';
import { requirePermission } from '#shared/access/permission.ts';
import { commit } from '#shared/adapters/dynamodb/commit.ts';
import { computeDue, shippedCalendar, validateYearCalendar, type YearCalendar } from '#shared/calendar/calendar.ts';
import { calendarFor, closureWrite, forgetCalendarCache, publishedYears, publishYearWrites, yearInForce } from '#shared/calendar/store.ts';
import { auditedHttpGroup } from '#shared/http/audited.ts';
import { bind, idempotencyOf } from '#shared/http/handler.ts';
import { nowIso, systemClock } from '#shared/kernel/clock.ts';
import { forbidden, notFound, validationError } from '#shared/kernel/errors.ts';
import { etagOf } from '#shared/kernel/schemas.ts';
import { getAgency } from '#shared/org/store.ts';
import { dispatch } from '#shared/outbox/dispatch.ts';
import { outboxWrite } from '#shared/outbox/store.ts';
import type { ProcessCommand } from '#shared/process/events.ts';
import { processConsumer } from '#shared/process/consumers.ts';
import { wire } from '#shared/wiring.ts';

// the fast path after each commit runs the process area's consumer: recomputeClocks (docs/architecture.md §6)
wire([processConsumer]);

/**
 * The official working-day calendar: the State Council's notice per year (published or corrected by
 * the platform administrator of the root agency), agencies' local closures, and due-date previews
 * with their explanation. A change recomputes every open clock it touches (through the outbox).
 */
const recomputeCommand = (years: number[], at: string, agencyIds?: string[]) => outboxWrite<ProcessCommand>({ type: 'recomputeClocks', years, ...(agencyIds ? { agencyIds } : {}) }, at);

export const handler = auditedHttpGroup([
  bind(r.listCalendarYears, async () => {
    const years = new Map(shippedCalendar().years);
    for (const y of await publishedYears()) years.set(y.year, y);
    return { body: { items: [...years.values()].sort((a, b) => a.year - b.year).map((y) => ({ year: y.year, notice: y.notice, version: y.version })) } };
  }),
  bind(r.getCalendarYear, async ({ params }) => {
    const y = await yearInForce(params.year);
    if (!y) throw notFound('calendar.yearNotPublished', `${params.year} 年节假日安排尚未公布：该年期限暂按周末推算并标记为暂定`);
    return { body: y, headers: { etag: etagOf(y.version) } };
  }),
  bind(r.publishCalendarYear, async ({ params, body, ctx }) => {
    await requirePermission(ctx, 'calendar.publish', { objectType: 'calendar', objectId: String(params.year), objectAgencyId: ctx.principal.agencyId });
    const agency = await getAgency(ctx.principal.agencyId);
    if (agency.ancestors.length > 0) throw forbidden('calendar.rootOnly', '国务院节假日安排由平台根机关的系统管理员发布；本机关可登记停止办公日');
    const year: YearCalendar = { year: params.year, notice: body.notice, holidays: body.holidays, makeupWorkdays: body.makeupWorkdays, version: 0 };
    const wrong = [...body.holidays.flatMap((h) => h.dates), ...body.makeupWorkdays.map((m) => m.date)].filter((d) => !d.startsWith(`${params.year}-`) && !d.startsWith(`${params.year - 1}-12`));
    if (wrong.length) throw validationError('calendar.dateOutsideYear', `日期须在 ${params.year} 年内（或上年 12 月的调休日）`, [{ path: 'body.holidays', message: wrong.join('、') }]);
    try {
      validateYearCalendar(year);
    } catch (e) {
      throw validationError('calendar.invalid', `节假日安排不合法：${(e as Error).message}`, [{ path: 'body', message: (e as Error).message }]);
    }
    const at = nowIso(systemClock);
    const ifMatch = ctx.ifMatch === undefined ? undefined : Number(ctx.ifMatch);
    const writes = await publishYearWrites({ ...year, publishedAt: at, publishedBy: ctx.principal.userId, note: body.note }, Number.isNaN(ifMatch) ? -1 : ifMatch);
    const recompute = recomputeCommand([params.year], at);
    await commit(
      ctx,
      [...writes, recompute.write],
      [{ action: 'calendar.publish', objectType: 'calendar', objectId: String(params.year), objectAgencyId: agency.agencyId, outcome: 'allowed', reason: body.note }],
    );
    forgetCalendarCache();
    await dispatch([recompute.item]);
    const stored = (await yearInForce(params.year))!;
    return { body: stored, headers: { etag: etagOf(stored.version) } };
  }),
  bind(r.addClosure, async ({ params, body, ctx }) => {
    await requirePermission(ctx, 'calendar.publish', { objectType: 'calendar', objectId: params.agencyId, objectAgencyId: params.agencyId });
    if (params.agencyId !== ctx.principal.agencyId) throw forbidden('calendar.ownAgencyOnly', '只能登记本机关的停止办公日');
    const at = nowIso(systemClock);
    const closure = { agencyId: params.agencyId, date: body.date, reason: body.reason, addedBy: ctx.principal.userId, addedAt: at };
    const recompute = recomputeCommand([Number(body.date.slice(0, 4))], at, [params.agencyId]);
    await commit(
      ctx,
      [closureWrite(closure), recompute.write],
      [{ action: 'calendar.closure', objectType: 'calendar', objectId: body.date, objectAgencyId: params.agencyId, outcome: 'allowed', reason: body.reason }],
      { ...idempotencyOf(ctx, { params, body }), response: closure },
    );
    forgetCalendarCache();
    await dispatch([recompute.item]);
    return { body: closure };
  }),
  bind(r.computeDueDate, async ({ query, ctx }) => {
    const agency = await getAgency(ctx.principal.agencyId);
    const cal = await calendarFor([agency.agencyId, ...agency.ancestors]);
    return { body: computeDue(cal, query.start, { unit: query.unit, amount: query.amount }) };
  }),
]);
