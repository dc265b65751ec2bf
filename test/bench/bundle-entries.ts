import { readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { REPO_ROOT } from '../../infra/aws/archive-function.ts';

/**
 * The Lambda entry points the bundle benchmark (test/bench/bundles.ts) measures: every
 * functions/<surface>/<name>.ts of the surfaces the stack deploys. test/infra/bundles.test.ts checks
 * that this list is exactly the set of functions the synthesized stack deploys, so the benchmark
 * cannot leave a deployed bundle out (or measure one that is not deployed).
 */
export const BUNDLE_SURFACES = ['http', 'events', 'jobs', 'clock'] as const;

export interface BundleEntry {
  /** `<surface>/<name>` */
  name: string;
  /** absolute path of the handler's source file */
  entry: string;
}

export const bundleEntries = (root = join(REPO_ROOT, 'functions')): BundleEntry[] =>
  BUNDLE_SURFACES.flatMap((surface) => {
    let names: string[] = [];
    try {
      names = readdirSync(join(root, surface)).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
    } catch {
      /* no such surface */
    }
    return names.sort().map((f) => ({ name: `${surface}/${basename(f, '.ts')}`, entry: join(root, surface, f) }));
  });
