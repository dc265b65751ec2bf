import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';

export type { Browser };

/**
 * Drives the web console in Debian's Chromium (playwright-core, no downloaded browser) for the
 * end-to-end tests (test/e2e/): a fresh context per user (its own sessionStorage), axe-core on
 * every page visited, screenshots at 1366×768 into web/test-results/ (git-ignored), and a record
 * of what the page loaded and of every console error (a CSP violation is one).
 */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
export const VIEWPORT = { width: 1366, height: 768 };
export const SCREENSHOT_DIR = fileURLToPath(new URL('../test-results/screenshots/', import.meta.url));
export const DIST_DIR = fileURLToPath(new URL('../dist/', import.meta.url));

const requireHere = createRequire(import.meta.url);
let axeSource: string | undefined;
const axe = () => (axeSource ??= readFileSync(requireHere.resolve('axe-core/axe.min.js'), 'utf8'));

/**
 * Resolves once no finite CSS animation or transition is running (dialogs and drawers have finished
 * opening or closing). Endless ones (a spinner while a status is polled, an active progress bar)
 * never finish and are not waited for.
 */
const settled = (page: Page) =>
  page.waitForFunction(() =>
    (globalThis as unknown as { document: { getAnimations(): { playState: string; effect: { getTiming(): { iterations?: number } } | null }[] } }).document
      .getAnimations()
      .every((a) => a.playState !== 'running' || a.effect?.getTiming().iterations === Number.POSITIVE_INFINITY),
  );

export const launchChromium = (): Promise<Browser> => chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS });

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

export interface ConsoleSession {
  context: BrowserContext;
  page: Page;
  /** console errors, page errors and failed requests seen so far */
  problems: string[];
  /** paths of the scripts the page loaded (`/assets/…js`) */
  scripts: string[];
  /** axe-core: serious and critical violations of WCAG 2.x A/AA on the page as it is now */
  audit(label: string): Promise<AxeViolation[]>;
  screenshot(name: string): Promise<string>;
  close(): Promise<void>;
}

export const openConsole = async (browser: Browser, baseUrl: string): Promise<ConsoleSession> => {
  const context = await browser.newContext({ baseURL: baseUrl, viewport: VIEWPORT, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  const page = await context.newPage();
  const problems: string[] = [];
  const scripts: string[] = [];
  page.on('console', (m) => {
    // an API refusal (4xx) is part of what the console shows; Chromium logs each one as an error
    if (m.type() === 'error' && !/^Failed to load resource: the server responded with a status of 4\d\d/.test(m.text())) problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('requestfailed', (r) => problems.push(`requestfailed: ${r.url()} ${r.failure()?.errorText ?? ''}`));
  page.on('response', (r) => {
    const u = new URL(r.url());
    if (u.pathname.endsWith('.js')) scripts.push(u.pathname);
  });
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  return {
    context,
    page,
    problems,
    scripts,
    audit: async () => {
      // a half-transparent frame of a dialog fading in has no meaningful contrast
      await settled(page);
      // evaluated through the DevTools protocol, which the page's CSP does not govern: no inline script is added
      await page.evaluate(axe());
      // runs in the page (this file is type-checked without the DOM library: the page's globals come from globalThis)
      const result = await page.evaluate(async () => {
        const g = globalThis as unknown as {
          document: unknown;
          axe: { run: (ctx: unknown, opts: unknown) => Promise<{ violations: { id: string; impact: string | null; help: string; nodes: { target: unknown[] }[] }[] }> };
        };
        return g.axe.run(g.document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }, resultTypes: ['violations'] });
      });
      return result.violations
        .filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => JSON.stringify(n.target)) }));
    },
    screenshot: async (name) => {
      await settled(page);
      const file = join(SCREENSHOT_DIR, `${name}.png`);
      await page.screenshot({ path: file, fullPage: false });
      return file;
    },
    close: () => context.close(),
  };
};

/** 演示登录: open the sign-in page and pick the demo user (the page lists `GET /local/users`). */
export const signInAs = async (s: ConsoleSession, userId: string) => {
  await s.page.goto('/console/login');
  await s.page.getByRole('button', { name: new RegExp(`（${userId}）身份登录`) }).click();
  await s.page.getByTestId('current-user').waitFor();
};

/** Gzipped size of the built files a page loaded (what a CDN with compression would send). */
export const gzippedSize = (paths: string[]) => [...new Set(paths)].reduce((n, p) => n + gzipSync(readFileSync(join(DIST_DIR, p))).length, 0);
