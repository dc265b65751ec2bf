import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

/**
 * JavaScript each console route needs, gzipped, from the build manifest (run after `npm run
 * build`): the entry and everything it imports statically, plus the route's lazily loaded chunks
 * (the sign-in page, or the signed-in frame and the page) with their static imports. Budgets of
 * issue 10: the first route ≤ 300 KB, no route over 600 KB. Prints one line per route; with
 * `--json` prints the figures as JSON (for the benchmark report).
 */
interface Chunk {
  file: string;
  imports?: string[];
  dynamicImports?: string[];
  isEntry?: boolean;
  css?: string[];
}
const dist = fileURLToPath(new URL('../dist/', import.meta.url));
const manifest = JSON.parse(readFileSync(join(dist, '.vite', 'manifest.json'), 'utf8')) as Record<string, Chunk>;

const closure = (keys: string[], seen = new Set<string>()): Set<string> => {
  for (const k of keys) {
    if (seen.has(k)) continue;
    seen.add(k);
    closure(manifest[k]?.imports ?? [], seen);
  }
  return seen;
};
const gz = (keys: Set<string>) => [...keys].reduce((n, k) => n + gzipSync(readFileSync(join(dist, manifest[k]!.file))).length, 0);
const key = (suffix: string) => {
  const k = Object.keys(manifest).find((x) => x.endsWith(suffix));
  if (!k) throw new Error(`no chunk for ${suffix} in the build manifest`);
  return k;
};

const entry = Object.keys(manifest).find((k) => manifest[k]!.isEntry)!;
const base = [entry];
const shell = [...base, key('src/app/AppShell.tsx')];
const routes: Record<string, string[]> = {
  '/console/login（首屏）': [...base, key('src/auth/LoginPage.tsx')],
  '/console/my-file': [...shell, key('src/pages/my-file/MyFilePage.tsx')],
  '/console/review': [...shell, key('src/pages/queues/ReviewQueuePage.tsx')],
  '/console/archive': [...shell, key('src/pages/queues/ArchiveQueuePage.tsx')],
  '/console/work': [...shell, key('src/pages/work/WorkListPage.tsx')],
  '/console/work/:processId': [...shell, key('src/pages/work/ProcessPage.tsx')],
  '/console/inbox': [...shell, key('src/pages/inbox/InboxPage.tsx')],
  '/console/audit': [...shell, key('src/pages/audit/AuditPage.tsx')],
  '/console/cases': [...shell, key('src/pages/cases/CaseListPage.tsx')],
  '/console/cases/:caseId': [...shell, key('src/pages/cases/CasePage.tsx')],
  '/console/drafts/new': [...shell, key('src/pages/drafts/DraftEntryPage.tsx')],
  '/console/record-keeping': [...shell, key('src/pages/drafts/RecordKeepingPage.tsx')],
  '/console/grants': [...shell, key('src/pages/grants/GrantsPage.tsx')],
  '/console/rules': [...shell, key('src/pages/rules/RulesPage.tsx')],
  '/console/overview': [...shell, key('src/pages/overview/OverviewPage.tsx')],
};
const figures = Object.fromEntries(Object.entries(routes).map(([r, keys]) => [r, gz(closure(keys))]));
if (process.argv.includes('--json')) process.stdout.write(`${JSON.stringify(figures)}\n`);
else for (const [r, n] of Object.entries(figures)) process.stdout.write(`${r.padEnd(28)} ${(n / 1024).toFixed(1)} KiB gzipped\n`);
