import { buildConsole, consoleBuildNeeded } from '../../infra/local/console.ts';

/**
 * vitest globalSetup: builds the web console (web/dist) once per run when it is missing or older
 * than its sources, before any test file starts — the end-to-end files (test/e2e/) run in parallel
 * workers and must not build it at the same time.
 */
export default async function setup() {
  if (consoleBuildNeeded()) await buildConsole(undefined, (line) => process.stderr.write(`${line}\n`));
}
