import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Platform } from '../../infra/local/platform.ts';
import { type Browser, DIST_DIR, openConsole, signInAs } from '../../web/test-support/console-driver.ts';
import { quiet, useConsolePlatform } from './support.ts';

/**
 * The web console's 规则与日历 (系统管理员) and 概览 (leadership) end to end on the embedded
 * platform: rule versions with their citations, a holiday year published by the root agency's
 * administrator and seen by a district's administrator; the leadership's charts (ECharts loaded by
 * that page alone). axe-core on every page visited; screenshots in web/test-results/.
 */
let platform: Platform;
let browser: Browser;
useConsolePlatform('admin', (p, b) => {
  platform = p;
  browser = b;
});

/** ECharts marks the element it draws in with this attribute; it is in its code and nowhere else */
const loadsECharts = (scripts: string[]) => [...new Set(scripts)].some((p) => readFileSync(join(DIST_DIR, p), 'utf8').includes('_echarts_instance_'));

describe('web console: 规则与日历, 概览', () => {
  it("the root agency's administrator reads the rule versions with their citations and publishes a holiday year; a district's administrator sees it", async () => {
    const admin = await openConsole(browser, platform.apiUrl);
    try {
      await signInAs(admin, 'city-sysadmin');
      await admin.page.waitForURL('**/console/rules');
      const rules = admin.page.getByRole('region', { name: '规则版本' });
      const c8 = rules.getByRole('row').filter({ hasText: '重大行政处罚标准与备案期限' });
      await c8.getByText('《大同手册》 备案审查 §3–9（docs/rules.md C8）').waitFor();
      await c8.getByText('organisationFineFrom：15000').waitFor();
      await c8.getByText('filingPeriod：30 日（自然日）').waitFor();
      await c8.getByRole('button', { name: /展开/ }).click();
      await admin.page.getByRole('region', { name: 'C8 的全部版本' }).getByRole('row').filter({ hasText: 'C8-default-1' }).getByText('产品默认').waitFor();
      expect(await admin.audit('rules')).toEqual([]);
      await admin.screenshot('admin-01-rules');

      await admin.page.getByRole('button', { name: '发布节假日安排' }).click();
      const dialog = admin.page.getByRole('dialog', { name: '发布节假日安排' });
      await dialog.getByLabel('年度').fill('2031');
      await dialog.getByLabel('通知文号').fill('国办发明电〔2030〕9号');
      await dialog.getByLabel('通知标题').fill('国务院办公厅关于2031年部分节假日安排的通知');
      await dialog.getByLabel('假期1 日期').click();
      await dialog.getByLabel('假期1 日期').fill('2031年1月1日');
      await admin.page.keyboard.press('Enter');
      await dialog.getByPlaceholder('结束日期').fill('2031年1月3日');
      await admin.page.keyboard.press('Enter');
      await quiet(admin);
      expect(await admin.audit('publish-year')).toEqual([]);
      await admin.screenshot('admin-02-publish-year');
      await dialog.getByRole('button', { name: /^发\s?布$/ }).click();
      await dialog.getByText(/已发布 2031 年节假日安排（第 \d+ 版）/).waitFor();
      await dialog.getByText(/依赖 2031 年日历的在办期限已由系统重算/).waitFor();
      await dialog.getByRole('button', { name: /^完\s?成$/ }).click();
      await admin.page.getByRole('region', { name: '已公布的年度' }).getByRole('row').filter({ hasText: '国办发明电〔2030〕9号' }).waitFor();
      expect(admin.problems).toEqual([]);
    } finally {
      await admin.close();
    }

    const district = await openConsole(browser, platform.apiUrl);
    try {
      await signInAs(district, 'qs-sysadmin');
      await district.page.waitForURL('**/console/rules');
      const years = district.page.getByRole('region', { name: '已公布的年度' });
      await years.getByRole('row').filter({ hasText: '2031 年' }).getByText('国务院办公厅关于2031年部分节假日安排的通知（国办发明电〔2030〕9号）').waitFor();
      // only the root agency's administrator publishes the State Council's calendar: the API says so in Chinese
      await district.page.getByRole('button', { name: '发布节假日安排' }).click();
      const dialog = district.page.getByRole('dialog', { name: '发布节假日安排' });
      await dialog.getByLabel('通知文号').fill('青山区通知');
      await dialog.getByLabel('通知标题').fill('不应由区级发布');
      await dialog.getByLabel('假期1 日期').click();
      await dialog.getByLabel('假期1 日期').fill('2032年1月1日');
      await district.page.keyboard.press('Enter');
      await dialog.getByPlaceholder('结束日期').fill('2032年1月1日');
      await district.page.keyboard.press('Enter');
      await dialog.getByLabel('年度').fill('2032');
      await dialog.getByRole('button', { name: /^发\s?布$/ }).click();
      await dialog.getByText('国务院节假日安排由平台根机关的系统管理员发布；本机关可登记停止办公日').waitFor();
      expect(district.problems).toEqual([]);
    } finally {
      await district.close();
    }
  }, 180_000);

  it("leadership's 概览 charts the open processes by state and kind, lateness and overdue by department, with ECharts loaded by that page only", async () => {
    const leader = await openConsole(browser, platform.apiUrl);
    try {
      await signInAs(leader, 'qs-leader');
      await leader.page.waitForURL('**/console/work');
      expect(loadsECharts(leader.scripts)).toBe(false);
      await leader.page.getByRole('link', { name: '概览' }).click();
      await leader.page.waitForURL('**/console/overview');
      await leader.page.getByText(/^在办事项按状态：/).waitFor();
      await leader.page.getByText(/^在办事项按类别：/).waitFor();
      await leader.page.getByText(/^逾期事项按逾期天数：逾期 1–3 日 \d+/).waitFor();
      expect(await leader.page.locator('[_echarts_instance_]').count()).toBeGreaterThanOrEqual(3);
      expect(loadsECharts(leader.scripts)).toBe(true);
      await quiet(leader);
      expect(await leader.audit('overview')).toEqual([]);
      await leader.screenshot('admin-03-overview');
      expect(leader.problems).toEqual([]);
    } finally {
      await leader.close();
    }
  }, 120_000);
});
