import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import { type Platform, startPlatform } from '../../infra/local/platform.ts';
import { type Browser, type ConsoleSession, launchChromium } from '../../web/test-support/console-driver.ts';

/**
 * One embedded platform (its own ports, in-memory data, the demo seed) and one headless Chromium
 * per end-to-end test file. The console itself is built once per run, before any file starts
 * (test/support/console-build.ts), so two files never build web/dist at the same time.
 */
export const useConsolePlatform = (name: string, ready: (platform: Platform, browser: Browser) => void) => {
  const dataDir = mkdtempSync(join(tmpdir(), `archive-e2e-${name}-`));
  let platform: Platform | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    platform = await startPlatform({ dataDir, inMemory: true, seed: true, reconcileEveryMs: 0 });
    expect(platform.seedResult?.ok).toBe(true);
    browser = await launchChromium();
    ready(platform, browser);
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });
};

/** lets transitions finish (polled: on a busy machine the driver's own wait can starve) */
export const quiet = async (x: ConsoleSession) => {
  for (let i = 0; i < 30; i++) {
    const running = await x.page.evaluate(() => (globalThis as unknown as { document: { getAnimations(): { playState: string }[] } }).document.getAnimations().some((a) => a.playState === 'running'));
    if (!running) return;
    await x.page.waitForTimeout(200);
  }
};

/** picks an option of an antd Select by its label (typing `search` first when given) */
export const choose = async (s: ConsoleSession, label: string, option: string, search?: string) => {
  const field = s.page.getByLabel(label, { exact: true });
  await field.click();
  if (search) await field.fill(search);
  await s.page.locator('.ant-select-dropdown:visible').getByTitle(option, { exact: true }).click();
};

/** the antd form item holding the field of that label (its error message is inside) */
export const formItem = (s: ConsoleSession, label: string) => s.page.locator('.ant-form-item').filter({ has: s.page.getByLabel(label, { exact: true }) });
