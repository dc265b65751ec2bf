import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RouteContract } from '../../shared/http/contract.ts';
import { shanghaiDate } from '../../shared/kernel/clock.ts';
import { type LocalLog, silentLog } from './net.ts';
import { type DemoUserRecord, readDemoUsers, type TokenUser, writeDemoUsers } from './tokens.ts';
import { DEMO_AGENCIES, DEMO_USERS, type DemoUser } from './seed-data-org.ts';

/** The machinery of a seed run (infra/local/seed.ts): the journal, the HTTP calls as a demo user, the ids resolved so far. */
export type IssueToken = (user: TokenUser) => Promise<string>;

export interface SeedOptions {
  dataDir: string;
  log?: LocalLog | undefined;
  /** "today" for relative demo dates (default: now) */
  now?: Date | undefined;
}

export interface SeedResult {
  ok: boolean;
  users: number;
  steps: number;
  failures: string[];
}

export class SeedHttpError extends Error {
  constructor(
    readonly method: string,
    readonly path: string,
    readonly status: number,
    readonly problem: unknown,
  ) {
    super(`${method} ${path} → ${status}: ${JSON.stringify(problem)?.slice(0, 500)}`);
  }
}

export interface Journal {
  steps: Record<string, Record<string, unknown>>;
}

export const journalFile = (dataDir: string) => join(dataDir, 'seed-state.json');
export const markerFile = (dataDir: string) => join(dataDir, 'seeded.json');

const readJournal = (dataDir: string): Journal => {
  try {
    return JSON.parse(readFileSync(journalFile(dataDir), 'utf8')) as Journal;
  } catch {
    return { steps: {} };
  }
};

