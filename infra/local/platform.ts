import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { S3Event } from 'aws-lambda';
import { resetConfig } from '../../shared/config.ts';
import { type DynamoLocal, ensureTable, LOCAL_CREDENTIALS, startDynamoLocal } from './dynamodb.ts';
import { freePort, LOOPBACK, type LocalLog, silentLog } from './net.ts';
import { createRouter, type HandlerLoader, listenRouter, type Router } from './router.ts';
import { type ConsoleOptions, withConsole } from './console.ts';
import { type S3Local, startS3Local } from './s3.ts';
import { seedOnFirstStart, type SeedResult } from './seed.ts';
import { installClock, toShanghaiIso } from '../../shared/kernel/clock.ts';
import { type PlatformClock, realClock } from './clock.ts';
import { everyAreaLoader, wireEveryArea } from './outbox.ts';
import { installLocalEngine, type LocalEngine, uninstallLocalEngine } from './stepfunctions.ts';
import { createTokenIssuer, type DemoUserRecord, issuerUrl, readDemoUsers, type TokenIssuer, type TokenUser } from './tokens.ts';

/**
 * The embedded platform (docs/architecture.md §11): DynamoDB Local, s3rver, the local token
 * issuer and the router in front of the same handler modules Lambda runs. `npm start`
 * (infra/local/start.ts) and the integration tests both start it through `startPlatform`.
 */

export interface PlatformOptions {
  /** DynamoDB data (`dynamodb/`), S3 data (`s3/`), issuer key, users.json, seed journal */
  dataDir: string;
  /** fixed ports; any omitted port is a free loopback port */
  ports?: { api?: number | undefined; dynamodb?: number | undefined; s3?: number | undefined } | undefined;
  /** DynamoDB in memory and S3 in a temporary folder removed on stop; nothing persists */
  inMemory?: boolean | undefined;
  /** create the demo data on the first start of this data folder (infra/local/seed.ts) */
  seed?: boolean | undefined;
  tableName?: string | undefined;
  bucketName?: string | undefined;
  region?: string | undefined;
  log?: LocalLog | undefined;
  /** one log line per API request */
  accessLog?: boolean | undefined;
  /** override the S3 ObjectCreated hook (default: functions/events/attachment-arrived.ts) */
  onObjectCreated?: ((event: S3Event) => Promise<unknown>) | undefined;
  /** override how route-group handlers are loaded (default: functions/http/<group>.ts) */
  loadHandler?: HandlerLoader | undefined;
  /** the platform's clock: real time by default, demo time scaled (DEMO_TIME_SCALE), or a test's manual clock */
  clock?: PlatformClock | undefined;
  /** how often the reconciler runs (real milliseconds; default 30 s; 0 = only at start) */
  reconcileEveryMs?: number | undefined;
  /** serve the web console (web/dist) at `/` and `/console/*` of the API origin (infra/local/console.ts); default on */
  console?: ConsoleOptions | false | undefined;
}

export interface Platform {
  /** e.g. http://127.0.0.1:3000 (no trailing slash) */
  apiUrl: string;
  apiPort: number;
  dynamoEndpoint: string;
  s3Endpoint: string;
  tableName: string;
  bucketName: string;
  region: string;
  dataDir: string;
  dynamo: DynamoLocal;
  s3: S3Local;
  issuer: TokenIssuer;
  router: Router;
  issueToken(user: TokenUser): Promise<string>;
  /** the demo users of users.json (empty until seeded) */
  users(): DemoUserRecord[];
  /** undefined when seeding was not asked for or had already happened */
  seedResult: SeedResult | undefined;
  /** wait for every S3 ObjectCreated hook started so far */
  drainEvents(): Promise<void>;
  clock: PlatformClock;
  /** the local Step Functions engine running the process clocks */
  engine: LocalEngine;
  /** pending outbox commands and open processes without a live execution (as the AWS job does) */
  reconcile(): Promise<unknown>;
  /** stops the router, S3 (after its pending events) and DynamoDB Local (the java child); restores process.env */
  stop(): Promise<void>;
}

export const DEFAULT_TABLE = 'archive';
export const DEFAULT_BUCKET = 'evidence';
export const DEFAULT_REGION = 'cn-north-1';

const EVENT_HANDLERS = {
  'attachments/': fileURLToPath(new URL('../../functions/events/attachment-arrived.ts', import.meta.url)),
  'evidence/': fileURLToPath(new URL('../../functions/events/evidence-arrived.ts', import.meta.url)),
};

