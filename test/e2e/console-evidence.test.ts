import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Platform } from '../../infra/local/platform.ts';
import { type Browser, type ConsoleSession, openConsole, signInAs } from '../../web/test-support/console-driver.ts';
import { useConsolePlatform } from './support.ts';

/**
 * The web console's 执法记录 page end to end: an officer uploads a 40 MiB recording straight to
 * the S3 server (SHA-256 and SM3 in a Web Worker, three 16 MiB parts in parallel), the connection
 * fails after the first part, the page is reloaded and the upload resumes from IndexedDB with the
 * same file re-selected, and the ingest verifies it; a part altered in transit ends quarantined;
 * viewing needs an approval by another role, then the recording plays from a presigned URL; holds,
 * copies and disposition on the same item. axe-core on every page; screenshots in web/test-results/.
 */
let platform: Platform;
let browser: Browser;
useConsolePlatform('evidence', (p, b) => {
  platform = p;
  browser = b;
});
/** the files the user picks */
const fileDir = mkdtempSync(join(tmpdir(), 'archive-e2e-evidence-files-'));
afterAll(() => rmSync(fileDir, { recursive: true, force: true }));
const MiB = 1024 * 1024;
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
/** a local file as the user would pick it (same path, same lastModified on re-selection) */
const fileOf = (name: string, bytes: Buffer) => {
  const path = join(fileDir, name);
  writeFileSync(path, bytes);
  return path;
};
/** the part requests of a multipart upload to the S3 server */
const partUrl = (n: number) => new RegExp(`[?&]partNumber=${n}&`);
/** what the driver records, without the requests the test itself made fail or cut short (a reload, a page.goto) */
const realProblems = (s: ConsoleSession) => s.problems.filter((p) => !/ERR_CONNECTION_RESET|ERR_FAILED|ERR_ABORTED/.test(p));
const partsInIndexedDb = (s: ConsoleSession) =>
  s.page.evaluate(`new Promise((resolve) => {
    const req = indexedDB.open('enforcement-archive-console', 1);
    req.onsuccess = () => {
      const get = req.result.transaction('uploads').objectStore('uploads').getAll();
      get.onsuccess = () => { resolve(get.result.map((r) => Object.keys(r.etags).length)); req.result.close(); };
    };
  })`) as Promise<number[]>;

const fillDeclaration = async (s: ConsoleSession, file: string, title: string) => {
  await s.page.locator('#evidence-file').setInputFiles(file);
  await s.page.getByLabel('标题').fill(title);
  await s.page.getByLabel('记录设备编号').fill('DSJ-QS-0102');
  await s.page.getByLabel('采集地点').fill('青山区建设路农贸市场');
};

