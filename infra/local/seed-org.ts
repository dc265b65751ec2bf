import { systemPrincipal } from '../../shared/access/principal.ts';
import * as api from '../../shared/api/routes.ts';
import { newId } from '../../shared/kernel/ids.ts';
import type { Agency } from '../../shared/org/store.ts';
import { provisionRootAgency as provisionRoot } from '../../shared/org/service.ts';
import { ACTORS, CITY_BUREAU_ID, DEMO_AGENCIES, DEMO_USERS, type DemoAgency, type AgencyBody, type UnitBody, type OfficerBody, type QualificationBody } from './seed-data-org.ts';
import type { SeedRun } from './seed-run.ts';

/** The root agency (see the module comment), through the product's bootstrap use case. */
export const provisionRootAgency = (agency: DemoAgency): Promise<Agency> =>
  provisionRoot(
    {
      principal: systemPrincipal('local-bootstrap', CITY_BUREAU_ID, ['sysAdmin']),
      source: { ip: '127.0.0.1', userAgent: 'infra/local/seed.ts', requestId: newId() },
    },
    { agencyId: CITY_BUREAU_ID, name: agency.name, kind: agency.kind, region: agency.region },
    'local bootstrap of the root agency (infra/local/seed.ts)',
  );

/** Seed steps 1–3 (infra/local/seed.ts): agencies, units, officers and their certificates. */
export const seedOrganisation = async (run: SeedRun) => {
  const { step, call, idOf, daysAgo, agencyIds, unitIds, officerIds, publishUsers } = run;
  // 1. agencies: the root in-process, the others through POST /agencies
  for (const a of DEMO_AGENCIES) {
    const r = await step(`agency.${a.key}`, async () => {
      if (!a.parentKey) return { agencyId: (await provisionRootAgency(a)).agencyId };
      const parentId = agencyIds.get(a.parentKey);
      if (!parentId) throw new Error(`parent agency ${a.parentKey} missing`);
      const body: AgencyBody = { name: a.name, kind: a.kind, parentId, region: a.region };
      return { agencyId: idOf((await call(ACTORS[a.parentKey]!.sysAdmin, api.createAgency, {}, { body, idempotencyKey: `agency.${a.key}` })).body, 'agencyId') };
    });
    if (r) agencyIds.set(a.key, r.agencyId as string);
  }
  publishUsers();

  // 2. units, by each agency's own system administrator
  for (const a of DEMO_AGENCIES) {
    const agencyId = agencyIds.get(a.key);
    if (!agencyId) continue;
    for (const u of a.units) {
      const r = await step(`unit.${a.key}.${u.key}`, async () => {
        const body: UnitBody = { name: u.name, function: u.function };
        return { unitId: idOf((await call(ACTORS[a.key]!.sysAdmin, api.createUnit, { agencyId }, { body, idempotencyKey: `unit.${a.key}.${u.key}` })).body, 'unitId') };
      });
      if (r) unitIds.set(`${a.key}.${u.key}`, r.unitId as string);
    }
  }
  publishUsers();

  // 3. officers (registered by the agency's system administrator) and certificates (issued by 政工)
  for (const u of DEMO_USERS) {
    if (!u.officer) continue;
    const agencyId = agencyIds.get(u.agency);
    const unitId = unitIds.get(`${u.agency}.${u.unit}`);
    if (!agencyId || !unitId) continue;
    const o = u.officer;
    const r = await step(`officer.${u.userId}`, async () => {
      const body: OfficerBody = { name: u.name, staffNumber: o.staffNumber, agencyId, unitId, post: u.post, employment: o.employment };
      return { officerId: idOf((await call(ACTORS[u.agency]!.sysAdmin, api.createOfficer, {}, { body, idempotencyKey: `officer.${u.userId}` })).body, 'officerId') };
    });
    if (r) officerIds.set(u.userId, r.officerId as string);
  }
  publishUsers();
  for (const u of DEMO_USERS) {
    const officerId = officerIds.get(u.userId);
    if (!u.officer?.certificate || !officerId) continue;
    const agency = DEMO_AGENCIES.find((a) => a.key === u.agency)!;
    const certificate = u.officer.certificate;
    await step(`qualification.${u.userId}`, async () => {
      const body: QualificationBody = {
        certificateNumber: certificate,
        certificateType: '行政执法证',
        issuedOn: daysAgo(320),
        issuedBy: agency.name,
        trainingCompleted: true,
        examPassed: true,
      };
      const res = await call(ACTORS[u.agency]!.political, api.issueQualification, { officerId }, { body, idempotencyKey: `qualification.${u.userId}` });
      return { qualificationId: idOf(res.body, 'qualificationId') };
    });
  }
};