/** Default S3 hook: by key prefix, the function S3's notification invokes in AWS (imported lazily). */
const objectCreatedHook = (log: LocalLog) => {
  const loaded = new Map<string, (e: S3Event) => Promise<unknown>>();
  return async (event: S3Event) => {
    const key = decodeURIComponent(event.Records[0]?.s3.object.key ?? '');
    const entry = Object.entries(EVENT_HANDLERS).find(([prefix]) => key.startsWith(prefix));
    if (!entry) return;
    const [prefix, file] = entry;
    let handler = loaded.get(prefix);
    if (!handler) {
      if (!existsSync(file)) {
        log(`[s3] ${file} does not exist: ObjectCreated events under ${prefix} are dropped`);
        return;
      }
      const mod = (await import(pathToFileURL(file).href)) as { handler?: (e: S3Event) => Promise<unknown> };
      if (typeof mod.handler !== 'function') throw new Error(`${file} exports no handler`);
      handler = mod.handler;
      loaded.set(prefix, handler);
    }
    await handler(event);
  };
};

/** the order of the nightly jobs: anchor yesterday's audit heads first, then retention, fixity, packages, samples */
const NIGHTLY_JOBS = ['anchorAudit', 'retentionSweep', 'fixity', 'preservation', 'spotCheck'] as const;

