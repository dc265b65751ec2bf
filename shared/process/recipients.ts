import type { Role } from '../access/principal.ts';
import { logger } from '../http/logger.ts';
import { shanghaiDate, systemClock } from '../kernel/clock.ts';
import { answerableFor, responsibilityOf, type Holder, type LadderStep } from '../org/responsibility.ts';
import { findOfficer, listUnitsOf } from '../org/store.ts';
import { ruleInForce } from '../rules/store.ts';
import type { Rung } from './clock.ts';
import type { Address, ProcessRecord, Reached } from './model.ts';

/**
 * Who a process's notice is meant for, and the people it actually reaches (E3). The meant-for list
 * is by position: the handler, the department head, the enforcement-supervision office, the
 * leadership. Each is resolved to people the platform knows: the handler (an active officer), the
 * holders of the role in the agency's responsibility record (shared/org/responsibility.ts), and where
 * a role has nobody, the next step of the E3 ladder (department head → leader in charge → director).
 * The owner (the opener, C12 首问负责) hears the rungs the E3 version names. A notice that reaches
 * nobody is still written, and recorded as an error of the agency's work list (notify/store.ts).
 */
export type Occasion = Rung | 'dueDateMoved' | 'backdatePending';

export const recipientsFor = (r: ProcessRecord, occasion: Occasion): Address[] => {
  const handler: Address[] = r.assignee?.officerId ? [{ type: 'officer', officerId: r.assignee.officerId }] : [];
  const head: Address[] = r.unitId ? [{ type: 'role', agencyId: r.agencyId, role: 'deptHead', unitId: r.unitId }] : [];
  // no handler and no department: the agency's enforcement-supervision office
  const office: Address[] = [{ type: 'role', agencyId: r.agencyId, role: 'supervision' }];
  const leaders: Address[] = [
    { type: 'role', agencyId: r.agencyId, role: 'leadership' },
    { type: 'role', agencyId: r.agencyId, role: 'supervision' },
  ];
  const base = handler.length ? handler : head.length ? head : office;
  switch (occasion) {
    case 'remind':
    case 'dueDateMoved':
      return base;
    case 'chase':
      return dedupe([...handler, ...head, ...(handler.length || head.length ? [] : office)]);
    case 'report':
      return dedupe([...leaders, ...handler, ...head]);
    case 'backdatePending':
      return [{ type: 'role', agencyId: r.agencyId, role: 'leadership' }];
  }
};
const dedupe = <T>(a: T[]) => [...new Map(a.map((x) => [JSON.stringify(x), x])).values()];

/** the ladder steps that answer for a role of the agency (a department's office: its head first) */
const stepsFor = (role: Role, ladder: readonly LadderStep[]): readonly LadderStep[] => (role === 'leadership' ? ladder.filter((s) => s !== 'deptHead') : ladder);

export interface Routing {
  /** the meant-for addresses and every person reached: the inbox items go to all of them */
  recipients: Address[];
  reached: Reached[];
}

export const routeNotice = async (r: ProcessRecord, occasion: Occasion, at = systemClock.now()): Promise<Routing> => {
  const meant = recipientsFor(r, occasion);
  const e3 = (await ruleInForce('E3', r.agencyPath, shanghaiDate(at))).parameters;
  const resp = await responsibilityOf(r.agencyId);
  const units = await listUnitsOf(r.agencyId);
  const reached: Reached[] = [];
  const holders = (hs: Holder[], forAddress: Address) => {
    for (const h of hs) reached.push({ address: { type: 'officer', officerId: h.officerId }, as: h.as, name: h.name, for: forAddress });
  };
  for (const a of meant) {
    if (a.type === 'officer') {
      const o = await findOfficer(a.officerId);
      if (o && o.agencyId === r.agencyId && o.status === 'active') reached.push({ address: a, as: 'assignee', name: o.name });
      // a handler who left: whoever answers for the department hears it instead
      else holders(await answerableFor(resp, r.unitId, e3.ladder), a);
    } else if (a.type === 'role' && a.role === 'deptHead') {
      holders(await answerableFor(resp, a.unitId, e3.ladder), a);
    } else if (a.type === 'role') {
      // the leadership: the leader in charge of the process's department, then the director;
      // an office (supervision, legal …): the head of each department with that function, then up the ladder
      if (a.role === 'leadership') {
        const inCharge = await answerableFor(resp, r.unitId, ['leaderInCharge']);
        holders([...inCharge, ...(await answerableFor(resp, undefined, ['director']))], a);
        continue;
      }
      const offices = units.filter((u) => u.function === a.role).map((u) => u.unitId);
      const found: Holder[] = [];
      for (const unitId of offices) found.push(...(await answerableFor(resp, unitId, stepsFor(a.role, e3.ladder))));
      holders(found.length ? found : await answerableFor(resp, undefined, e3.ladder), a);
    }
  }
  const owner = r.openedBy;
  if ((e3.ownerHears as readonly string[]).includes(occasion) && !owner.userId.startsWith('system')) {
    reached.push({ address: { type: 'user', userId: owner.userId, ...(owner.name ? { name: owner.name } : {}) }, as: 'owner', name: owner.name });
  }
  const people = dedupe(reached.map((x) => x.address));
  if (!people.length) logger.warn('process notice reaches nobody (E3): listed in the agency work list', { processId: r.processId, agencyId: r.agencyId, occasion });
  return { recipients: dedupe([...meant, ...people]), reached: dedupeReached(reached) };
};

/** one entry per person: the first reason they were reached */
const dedupeReached = (a: Reached[]) => [...new Map(a.map((x) => [JSON.stringify(x.address), x])).values()];