export const writeJson = (file: string, value: unknown) => {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(value, null, 2)}\n`);
  renameSync(tmp, file);
};

const pathOf = (c: RouteContract, params: Record<string, string> = {}) =>
  c.path.replace(/\{(\w+)\}/g, (_, k: string) => {
    const v = params[k];
    if (v === undefined) throw new Error(`missing path parameter ${k} for ${c.path}`);
    return encodeURIComponent(v);
  });

const idemKey = (key: string) => `seed-${key}`.replace(/[^A-Za-z0-9_.:-]/g, '-').slice(0, 128);

export interface Answer {
  status: number;
  etag: string | undefined;
  body: Record<string, unknown>;
}

/** What a seed step needs: the ids created so far, the journalled step runner and the API caller. */
export interface SeedRun {
  log: LocalLog;
  failures: string[];
  daysAgo: (n: number) => string;
  agencyIds: Map<string, string>;
  unitIds: Map<string, string>;
  officerIds: Map<string, string>;
  usersById: Map<string, DemoUser>;
  publishUsers: () => number;
  call: (as: string, c: RouteContract, params?: Record<string, string>, o?: { body?: unknown; idempotencyKey?: string; ifMatch?: string | undefined; query?: string }) => Promise<Answer>;
  /** runs a step once per data folder: its result is journalled and replayed on later runs */
  step: <T extends Record<string, unknown>>(key: string, fn: () => Promise<T>) => Promise<T | undefined>;
  idOf: (b: Record<string, unknown>, field: string) => string;
  /** a department's id, '' while it does not exist */
  unit: (agency: string, key: string) => string;
  /** how many steps this run did (not replayed from the journal) */
  stepCount: () => number;
}

export const createSeedRun = (apiUrl: string, issueToken: IssueToken, opts: SeedOptions): SeedRun => {
  const log = opts.log ?? silentLog;
  mkdirSync(opts.dataDir, { recursive: true });
  const journal = readJournal(opts.dataDir);
  const failures: string[] = [];
  const today = opts.now ?? new Date();
  const daysAgo = (n: number) => shanghaiDate(new Date(today.getTime() - n * 86_400_000));

  const agencyIds = new Map<string, string>();
  const unitIds = new Map<string, string>(); // `${agency}.${unit}`
  const officerIds = new Map<string, string>(); // userId → officerId
  const usersById = new Map(DEMO_USERS.map((u) => [u.userId, u]));

  const resolved = (u: DemoUser): DemoUserRecord | undefined => {
    const agencyId = agencyIds.get(u.agency);
    if (!agencyId) return undefined;
    const agency = DEMO_AGENCIES.find((a) => a.key === u.agency);
    const unit = agency?.units.find((x) => x.key === u.unit);
    return {
      userId: u.userId,
      name: u.name,
      roles: u.roles,
      agencyId,
      agencyName: agency?.name,
      unitId: unitIds.get(`${u.agency}.${u.unit}`),
      unitName: unit?.name,
      officerId: officerIds.get(u.userId),
      post: u.post,
    };
  };
  const publishUsers = () => {
    const list = DEMO_USERS.map(resolved).filter((u): u is DemoUserRecord => u !== undefined);
    // keep users of an earlier partial run that this run could not resolve (never shrink the list)
    const before = readDemoUsers(opts.dataDir).filter((b) => !list.some((u) => u.userId === b.userId));
    writeDemoUsers(opts.dataDir, [...list, ...before]);
    return list.length;
  };

  const tokenCache = new Map<string, { token: string; claims: string }>();
  const tokenOf = async (userId: string) => {
    const u = usersById.get(userId);
    const r = u && resolved(u);
    if (!r) throw new Error(`demo user ${userId} cannot act yet (agency not created)`);
    const claims = JSON.stringify(r);
    const hit = tokenCache.get(userId);
    if (hit && hit.claims === claims) return hit.token;
    const token = await issueToken(r);
    tokenCache.set(userId, { token, claims });
    return token;
  };

  const call = async (
    as: string,
    c: RouteContract,
    params: Record<string, string> = {},
    o: { body?: unknown; idempotencyKey?: string; ifMatch?: string | undefined; query?: string } = {},
  ): Promise<Answer> => {
    const path = pathOf(c, params) + (o.query ? `?${o.query}` : '');
    const headers: Record<string, string> = { authorization: `Bearer ${await tokenOf(as)}`, 'user-agent': 'infra/local/seed.ts' };
    if (o.body !== undefined) headers['content-type'] = 'application/json';
    if (o.idempotencyKey) headers['idempotency-key'] = idemKey(o.idempotencyKey);
    if (o.ifMatch) headers['if-match'] = o.ifMatch;
    const res = await fetch(apiUrl + path, { method: c.method, headers, ...(o.body !== undefined ? { body: JSON.stringify(o.body) } : {}) });
    const text = await res.text();
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : {};
    } catch {
      body = { raw: text.slice(0, 200) };
    }
    if (!res.ok) throw new SeedHttpError(c.method, path, res.status, body);
    const b = (body ?? {}) as Record<string, unknown>;
    const etag = res.headers.get('etag') ?? (typeof b.version === 'number' ? `"${b.version}"` : undefined);
    return { status: res.status, etag, body: b };
  };

  let steps = 0;
  /** runs a step once per data folder: its result is journalled and replayed on later runs */
  const step = async <T extends Record<string, unknown>>(key: string, fn: () => Promise<T>): Promise<T | undefined> => {
    const done = journal.steps[key];
    if (done) return done as T;
    try {
      const result = await fn();
      journal.steps[key] = result;
      writeJson(journalFile(opts.dataDir), journal);
      steps++;
      return result;
    } catch (e) {
      failures.push(`${key}: ${(e as Error).message}`);
      log(`[seed] ${key} failed: ${(e as Error).message}`);
      return undefined;
    }
  };
  const idOf = (b: Record<string, unknown>, field: string) => {
    const v = b[field] ?? b.id;
    if (typeof v !== 'string') throw new Error(`response has no ${field}: ${JSON.stringify(b).slice(0, 200)}`);
    return v;
  };
  const unit = (agency: string, key: string) => unitIds.get(`${agency}.${key}`) ?? '';

  return { log, failures, daysAgo, agencyIds, unitIds, officerIds, usersById, publishUsers, call, step, idOf, unit, stepCount: () => steps };
};
