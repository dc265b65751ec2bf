import { shanghaiDate, systemClock } from '../../shared/kernel/clock.ts';
import { addCalendarDays } from '../../shared/calendar/calendar.ts';
import * as processApi from '../../shared/api/process-routes.ts';
import { ACTORS, DEMO_AGENCIES, DEMO_USERS } from './seed-data-org.ts';
import type { SeedRun } from './seed-run.ts';

/** Seed steps 5b–6 (infra/local/seed.ts): each agency's E3 responsibility, then deadline-bound processes (C1–C10); returns the day they were opened on. */
export const seedProcesses = async (run: SeedRun) => {
  const { step, call, idOf, agencyIds, unitIds, officerIds, unit } = run;
  // 5b. E3 responsibility of each agency: the 局长 is the director; a department head, or the 科长 /
  // 组长 / 主任 of an office, heads their department. Reminders and escalations reach people through it.
  for (const a of DEMO_AGENCIES) {
    const agencyId = agencyIds.get(a.key);
    const people = DEMO_USERS.filter((u) => u.agency === a.key && officerIds.has(u.userId));
    const director = people.find((u) => u.roles.includes('leadership') && u.post === '局长');
    const heads = people.filter((u) => u.unit !== 'office' && (u.roles.includes('deptHead') || /(科长|组长|主任)$/.test(u.post)));
    if (!agencyId || !director) continue;
    await step(`responsibility.${a.key}`, async () => {
      const body = {
        directorOfficerId: officerIds.get(director.userId)!,
        leaders: [],
        heads: heads.map((h) => ({ unitId: unitIds.get(`${a.key}.${h.unit}`)!, officerId: officerIds.get(h.userId)! })).filter((h) => h.unitId),
      };
      return { version: (await call(ACTORS[a.key]!.sysAdmin, processApi.setResponsibility, { agencyId }, { body })).body.version as number };
    });
  }

  // 6. deadline-bound processes (C1–C10) in 青山区, each with its clock running
  const processDay = shanghaiDate(systemClock.now());
  const processStep = async (key: string, as: string, body: Record<string, unknown>, actions: [string, Record<string, unknown>][] = []) => {
    const opened = await step(`process.${key}`, async () => {
      const res = await call(as, processApi.openProcess, {}, { body, idempotencyKey: `process.${key}` });
      return { processId: idOf(res.body, 'processId'), etag: res.etag ?? '' };
    });
    if (!opened) return;
    let etag = opened.etag as string;
    for (const [i, [actor, action]] of actions.entries()) {
      const r = await step(`process.${key}.${i}`, async () => {
        const res = await call(actor, processApi.actOnProcess, { processId: opened.processId as string }, { body: action, ifMatch: etag });
        return { etag: res.etag ?? '' };
      });
      if (!r) return;
      etag = r.etag as string;
    }
  };
  const machao = officerIds.get('qs-officer-machao');
  const luoting = officerIds.get('qs-officer-luoting');
  const tanglei = officerIds.get('qs-officer-tanglei');
  if (machao && luoting && tanglei) {
    await processStep(
      'complaint',
      'qs-officer-machao',
      {
        kind: 'complaint',
        title: '市民反映执法人员检查时态度生硬',
        channel: 'hotline12345',
        content: '12345 转办：某商户反映执法人员检查时态度生硬',
        complainant: { anonymous: false, name: '钱先生', phone: '13900000000' },
        about: { officerIds: [tanglei] },
        externalReference: '12345-DEMO-0001',
      },
      [
        ['qs-leader', { action: 'signOff', decision: 'accept', unitId: unit('qingshan', 'enf1'), note: '请执法一科核查' }],
        ['qs-head-enf1', { action: 'assign', officerId: luoting }],
      ],
    );
    await processStep('supervised', 'qs-leader', {
      kind: 'supervised-case',
      title: '某小区违法建设查处督办',
      unitId: unit('qingshan', 'enf2'),
      officerId: tanglei,
      dueOn: addCalendarDays(processDay, 10),
      caseNumber: '青司督〔演示〕1号',
      instructions: '十日内报告查处进展',
    });
    await processStep(
      'legal-review',
      'qs-head-enf1',
      {
        kind: 'legal-review',
        title: '某培训机构罚款 20000 元',
        unitId: unit('qingshan', 'enf1'),
        caseNumber: '青司罚〔演示〕8号',
        decisionSummary: '拟处罚款 2 万元',
        parties: [{ name: '某某培训学校', partyKind: 'organisation' }],
        handlingOfficerIds: [machao],
      },
      [['qs-legal', { action: 'accept', relations: [] }]],
    );
    await processStep('fault', 'qs-discipline', {
      kind: 'fault-investigation',
      title: '超期送达处罚决定书',
      officerIds: [machao],
      allegation: '处罚决定作出后逾期送达',
    });
    await processStep('filing', 'qs-legal', {
      kind: 'filing',
      title: '重大行政处罚备案',
      filingKind: 'majorPenalty',
      basisDate: processDay,
      reference: '青司罚〔演示〕8号',
    });
  }
  return { processDay };
};
