import { describe, expect, it } from 'vitest';
import type { Platform } from '../../infra/local/platform.ts';
import { type Browser, openConsole, signInAs } from '../../web/test-support/console-driver.ts';
import { choose, formItem, quiet, useConsolePlatform } from './support.ts';

/**
 * The web console's entry forms generated from the API's JSON Schemas end to end: an officer drafts
 * a training entry (a refusal of the API lands on the generated field), submits it, and the
 * department head finds it in the review queue; the officer's record-keeping (D2); the recorder
 * drafts for an officer. axe-core on every page visited; screenshots in web/test-results/.
 */
let platform: Platform;
let browser: Browser;
useConsolePlatform('entries', (p, b) => {
  platform = p;
  browser = b;
});
const title = `岗位练兵培训（${Date.now() % 100_000}）`;

describe('web console: entry forms from the schemas, record-keeping (D2), access grants (A8)', () => {
  it("an officer drafts a training entry on the form generated from its schema (the API's refusal on 学时), submits it; the department head sees it to review", async () => {
    const officer = await openConsole(browser, platform.apiUrl);
    try {
      await signInAs(officer, 'qs-officer-luoting');
      await officer.page.getByRole('link', { name: '录入档案条目' }).click();
      await officer.page.getByRole('heading', { name: '录入档案条目', level: 1 }).waitFor();
      await choose(officer, '条目类型', '培训情况', '培训');
      const content = officer.page.getByRole('group', { name: '培训情况：内容' });
      await content.getByLabel('培训课程').waitFor();
      expect(await officer.audit('draft-form')).toEqual([]);
      await officer.page.getByLabel('标题', { exact: true }).fill(title);
      await content.getByLabel('培训课程').fill('执法记录仪规范使用');
      await content.getByLabel('学时').fill('0');
      await choose(officer, '结果', '合格');
      await officer.page.getByRole('button', { name: '保存并提交审核' }).click();
      // the schema says hours > 0: the API refuses with body.content.hours, shown on 学时
      await formItem(officer, '学时').locator('.ant-form-item-explain-error').first().waitFor();
      await quiet(officer);
      expect(await officer.audit('draft-refused')).toEqual([]);
      await officer.screenshot('entries-01-draft-refused');
      await content.getByLabel('学时').fill('8');
      await officer.page.getByRole('button', { name: '保存并提交审核' }).click();
      await officer.page.getByText(`《${title}》已提交部门负责人审核`).waitFor();

      await officer.page.getByRole('link', { name: '我的存储情况' }).click();
      await officer.page.getByRole('heading', { name: /我的存储情况/ }).waitFor();
      await officer.page.getByText('当日存储').waitFor();
      await officer.page.getByText('迟延存储', { exact: true }).waitFor();
      await quiet(officer);
      expect(await officer.audit('record-keeping')).toEqual([]);
      await officer.screenshot('entries-02-record-keeping');
      expect(officer.problems).toEqual([]);
    } finally {
      await officer.close();
    }

    const head = await openConsole(browser, platform.apiUrl);
    try {
      await signInAs(head, 'qs-head-enf1');
      await head.page.getByRole('link', { name: '审核待办' }).click();
      await head.page
        .getByRole('region', { name: '待审核的档案条目' })
        .getByRole('article', { name: new RegExp(`罗婷：${title.replace(/[()（）]/g, '.')}`) })
        .waitFor();
      expect(head.problems).toEqual([]);
    } finally {
      await head.close();
    }
  }, 180_000);

  it('the designated recorder drafts a work summary for an officer of the agency', async () => {
    const recorder = await openConsole(browser, platform.apiUrl);
    try {
      await signInAs(recorder, 'qs-recorder');
      await recorder.page.getByRole('link', { name: '录入档案条目' }).click();
      await choose(recorder, '执法人员', '梁斌（QS0104）', '梁斌');
      await choose(recorder, '条目类型', '工作总结', '工作总结');
      const content = recorder.page.getByRole('group', { name: '工作总结：内容' });
      await recorder.page.getByLabel('标题', { exact: true }).fill('十一月工作总结');
      await content.getByLabel('期间').fill('2026年11月');
      await content.getByLabel('内容').fill('参与执法检查2次。');
      await recorder.page.getByRole('button', { name: '保存草稿' }).click();
      await recorder.page.getByText('《十一月工作总结》已保存为草稿').waitFor();
      await quiet(recorder);
      expect(await recorder.audit('recorder-draft')).toEqual([]);
      await recorder.screenshot('entries-03-recorder-draft');
      expect(recorder.problems).toEqual([]);
    } finally {
      await recorder.close();
    }
  }, 120_000);

  it("a department head asks to read another department's officer's file (A8 refuses too many days on 期限), the political department approves, the requester sees it approved", async () => {
    const requester = await openConsole(browser, platform.apiUrl);
    const approver = await openConsole(browser, platform.apiUrl);
    try {
      await signInAs(requester, 'qs-head-enf2');
      await requester.page.getByRole('link', { name: '查阅授权' }).click();
      await requester.page.getByRole('heading', { name: '查阅授权', level: 1 }).waitFor();
      await choose(requester, '档案所属执法人员', '马超（QS0102）', '马超');
      await requester.page.getByLabel('期限（日）').fill('60');
      await requester.page.getByLabel('用途').fill('核查联合执法检查记录');
      await requester.page.getByRole('button', { name: '提交申请' }).click();
      await formItem(requester, '期限（日）').getByText('不得超过 30 日').waitFor();
      await quiet(requester);
      expect(await requester.audit('grant-refused')).toEqual([]);
      await requester.screenshot('entries-04-grant-refused');
      await requester.page.getByLabel('期限（日）').fill('15');
      await requester.page.getByRole('button', { name: '提交申请' }).click();
      const mine = requester.page.getByRole('region', { name: '我的查阅授权' });
      await mine.getByRole('row').filter({ hasText: '核查联合执法检查记录' }).getByText('待审批').waitFor();

      await signInAs(approver, 'qs-political');
      await approver.page.getByRole('link', { name: '查阅授权' }).click();
      await choose(approver, '档案', '马超（QS0102）', '马超');
      const requests = approver.page.getByRole('region', { name: '档案的查阅授权申请' });
      await requests.getByRole('button', { name: '批准：核查联合执法检查记录' }).click();
      await requests.getByRole('row').filter({ hasText: '核查联合执法检查记录' }).getByText('已批准').waitFor();
      await quiet(approver);
      expect(await approver.audit('grant-approval')).toEqual([]);
      await approver.screenshot('entries-05-grant-approved');

      await requester.page.reload();
      await requester.page.getByRole('region', { name: '我的查阅授权' }).getByRole('row').filter({ hasText: '核查联合执法检查记录' }).getByText('已批准').waitFor();
      expect(requester.problems).toEqual([]);
      expect(approver.problems).toEqual([]);
    } finally {
      await requester.close();
      await approver.close();
    }
  }, 180_000);
});