describe('web console: 执法记录 (upload, verification, viewing, custody)', () => {
  const bytes = randomBytes(40 * MiB);
  const file = fileOf('执法记录仪_20261204_0001.mp4', bytes);
  let itemUrl = '';

  it('an officer uploads 40 MiB in parallel parts; interrupted after the first part, the upload resumes after a reload and is verified (SHA-256 and SM3 match)', async () => {
    const s = await openConsole(browser, platform.apiUrl);
    try {
      await signInAs(s, 'qs-officer-machao');
      await s.page.getByRole('link', { name: '执法记录' }).click();
      await s.page.waitForURL('**/console/evidence');
      await s.page.getByRole('heading', { name: '执法记录', level: 1 }).waitFor();
      await s.page.getByText('本浏览器尚无上传记录').waitFor();
      expect(await s.audit('evidence')).toEqual([]);
      await s.screenshot('30-evidence-upload');

      // the connection drops for parts 2 and 3; part 1 reaches S3
      await s.page.route(partUrl(2), (r) => r.abort('connectionreset'));
      await s.page.route(partUrl(3), (r) => r.abort('connectionreset'));
      await fillDeclaration(s, file, '建设路农贸市场日常巡查');
      await s.page.getByRole('button', { name: '开始上传' }).click();
      await s.page.getByText(/已上传的分片已保存/).waitFor({ timeout: 60_000 });
      expect(await partsInIndexedDb(s)).toEqual([1]);
      expect(await s.audit('evidence-interrupted')).toEqual([]);
      await s.screenshot('31-evidence-interrupted');

      await s.page.unrouteAll();
      await s.page.reload();
      const unfinished = s.page.getByRole('region', { name: '未完成的上传' });
      await unfinished.getByText(/已上传 1\/3 个分片/).waitFor();
      expect(await s.audit('evidence-resume')).toEqual([]);
      // another file is refused before anything is sent
      await s.page.getByLabel(/继续上传：请重新选择文件/).setInputFiles(fileOf('其他.mp4', randomBytes(1024)));
      await s.page.getByText(/所选文件与原上传不符/).waitFor();
      await s.page.getByLabel(/继续上传：请重新选择文件/).setInputFiles(file);
      // once every part is in S3 the page opens the item, which shows the ingest's verdict
      await s.page.waitForURL('**/console/evidence/*', { timeout: 60_000 });
      itemUrl = new URL(s.page.url()).pathname;
      await s.page.getByTestId('evidence-status').filter({ hasText: '已校验入库' }).waitFor({ timeout: 60_000 });
      await s.page.getByText(sha(bytes)).first().waitFor();
      await s.page.getByText('SM3 一致').waitFor();
      expect(await s.audit('evidence-verified')).toEqual([]);
      await s.screenshot('32-evidence-verified');
      expect(realProblems(s)).toEqual([]);
    } finally {
      await s.close();
    }
  }, 180_000);

  it('a part altered on its way to S3 is caught at ingest: the item shows as quarantined', async () => {
    const small = randomBytes(16 * MiB + 4096);
    const path = fileOf('执法记录仪_20261204_0002.mp4', small);
    const s = await openConsole(browser, platform.apiUrl);
    try {
      await signInAs(s, 'qs-officer-machao');
      await s.page.goto('/console/evidence');
      // part 2 reaches S3 with one bit flipped (the browser's own request replaced by the altered one)
      await s.page.route(partUrl(2), async (route) => {
        const altered = Buffer.from(small.subarray(16 * MiB));
        altered[7]! ^= 0x01;
        route.fulfill({ response: await route.fetch({ postData: altered }) });
      });
      await fillDeclaration(s, path, '传输中被改动的录像');
      await s.page.getByRole('button', { name: '开始上传' }).click();
      await s.page.waitForURL('**/console/evidence/*', { timeout: 60_000 });
      await s.page.getByTestId('evidence-status').filter({ hasText: '已隔离' }).waitFor({ timeout: 60_000 });
      await s.page.getByText('已隔离：到达对象存储的内容与声明不符').waitFor();
      await s.page.getByText(/到达的内容与声明的 SHA-256 不符/).waitFor();
      expect(await s.audit('evidence-quarantined')).toEqual([]);
      await s.screenshot('33-evidence-quarantined');
      expect(realProblems(s)).toEqual([]);
    } finally {
      await s.close();
    }
  }, 120_000);

  it('viewing needs an approval by leadership; the officer then plays the verified recording; a hold, a copy by 法制 and a refused disposition', async () => {
    expect(itemUrl).not.toBe('');
    const officer = await openConsole(browser, platform.apiUrl);
    let requestUrl = '';
    try {
      await signInAs(officer, 'qs-officer-machao');
      await officer.page.goto(itemUrl);
      await officer.page.getByLabel('查看事由').fill('复核现场执法过程');
      await officer.page.getByRole('button', { name: '申请查看' }).click();
      await officer.page.getByText('查看申请编号').waitFor();
      requestUrl = officer.page.url().replace(platform.apiUrl, '');
      // not yet approved: no playback (D6)
      await officer.page.getByRole('button', { name: '播放' }).click();
      await officer.page.getByText(/没有该声像资料有效的查看授权/).waitFor();
      expect(await officer.audit('evidence-view-request')).toEqual([]);
      // the officer cannot approve their own request
      await officer.page.getByRole('button', { name: '批准查看' }).click();
      await officer.page.getByText(/不能批准本人的查看申请|须经规则规定的审批人员批准/).waitFor();
    } finally {
      await officer.close();
    }

    const leader = await openConsole(browser, platform.apiUrl);
    try {
      await signInAs(leader, 'qs-leader');
      await leader.page.goto(requestUrl);
      await leader.page.getByRole('button', { name: '批准查看' }).click();
      await leader.page.getByText('已批准', { exact: true }).waitFor();
      expect(await leader.audit('evidence-approve-view')).toEqual([]);
      await leader.screenshot('34-evidence-view-approved');
      expect(realProblems(leader)).toEqual([]);
    } finally {
      await leader.close();
    }

    const again = await openConsole(browser, platform.apiUrl);
    try {
      await signInAs(again, 'qs-officer-machao');
      await again.page.goto(requestUrl);
      await again.page.getByRole('button', { name: '播放' }).click();
      const video = again.page.locator('video');
      await video.waitFor();
      const src = (await video.getAttribute('src')) ?? '';
      expect(new URL(src).origin).not.toBe(new URL(platform.apiUrl).origin); // straight from S3
      // the presigned URL serves exactly the verified original
      expect(sha(Buffer.from(await (await fetch(src)).arrayBuffer()))).toBe(sha(bytes));
      expect(await again.audit('evidence-playback')).toEqual([]);
      await again.screenshot('35-evidence-playback');

      // D4: a complaint puts the recording under long-term preservation
      await again.page.getByLabel('保存事由').click();
      await again.page.locator('.ant-select-dropdown:visible').getByTitle('投诉', { exact: true }).click();
      await again.page.getByLabel('说明（可选）').fill('当事人投诉执法态度');
      await again.page.getByRole('button', { name: '长期保存' }).click();
      await again.page.getByRole('cell', { name: '投诉', exact: true }).waitFor();
      await again.page.getByText(/长期保存，.*（保存措施中）/).waitFor();
      expect(await again.audit('evidence-hold')).toEqual([]);
      // D5: copies are produced by 法制 only
      await again.page.getByLabel('接收单位').fill('青山区人民法院');
      await again.page.getByLabel('用途').fill('行政诉讼举证');
      await again.page.getByLabel('文号').fill('（2026）青行初字第12号');
      await again.page.getByRole('button', { name: '制作复制件' }).click();
      await again.page.getByText(/复制件由法制部门统一制作/).waitFor();
      expect(realProblems(again)).toEqual([]);
    } finally {
      await again.close();
    }

    const legal = await openConsole(browser, platform.apiUrl);
    try {
      await signInAs(legal, 'qs-legal');
      await legal.page.goto(itemUrl);
      await legal.page.getByLabel('接收单位').fill('青山区人民法院');
      await legal.page.getByLabel('用途').fill('行政诉讼举证');
      await legal.page.getByLabel('文号').fill('（2026）青行初字第12号');
      await legal.page.getByRole('button', { name: '制作复制件' }).click();
      await legal.page.getByRole('cell', { name: '青山区人民法院', exact: true }).waitFor();
      await legal.page.getByRole('link', { name: '下载复制件' }).waitFor();
      // D7: retention has not ended (and a hold is in place): the proposal is refused with the reason
      await legal.page.getByRole('button', { name: '申请销毁' }).click();
      await legal.page.getByText(/原始声像资料不得删除/).waitFor();
      expect(await legal.audit('evidence-custody')).toEqual([]);
      await legal.screenshot('36-evidence-custody');
      expect(realProblems(legal)).toEqual([]);
    } finally {
      await legal.close();
    }
  }, 180_000);
});
