import { describe, expect, it } from 'vitest';
import type { Platform } from '../../infra/local/platform.ts';
import { type Browser, openConsole, signInAs } from '../../web/test-support/console-driver.ts';
import { choose, formItem, quiet, useConsolePlatform } from './support.ts';

/**
 * The web console's 案件 page (一案一表, A2) end to end: a department head files a case and records
 * its steps, each refusal of the API (E1 certificate, E5 notice, E6 minutes, C1/C8 major decision)
 * shown on the field it concerns; the agency's leadership then finds the case in the list and
 * records the decision. axe-core on every page visited; screenshots in web/test-results/.
 */
let platform: Platform;
let browser: Browser;
useConsolePlatform('cases', (p, b) => {
  platform = p;
  browser = b;
});
const caseNumber = `青司罚〔2026〕${Date.now() % 100_000}号`;
const caseTitle = '某法律服务所超越执业范围案';

/** antd Select: open the field by its label, pick the option by its text (typing first when the select searches) */
/** the form item (label, control, its error) that holds the control labelled `label` */

/** lets the field-error and focus transitions of a refused form finish (polled: on a busy machine the driver's own wait can starve) */
describe('web console: 案件 (一案一表)', () => {
  it('a department head files a case and records its steps, each refusal (E1, E5, E6) on its field; leadership finds it and records the decision (C8 refusal shown on the measures)', async () => {
    const head = await openConsole(browser, platform.apiUrl);
    try {
      await signInAs(head, 'qs-head-enf1');
      await head.page.getByRole('link', { name: '案件' }).click();
      await head.page.waitForURL('**/console/cases');
      await head.page.getByRole('heading', { name: '案件', level: 1 }).waitFor();
      await head.page.getByRole('region', { name: '案件清单' }).waitFor();
      expect(await head.audit('case-list')).toEqual([]);

      await head.page.getByRole('button', { name: '立案登记' }).click();
      const dialog = head.page.getByRole('dialog', { name: '立案登记' });
      await dialog.getByLabel('案号').fill(caseNumber);
      await dialog.getByLabel('案件名称').fill(caseTitle);
      await dialog.getByLabel('当事人1 名称').fill('某法律服务所');
      // 朱磊 is an auxiliary officer without an enforcement certificate: E1 refuses him as 协办
      await dialog.getByRole('button', { name: '添加执法人员' }).click();
      await choose(head, '执法人员2', '朱磊（执法辅助人员）', '朱磊');
      await dialog.getByRole('button', { name: /^立\s?案$/ }).click();
      await dialog.getByText('朱磊 无有效执法证').waitFor();
      expect(await dialog.getByRole('alert').filter({ hasText: '没有有效的行政执法证，不能从事执法活动（E1）' }).count()).toBe(1);
      await quiet(head);
      expect(await head.audit('case-create-refused')).toEqual([]);
      await head.screenshot('cases-01-create-refused-e1');

      await choose(head, '执法人员2', '马超（执法人员）', '马超');
      await dialog.getByRole('button', { name: /^立\s?案$/ }).click();
      await head.page.waitForURL(/\/console\/cases\/[^/]+$/);
      await head.page.getByRole('heading', { name: caseTitle, level: 1 }).waitFor();
      const caseUrl = new URL(head.page.url()).pathname;
      expect(await head.audit('case-form')).toEqual([]);

      // 告知 without showing the certificate: E5 on that checkbox
      await choose(head, '环节', '告知');
      await head.page.getByLabel('告知书文号').fill('青司告〔2026〕1号');
      await head.page.getByLabel('已告知拟作出决定的事实、理由和依据').check();
      await head.page.getByLabel('已告知陈述、申辩的权利').check();
      await head.page.getByLabel('已告知要求听证的权利').check();
      await head.page.getByRole('button', { name: '记录环节' }).click();
      await formItem(head, '已出示执法证件').getByText('执法时须出示执法证件（E1、E5）').waitFor();
      await quiet(head);
      expect(await head.audit('case-step-refused-e5')).toEqual([]);
      await head.screenshot('cases-02-notice-refused-e5');
      await head.page.getByLabel('已出示执法证件').check();
      await head.page.getByRole('button', { name: '记录环节' }).click();
      const history = head.page.getByRole('region', { name: '已记录的办案环节' });
      await history.getByText('告知', { exact: true }).waitFor();

      // 集体讨论 minutes not signed by every attendee: E6 on 签名人员
      await choose(head, '环节', '集体讨论');
      await head.page.getByLabel('主持人').fill('何军');
      await head.page.getByLabel('出席人员（以“、”分隔，至少 3 人）').fill('何军、许芳、曹阳');
      await head.page.getByLabel('讨论决定').fill('拟对当事人罚款五千元');
      await head.page.getByLabel('签名人员（以“、”分隔）').fill('何军、许芳');
      await head.page.getByRole('button', { name: '记录环节' }).click();
      await formItem(head, '签名人员（以“、”分隔）').getByText('集体讨论记录须由全体出席人员签名（E6），缺少：曹阳').waitFor();
      await quiet(head);
      await head.screenshot('cases-03-minutes-refused-e6');
      await head.page.getByLabel('签名人员（以“、”分隔）').fill('何军、许芳、曹阳');
      await head.page.getByRole('button', { name: '记录环节' }).click();
      await history.getByText('集体讨论', { exact: true }).waitFor();
      expect(head.problems).toEqual([]);

      // the next role: the agency's leadership finds the case and records the decision
      const leader = await openConsole(browser, platform.apiUrl);
      try {
        await signInAs(leader, 'qs-leader');
        await leader.page.getByRole('link', { name: '案件' }).click();
        const list = leader.page.getByRole('region', { name: '案件清单' });
        const row = list.getByRole('row').filter({ hasText: caseNumber });
        await row.getByText('集体讨论').waitFor();
        expect(await leader.audit('case-list-leadership')).toEqual([]);
        await row.getByRole('link', { name: caseNumber }).click();
        await leader.page.waitForURL(`**${caseUrl}`);
        await leader.page.getByRole('heading', { name: caseTitle, level: 1 }).waitFor();

        // a fine of 20000 yuan on an organisation is a major decision (C8): legal review first (C1)
        await choose(leader, '环节', '决定');
        await leader.page.getByLabel('决定书文号').fill('青司罚决〔2026〕1号');
        await leader.page.getByLabel('罚款（元）').fill('20000');
        await leader.page.getByRole('button', { name: '记录环节' }).click();
        const measures = leader.page.getByRole('group', { name: '处理措施' });
        await measures.getByText(/重大执法决定（对单位罚款 20000 元（≥ 15000））须经法制审核通过后才能作出（C1、C8）/).waitFor();
        await quiet(leader);
        expect(await leader.audit('case-decision-refused-c8')).toEqual([]);
        await leader.screenshot('cases-04-decision-refused-c8');
        await leader.page.getByLabel('罚款（元）').fill('5000');
        await leader.page.getByRole('button', { name: '记录环节' }).click();
        await leader.page.getByText('青司罚决〔2026〕1号（').waitFor();
        await leader.page.locator('.ant-descriptions').getByText('决定', { exact: true }).last().waitFor();
        await leader.screenshot('cases-05-decided');
        expect(leader.problems).toEqual([]);
      } finally {
        await leader.close();
      }
    } finally {
      await head.close();
    }
  }, 180_000);
});
