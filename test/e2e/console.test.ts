import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Platform } from '../../infra/local/platform.ts';
import type { DemoUserRecord } from '../../infra/local/tokens.ts';
import { type Browser, gzippedSize, openConsole, signInAs } from '../../web/test-support/console-driver.ts';
import { quiet, useConsolePlatform } from './support.ts';

/**
 * The web console end to end: the embedded platform (its own ports, in-memory data, the demo
 * seed) serves the built console at its origin; Debian's Chromium signs in through 演示登录 as
 * the demo users and does their work; the next role sees the result. axe-core runs on every page
 * visited (0 serious or critical violations); screenshots go to web/test-results/screenshots/.
 */
let platform: Platform;
let browser: Browser;
useConsolePlatform('console', (p, b) => {
  platform = p;
  browser = b;
});

const user = (userId: string): DemoUserRecord => {
  const u = platform.users().find((x) => x.userId === userId);
  if (!u) throw new Error(`demo user ${userId} missing from the seed`);
  return u;
};

/** the API as a user, for the few steps a test prepares outside the browser */
const apiAs = async (userId: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
  const token = await platform.issueToken(user(userId));
  const res = await fetch(`${platform.apiUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}), ...headers },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, etag: res.headers.get('etag') ?? '', json: (await res.json()) as Record<string, unknown> };
};

describe('web console (演示登录, 我的档案, 审核/归档, 待办与期限, 审计)', () => {
  it('is served at the API origin under a strict CSP, with console paths falling back to index.html', async () => {
    const root = await fetch(`${platform.apiUrl}/console/my-file`);
    expect(root.status).toBe(200);
    expect(root.headers.get('content-type')).toMatch(/^text\/html/);
    const csp = root.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(csp).toContain("frame-ancestors 'none'");
    const html = await root.text();
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/); // no inline script in the page
    expect((await fetch(`${platform.apiUrl}/.vite/manifest.json`)).status).toBe(404); // build bookkeeping is not served
    const config = await (await fetch(`${platform.apiUrl}/config.json`)).json();
    expect(config).toMatchObject({ apiBaseUrl: '', auth: { kind: 'localDemo' } });
    // API routes are untouched: /audit is still the API (401 without a token)
    const audit = await fetch(`${platform.apiUrl}/audit`);
    expect(audit.status).toBe(401);
    expect(audit.headers.get('content-type')).toBe('application/problem+json');
  });

  it('an officer signs in through 演示登录 and sees the timeline of their file, an entry with its chain status and the verified chain', async () => {
    const s = await openConsole(browser, platform.apiUrl);
    try {
      await s.page.goto('/console/login');
      await s.page.getByRole('heading', { name: '演示登录' }).waitFor();
      await s.page.getByRole('button', { name: /（qs-officer-machao）身份登录/ }).waitFor();
      const firstRoute = gzippedSize(s.scripts);
      process.stdout.write(`[e2e] first route (sign-in page) JavaScript: ${(firstRoute / 1024).toFixed(1)} KiB gzipped in ${new Set(s.scripts).size} files\n`);
      expect(await s.audit('login')).toEqual([]);
      await s.screenshot('01-login');

      await s.page.getByRole('button', { name: /（qs-officer-machao）身份登录/ }).click();
      await s.page.waitForURL('**/console/my-file');
      await s.page.getByRole('heading', { name: '档案时间线' }).waitFor();
      const timeline = s.page.locator('.ant-timeline');
      await expect.poll(() => timeline.getByRole('button', { name: '年度执法考核结果' }).count()).toBe(1);
      await expect.poll(() => timeline.getByRole('button', { name: '新任执法人员岗前培训' }).count()).toBe(1);
      expect(await s.page.getByText(/2026年\d+月\d+日|2025年\d+月\d+日/).count()).toBeGreaterThan(0);
      expect(await s.audit('my-file')).toEqual([]);
      await s.screenshot('02-officer-timeline');

      // by category: 考核结果 only
      await s.page.getByText('考核结果', { exact: true }).first().click();
      await expect.poll(() => timeline.getByRole('button').count()).toBe(1);
      await s.page.getByText('全部', { exact: true }).click();

      await s.page.getByRole('button', { name: '校验档案哈希链' }).click();
      await s.page.getByText(/档案哈希链完整：共 \d+ 条/).waitFor();

      await timeline.getByRole('button', { name: '年度执法考核结果' }).click();
      const drawer = s.page.getByRole('dialog');
      await drawer.getByText('已校验，完整').waitFor();
      await drawer.getByText('优秀').waitFor();
      expect(await s.audit('entry-drawer')).toEqual([]);
      await s.screenshot('03-entry-detail');
      expect(s.problems).toEqual([]);
    } finally {
      await s.close();
    }
  });

  it('a department head approves one submitted entry and sends another back with a reason; the officer sees the reason', async () => {
    // Prepare: 罗婷 drafts and submits a work summary (the seed already left an inspection under review)
    const luoting = user('qs-officer-luoting');
    const draft = await apiAs(
      'qs-officer-luoting',
      'POST',
      `/officers/${luoting.officerId}/file/drafts`,
      {
        type: 'workSummary',
        occurredOn: '2026-11-30',
        title: '十一月执法工作小结',
        content: { period: '2026年11月', body: '参与执法检查3次。' },
      },
      { 'idempotency-key': `e2e-${Date.now()}` },
    );
    expect(draft.status).toBe(201);
    const submitted = await apiAs('qs-officer-luoting', 'POST', `/officers/${luoting.officerId}/file/drafts/${draft.json.entryId as string}/submit`, undefined, { 'if-match': draft.etag });
    expect(submitted.status).toBe(200);

    const head = await openConsole(browser, platform.apiUrl);
    try {
      await signInAs(head, 'qs-head-enf1');
      await head.page.getByRole('link', { name: '审核待办' }).click();
      await head.page.waitForURL('**/console/review');
      const queue = head.page.getByRole('region', { name: '待审核的档案条目' });
      await queue.getByRole('article', { name: /罗婷：双随机抽查/ }).waitFor();
      await queue.getByRole('article', { name: /罗婷：十一月执法工作小结/ }).waitFor();
      expect(await head.audit('review-queue')).toEqual([]);
      await head.screenshot('04-review-queue');

      await queue.getByRole('button', { name: '审核通过：双随机抽查：辖区法律服务机构' }).click();
      let dialog = head.page.getByRole('dialog', { name: '审核通过' });
      await dialog.getByLabel('审核意见（可选）').fill('情况属实');
      await dialog.getByRole('button', { name: '通过' }).click();
      await head.page.getByText('已审核通过').waitFor();
      await expect.poll(() => queue.getByRole('article', { name: /双随机抽查/ }).count()).toBe(0);

      await queue.getByRole('button', { name: '退回：十一月执法工作小结' }).click();
      dialog = head.page.getByRole('dialog', { name: '退回档案条目' });
      // the reason is required: the form refuses before anything is sent (clicked once the dialog has finished opening)
      await dialog.getByLabel('退回理由').waitFor();
      await quiet(head);
      await dialog.getByRole('button', { name: '退回', exact: true }).click();
      await dialog.getByText('请填写退回理由').waitFor();
      expect(await head.audit('reject-dialog')).toEqual([]);
      await dialog.getByLabel('退回理由').fill('请补充检查记录编号后重新提交');
      await head.screenshot('05-reject-dialog');
      await dialog.getByRole('button', { name: '退回', exact: true }).click();
      await head.page.getByText('已退回').first().waitFor();
      await head.page.getByText('没有待审核的档案条目').waitFor();
      expect(head.problems).toEqual([]);
    } finally {
      await head.close();
    }

    const officer = await openConsole(browser, platform.apiUrl);
    try {
      await signInAs(officer, 'qs-officer-luoting');
      const pending = officer.page.getByRole('list', { name: '记录流程中的条目' });
      await pending.getByText('退回理由：请补充检查记录编号后重新提交').waitFor();
      await pending.getByText('已审核待录入').waitFor();
      expect(await officer.audit('officer-pending')).toEqual([]);
      await officer.screenshot('06-officer-sees-rejection');
      expect(officer.problems).toEqual([]);
    } finally {
      await officer.close();
    }
  });

  it("an officer acknowledges a conclusive entry, the recorder archives it, and it appears in the officer's timeline", async () => {
    const officer = await openConsole(browser, platform.apiUrl);
    try {
      await signInAs(officer, 'qs-officer-liangbin');
      await officer.page.getByText(/待您确认知悉/).waitFor();
      await officer.page.getByRole('button', { name: '确认知悉' }).click();
      const dialog = officer.page.getByRole('dialog', { name: '确认知悉结论性材料' });
      await dialog.getByLabel('意见（可选）').fill('本人已阅');
      expect(await officer.audit('acknowledge-dialog')).toEqual([]);
      await dialog.getByRole('button', { name: /确认知悉/ }).click();
      await officer.page.getByText('已确认知悉，待记录员录入档案').waitFor();
      await officer.page.getByRole('list', { name: '记录流程中的条目' }).getByText('本人已知悉待录入').waitFor();
      expect(officer.problems).toEqual([]);
    } finally {
      await officer.close();
    }

    const recorder = await openConsole(browser, platform.apiUrl);
    try {
      await signInAs(recorder, 'qs-recorder');
      await recorder.page.waitForURL('**/console/archive');
      const queue = recorder.page.getByRole('region', { name: '待录入档案的条目' });
      await queue.getByRole('article', { name: /梁斌.*关于群众反映执法态度问题的调查结论/ }).waitFor();
      expect(await recorder.audit('archive-queue')).toEqual([]);
      await recorder.screenshot('07-archive-queue');
      await queue.getByRole('button', { name: '录入档案：关于群众反映执法态度问题的调查结论' }).click();
      await recorder.page.getByRole('dialog', { name: '录入档案' }).getByRole('button', { name: '确认录入' }).click();
      await recorder.page.getByText(/已录入档案（第 \d+ 条）/).waitFor();
      expect(recorder.problems).toEqual([]);
    } finally {
      await recorder.close();
    }

    const again = await openConsole(browser, platform.apiUrl);
    try {
      await signInAs(again, 'qs-officer-liangbin');
      await again.page.locator('.ant-timeline').getByRole('button', { name: '关于群众反映执法态度问题的调查结论' }).waitFor();
      await again.screenshot('08-archived-in-timeline');
    } finally {
      await again.close();
    }
  });

  it('the handler of a complaint asks for an extension from the message that assigned it; leadership approves it on the work list and sees the new due date explained', async () => {
    const officer = await openConsole(browser, platform.apiUrl);
    try {
      await signInAs(officer, 'qs-officer-luoting');
      await officer.page.getByRole('link', { name: /消息/ }).click();
      await officer.page.waitForURL('**/console/inbox');
      await officer.page.getByText('投诉举报：市民反映执法人员检查时态度生硬（未读）').waitFor();
      expect(await officer.audit('inbox')).toEqual([]);
      await officer.screenshot('09-inbox');
      await officer.page.getByRole('button', { name: '查看消息：投诉举报：市民反映执法人员检查时态度生硬' }).click();
      await officer.page.getByRole('dialog').getByRole('link', { name: '查看相关事项' }).click();
      await officer.page.getByRole('heading', { name: /市民反映执法人员检查时态度生硬/ }).waitFor();
      await officer.page.getByRole('button', { name: '申请延期' }).click();
      const dialog = officer.page.getByRole('dialog', { name: '申请延期' });
      await dialog.getByLabel('延期理由').fill('需补充调取执法记录仪视频');
      expect(await officer.audit('request-extension')).toEqual([]);
      await dialog.getByRole('button', { name: '提交' }).click();
      await officer.page.getByText('申请延期已提交').waitFor();
      await officer.page.getByText('有待审批的延期申请').waitFor();
      expect(officer.problems).toEqual([]);
    } finally {
      await officer.close();
    }

    const leader = await openConsole(browser, platform.apiUrl);
    try {
      await signInAs(leader, 'qs-leader');
      await leader.page.waitForURL('**/console/work');
      await leader.page.getByRole('columnheader', { name: '红黄牌' }).waitFor();
      expect(await leader.audit('work-list')).toEqual([]);
      await leader.screenshot('10-work-list');
      await leader.page.getByRole('link', { name: '市民反映执法人员检查时态度生硬' }).click();
      await leader.page.getByRole('heading', { name: '期限说明' }).waitFor();
      // the base due date: every skipped day listed with its reason
      await leader.page.getByRole('columnheader', { name: '跳过的日期' }).first().waitFor();
      expect(await leader.page.getByRole('cell', { name: '周末休息日' }).count()).toBeGreaterThan(0);
      await leader.page.getByText('申请延期').first().waitFor();
      expect(await leader.audit('process-detail')).toEqual([]);
      await leader.page.getByRole('button', { name: '审批延期' }).click();
      const dialog = leader.page.getByRole('dialog', { name: '审批延期' });
      await dialog.getByLabel('说明（可选）').fill('同意延期');
      await dialog.getByRole('button', { name: '提交' }).click();
      await leader.page.getByText('审批延期已提交').waitFor();
      await leader.page.getByText('第 1 次延期').waitFor();
      await leader.page.getByText(/延长 15 日.*理由：需补充调取执法记录仪视频/).waitFor();
      await leader.screenshot('11-extension-approved');
      expect(leader.problems).toEqual([]);
    } finally {
      await leader.close();
    }
  });

  it('the auditor searches the audit records, exports them as CSV and verifies the audit chains', async () => {
    const auditor = await openConsole(browser, platform.apiUrl);
    try {
      await signInAs(auditor, 'city-auditor');
      await auditor.page.waitForURL('**/console/audit');
      await auditor.page.getByRole('columnheader', { name: '操作人' }).waitFor();
      expect(await auditor.page.getByRole('row').count()).toBeGreaterThan(1);
      expect(await auditor.audit('audit')).toEqual([]);
      await auditor.screenshot('12-audit');

      // a filter the API refuses: its problem+json field path (query.objectId) lands on that field
      const objectId = auditor.page.getByLabel('对象编号');
      await objectId.fill('x'.repeat(65));
      await auditor.page.getByRole('button', { name: '查询' }).click();
      const field = auditor.page.locator('.ant-form-item').filter({ has: objectId });
      await field.locator('.ant-form-item-explain-error').waitFor();
      expect(await field.locator('.ant-form-item-explain-error').textContent()).not.toBe('');
      await auditor.page.getByText('请求内容未通过校验，请按字段提示修改').waitFor();
      expect(await auditor.audit('audit-refused-filter')).toEqual([]);
      await objectId.fill('');
      await auditor.page.getByRole('button', { name: '查询' }).click();
      await auditor.page.getByRole('columnheader', { name: '操作人' }).waitFor();

      const [download] = await Promise.all([auditor.page.waitForEvent('download'), auditor.page.getByRole('button', { name: '导出 CSV' }).click()]);
      expect(download.suggestedFilename()).toMatch(/^审计记录-\d{4}-\d{2}-\d{2}\.csv$/);
      const csv = readFileSync(await download.path(), 'utf8');
      expect(csv.replace(/^\uFEFF/, '').split('\n')[0]).toMatch(/^at,actor,roles/);
      expect(csv.split('\n').length).toBeGreaterThan(2);

      await auditor.page.getByRole('button', { name: '校验本机关全部审计链' }).click();
      await auditor.page.getByText(/审计链完整：\d+ 条链、共 \d+ 条记录逐条校验通过/).waitFor();
      await auditor.screenshot('13-audit-verified');
      expect(auditor.problems).toEqual([]);
    } finally {
      await auditor.close();
    }
  });
});
