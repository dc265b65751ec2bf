import { rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ROLE_LABELS } from '../../shared/access/principal.ts';
import { existsSync, readFileSync } from 'node:fs';
import { realClock, scaledClock } from './clock.ts';
import { buildConsole, consoleBuildNeeded } from './console.ts';
import { type Platform, portsFromEnv, startPlatform } from './platform.ts';

/**
 * `npm start`: the whole platform on this machine, data kept in `.data/` (gitignored), demo data
 * created on the first start. `npm run start:fresh` (`--fresh`) wipes `.data/` first.
 *
 * Ports: API_PORT (default 3000), DYNAMODB_PORT (8000), S3_PORT (4568); DATA_DIR (default .data).
 * Everything listens on 127.0.0.1 except DynamoDB Local, which has no bind option and listens on
 * all interfaces. Ctrl-C stops everything, the java child included.
 */
const fresh = process.argv.includes('--fresh');
const dataDir = resolve(process.env.DATA_DIR ?? '.data');
const out = (line = '') => process.stdout.write(`${line}\n`);
const err = (line: string) => process.stderr.write(`${line}\n`);

if (fresh) {
  rmSync(dataDir, { recursive: true, force: true });
  out(`已清空数据目录 ${dataDir}`);
}

let platform: Platform | undefined;
let stopping = false;
let firstSignalAt = 0;
const shutdown = async (signal: string) => {
  if (stopping) {
    // one Ctrl-C reaches this process twice under tsx: from the terminal (process group) and
    // relayed by tsx's parent process. Only a second Ctrl-C a moment later forces the exit.
    if (Date.now() - firstSignalAt < 1500) return;
    err(`再次收到 ${signal}，强制退出`);
    if (platform) {
      try {
        process.kill(platform.dynamo.pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }
    process.exit(130);
  }
  stopping = true;
  firstSignalAt = Date.now();
  out(`\n收到 ${signal}，正在停止本机平台…`);
  try {
    await platform?.stop();
    out('已停止。');
    process.exit(0);
  } catch (e) {
    err(`停止时出错：${(e as Error).message}`);
    process.exit(1);
  }
};
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));

/**
 * DEMO_TIME_SCALE=n runs the platform's clock n× faster (1440: a day per real minute), so process
 * clocks — reminders, 催办, 通报 — can be watched. Demo time is saved in `.data/demo-clock.json`
 * and resumes where it was; it never runs backwards across restarts. Default: real time.
 */
const scale = Number(process.env.DEMO_TIME_SCALE ?? '1');
if (!Number.isFinite(scale) || scale < 1) {
  err('DEMO_TIME_SCALE 须为不小于 1 的数字');
  process.exit(1);
}
const clockFile = join(dataDir, 'demo-clock.json');
const readSavedDemoTime = (): number => {
  try {
    return Date.parse((JSON.parse(readFileSync(clockFile, 'utf8')) as { now: string }).now) || 0;
  } catch {
    return 0;
  }
};
const savedDemoTime = existsSync(clockFile) ? readSavedDemoTime() : 0;
const clock = scale === 1 && !savedDemoTime ? realClock() : scaledClock(scale, Math.max(Date.now(), savedDemoTime));
if (scale !== 1 || savedDemoTime) {
  const save = () => writeFileSync(clockFile, `${JSON.stringify({ now: clock.now().toISOString(), scale })}\n`);
  setInterval(save, 5_000).unref();
  process.on('exit', save);
}

const started = Date.now();
try {
  // the console is built from web/ when web/dist is missing or older than its sources (infra/local/console.ts)
  const why = consoleBuildNeeded();
  if (why) {
    out(`正在构建网页控制台（${why}）…`);
    await buildConsole(undefined, err);
  }
  out('正在启动本机平台（DynamoDB Local、S3、令牌签发、API 路由）…');
  platform = await startPlatform({
    dataDir,
    ports: portsFromEnv(),
    seed: true,
    clock,
    accessLog: process.env.ACCESS_LOG !== '0',
    log: (line) => err(line),
  });
} catch (e) {
  if ((e as { code?: string }).code === 'EADDRINUSE' || /Address already in use|BindException/.test(String((e as Error).message))) {
    err('启动失败：端口已被占用。可用环境变量 API_PORT（默认 3000）、DYNAMODB_PORT（8000）、S3_PORT（4568）换用其他端口。');
  }
  err(`启动失败：${(e as Error).stack ?? String(e)}`);
  process.exit(1);
}

const p = platform;
// where the running platform is, for `npm run verify` and other local tools
writeFileSync(
  join(dataDir, 'platform.json'),
  `${JSON.stringify({ apiUrl: p.apiUrl, tableName: p.tableName, bucketName: p.bucketName, dynamoEndpoint: p.dynamoEndpoint, s3Endpoint: p.s3Endpoint, region: 'cn-north-1' }, null, 2)}\n`,
);
const seed = p.seedResult;
const users = p.users();
const col = (s: string, w: number) => s + ' '.repeat(Math.max(1, w - [...s].reduce((n, ch) => n + (ch.charCodeAt(0) > 0x2e80 ? 2 : 1), 0)));

out('');
out(`执法档案平台（本机）已启动，用时 ${((Date.now() - started) / 1000).toFixed(1)} 秒`);
out(`  网页控制台     ${p.apiUrl}/`);
out(`  API 根地址     ${p.apiUrl}`);
out(`  OpenAPI 文档   ${p.apiUrl}/openapi.json`);
out(`  接口调试页面   ${p.apiUrl}/docs`);
out(`  健康检查       ${p.apiUrl}/health`);
out(`  DynamoDB Local ${p.dynamoEndpoint}（注意：无绑定地址选项，监听所有网卡）`);
out(`  S3（s3rver）   ${p.s3Endpoint}  存储桶 ${p.bucketName}`);
out(`  数据目录       ${p.dataDir}`);
if (seed) {
  out(
    seed.ok
      ? `  演示数据       首次启动，已创建（${seed.users} 个演示用户）`
      : `  演示数据       创建未完成（${seed.failures.length} 项失败，下次启动将继续）：\n    ${seed.failures.slice(0, 5).join('\n    ')}`,
  );
}
out('');
if (users.length) {
  out('演示用户（本机专用，任何能访问本机 API 的人都可取得令牌）：');
  for (const u of users) {
    const roles = u.roles.map((r) => ROLE_LABELS[r] ?? r).join('、');
    out(`  ${col(u.userId, 24)}${col(u.name, 8)}${col(roles, 22)}${u.agencyName ?? ''}${u.unitName ? ` · ${u.unitName}` : ''}`);
  }
  const example = users.find((u) => u.roles.includes('officer')) ?? users[0]!;
  out('');
  out('获取令牌并调用接口：');
  out(`  TOKEN=$(curl -s -X POST ${p.apiUrl}/local/token -H 'content-type: application/json' -d '{"userId":"${example.userId}"}' | node -pe 'JSON.parse(require("fs").readFileSync(0)).token')`);
  out(`  curl -s ${p.apiUrl}/me -H "authorization: Bearer $TOKEN"`);
} else {
  out('尚无演示用户（演示数据未创建）。');
}
out('');
out('按 Ctrl-C 停止。');