const ENV_KEYS = ['TABLE_NAME', 'BUCKET_NAME', 'DYNAMODB_ENDPOINT', 'S3_ENDPOINT', 'AWS_REGION', 'AWS_DEFAULT_REGION', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'] as const;

/** Starts everything; on a failure half-way, whatever started is stopped again before rethrowing. */
export const startPlatform = async (opts: PlatformOptions): Promise<Platform> => {
  const log = opts.log ?? silentLog;
  const dataDir = resolve(opts.dataDir);
  mkdirSync(dataDir, { recursive: true });
  const tableName = opts.tableName ?? DEFAULT_TABLE;
  const bucketName = opts.bucketName ?? DEFAULT_BUCKET;
  const region = opts.region ?? DEFAULT_REGION;

  // stop order matters: no new requests → pending S3 events (they write to DynamoDB) → S3 →
  // DynamoDB (the java child) → temporary folders → process.env
  const cleanups: { order: number; run: () => Promise<void> | void }[] = [];
  const runCleanups = async () => {
    for (const c of cleanups.splice(0).sort((a, b) => a.order - b.order)) {
      try {
        await c.run();
      } catch (e) {
        log(`[platform] stop: ${(e as Error).message}`);
      }
    }
  };

  try {
    // The router listens first so that its port (part of the issuer URL and the console origin for
    // S3 CORS) is known; requests wait for `ready` until everything behind it is up.
    let markReady!: () => void;
    const ready = new Promise<void>((r) => (markReady = r));
    let issuer: TokenIssuer | undefined;
    const issuerProxy: TokenIssuer = {
      get issuer() {
        return issuer?.issuer ?? '';
      },
      get audience() {
        return issuer?.audience ?? '';
      },
      get jwks() {
        return issuer?.jwks ?? { keys: [] };
      },
      issueToken: (u, o) => issuer!.issueToken(u, o),
      verify: (t) => issuer!.verify(t),
    };
    const apiRouter = createRouter({
      issuer: issuerProxy,
      users: () => readDemoUsers(dataDir),
      loadHandler: everyAreaLoader(opts.loadHandler),
      ready,
      log,
      accessLog: opts.accessLog,
    });
    // the S3 origin is known only once s3rver listens: the console's CSP reads it then
    let s3Origin: string | undefined;
    const router = opts.console === false ? apiRouter : withConsole(apiRouter, { ...opts.console, s3Origin: () => s3Origin });
    const server: Server = await listenRouter(router, opts.ports?.api ?? 0);
    cleanups.push({
      order: 1,
      run: () =>
        new Promise<void>((r) => {
          server.close(() => r());
          server.closeAllConnections();
        }),
    });
    const apiPort = (server.address() as { port: number }).port;
    const apiUrl = `http://${LOOPBACK}:${apiPort}`;

    const dynamo = await startDynamoLocal({
      dbPath: opts.inMemory ? undefined : join(dataDir, 'dynamodb'),
      port: opts.ports?.dynamodb,
      log,
    });
    cleanups.push({ order: 3, run: () => dynamo.stop() });

    const s3Dir = opts.inMemory ? mkdtempSync(join(tmpdir(), 'archive-s3-')) : join(dataDir, 's3');
    if (opts.inMemory) cleanups.push({ order: 4, run: () => rmSync(s3Dir, { recursive: true, force: true }) });
    const s3 = await startS3Local({
      directory: s3Dir,
      port: opts.ports?.s3,
      region,
      buckets: [{ name: bucketName, corsOrigins: [apiUrl, `http://localhost:${apiPort}`] }],
      onObjectCreated: opts.onObjectCreated ?? objectCreatedHook(log),
      log,
    });
    cleanups.push({ order: 2, run: () => s3.stop() });
    s3Origin = s3.endpoint;

    // the handlers read these (shared/config.ts); restored on stop
    const previous = Object.fromEntries(ENV_KEYS.map((k) => [k, process.env[k]]));
    cleanups.push({
      order: 5,
      run: () => {
        for (const k of ENV_KEYS) {
          if (previous[k] === undefined) delete process.env[k];
          else process.env[k] = previous[k];
        }
        resetConfig();
      },
    });
    Object.assign(process.env, {
      TABLE_NAME: tableName,
      BUCKET_NAME: bucketName,
      DYNAMODB_ENDPOINT: dynamo.endpoint,
      S3_ENDPOINT: s3.endpoint,
      AWS_REGION: region,
      AWS_DEFAULT_REGION: region,
      AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    });
    resetConfig();

    const created = await ensureTable(dynamo.client, tableName);
    log(`[platform] table ${tableName} ${created ? 'created' : 'found'}`);

    issuer = await createTokenIssuer({ issuer: issuerUrl(apiPort), keyFile: opts.inMemory ? undefined : join(dataDir, 'issuer-key.json') });

    // the process clocks: the same ASL files and clock handler as AWS, on the platform's clock
    const clock = opts.clock ?? realClock();
    installClock(clock);
    const engine = installLocalEngine(clock);
    cleanups.push({
      order: 2,
      run: async () => {
        await uninstallLocalEngine(engine);
        installClock(undefined);
      },
    });
    // every area's consumer in-process (infra/local/outbox.ts): the reconciler runs what any area left pending
    const reconcile = async () => {
      await wireEveryArea();
      return (await import('../../functions/jobs/processes.ts')).reconcile(0);
    };
    markReady();
    // resume every open process from DynamoDB (executions do not survive a restart; the records do)
    const resumed = await reconcile();
    log(`[platform] process clocks: ${JSON.stringify(resumed)}; ${clock.describe()}`);
    // the nightly evidence jobs (EventBridge Scheduler in AWS): 01:00 Shanghai on the platform clock
    const nightly = new AbortController();
    cleanups.push({ order: 0, run: () => nightly.abort(new Error('platform stopping')) });
    void (async () => {
      for (;;) {
        const today = toShanghaiIso(clock.now()).slice(0, 10);
        let next = Date.parse(`${today}T01:00:00.000+08:00`);
        if (next <= clock.now().getTime()) next += 86_400_000;
        await clock.sleepUntil(new Date(next), nightly.signal);
        const { handler: evidenceJobs } = await import('../../functions/jobs/evidence.ts');
        for (const job of NIGHTLY_JOBS) {
          await evidenceJobs({ job }).catch((e: unknown) => log(`[jobs] ${job}: ${(e as Error).message}`));
        }
      }
    })().catch(() => undefined);
    const every = opts.reconcileEveryMs ?? 30_000;
    if (every > 0) {
      let running = false;
      const timer = setInterval(() => {
        if (running) return;
        running = true;
        reconcile()
          .catch((e: unknown) => log(`[platform] reconcile: ${(e as Error).message}`))
          .finally(() => (running = false));
      }, every);
      timer.unref();
      cleanups.push({ order: 0, run: () => clearInterval(timer) });
    }

    let seedResult: SeedResult | undefined;
    if (opts.seed) {
      seedResult = await seedOnFirstStart(apiUrl, (u) => issuer!.issueToken(u), { dataDir, log });
    }

    let stopping: Promise<void> | undefined;
    return {
      apiUrl,
      apiPort,
      dynamoEndpoint: dynamo.endpoint,
      s3Endpoint: s3.endpoint,
      tableName,
      bucketName,
      region,
      dataDir,
      dynamo,
      s3,
      issuer,
      router,
      issueToken: (u) => issuer!.issueToken(u),
      users: () => readDemoUsers(dataDir),
      seedResult,
      drainEvents: () => s3.drainEvents(),
      clock,
      engine,
      reconcile,
      stop: () => (stopping ??= runCleanups()),
    };
  } catch (e) {
    await runCleanups();
    throw e;
  }
};

/** Ports for `npm start`: API_PORT (3000), DYNAMODB_PORT (8000), S3_PORT (4568). */
export const portsFromEnv = (env: NodeJS.ProcessEnv = process.env) => ({
  api: Number(env.API_PORT ?? 3000),
  dynamodb: Number(env.DYNAMODB_PORT ?? 8000),
  s3: Number(env.S3_PORT ?? 4568),
});

export { freePort };
