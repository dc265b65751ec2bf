import { DEFAULT_JURISDICTION, type DefaultRules, HOLD_REASONS, SHIPPED } from './parameters.ts';

/** The shipped versions of the full-process audiovisual record rules (D, issue 4). */
export const D_DEFAULTS: Pick<DefaultRules, 'D2' | 'D3' | 'D4' | 'D6' | 'D8'> = {
  D2: {
    ruleId: 'D2',
    versionId: 'D2-default-2',
    jurisdiction: DEFAULT_JURISDICTION,
    effectiveFrom: '2000-01-01',
    title: '声像资料当日存储',
    parameters: { workdayEndHour: 18, countByWorkingDay: true, uploadUrlMinutes: 30, captureClockSkewMinutes: 5, lateWindow: { value: 7, unit: 'calendarDays' } },
    source: { seed: '003', article: '全过程记录 §10', ref: 'docs/rules.md D2' },
    publishedAt: SHIPPED,
    publishedBy: 'system',
    note:
      '“每天执法工作结束后及时存储”：以18时为下班时间（产品默认值，法规未规定）；18时以后或非工作日采集的，至下一个工作日18时前存储；逾时记为迟延存储。' +
      '第2版（产品默认值，法规未规定）：上传地址有效30分钟（16 MiB 分片在低速现场网络上的传输时间，逾期可重新取得）；采集时间晚于当前时间超过5分钟的不予登记（设备时钟误差）；' +
      '采集时间早于应存储时间7日以上的，须写明迟延理由方可登记，并告知部门负责人',
  },
  D3: {
    ruleId: 'D3',
    versionId: 'D3-default-1',
    jurisdiction: DEFAULT_JURISDICTION,
    effectiveFrom: '2000-01-01',
    title: '声像资料保存期限',
    parameters: {
      kinds: {
        patrol: { floor: { unit: 'months', value: 6 }, caseBound: false },
        'evidence-general-procedure': { floor: { unit: 'months', value: 6 }, caseBound: true },
        licensing: { floor: { unit: 'months', value: 6 }, caseBound: true },
        levy: { floor: { unit: 'months', value: 6 }, caseBound: true },
        confirmation: { floor: { unit: 'months', value: 6 }, caseBound: true },
        benefit: { floor: { unit: 'months', value: 6 }, caseBound: true },
        inspection: { floor: { unit: 'months', value: 6 }, caseBound: true },
        questioning: { floor: { unit: 'months', value: 6 }, caseBound: true },
        service: { floor: { unit: 'months', value: 6 }, caseBound: true },
        hearing: { floor: { unit: 'months', value: 6 }, caseBound: true },
        other: { floor: { unit: 'years', value: 10 }, caseBound: false },
      },
      caseFiles: {
        penalty: { unit: 'years', value: 30 },
        licence: { unit: 'years', value: 30 },
        confirmation: { unit: 'years', value: 30 },
        levy: { unit: 'years', value: 30 },
        inspection: { unit: 'years', value: 10 },
        compulsion: { unit: 'years', value: 30 },
        benefit: { unit: 'years', value: 30 },
        other: { unit: 'years', value: 30 },
      },
      majorPenaltyCaseFile: { unit: 'permanent' },
      caseFileCountFrom: 'yearAfterClose',
    },
    source: { seed: '003', article: '全过程记录 §6,11', ref: 'docs/rules.md D3' },
    publishedAt: SHIPPED,
    publishedBy: 'system',
    note:
      '日常巡查不少于6个月（§11第2款）；一般程序处罚中作为证据的、许可、征收、确认、给付、检查的声像资料与案卷保存期限相同（§11第3、4款），' +
      '询问、送达、听证属案件办理环节（§6），比照执行；未关联案件前到期日待定。案卷保管期限按《机关文件材料归档范围和文书档案保管期限规定》' +
      '（国家档案局令第8号）永久、定期30年、定期10年三档取默认值：一般程序处罚、许可、确认、征收、给付、强制案卷定期30年（主要职能业务，' +
      '长期查考价值；征收、给付涉及款项，会计凭证亦保管30年；长于行政诉讼法第46条不动产案件20年的最长起诉期限）；重大行政处罚（C8）案卷永久；' +
      '行政检查案卷定期10年（一般查考价值，发现违法的另立处罚案卷）；其他案卷从严取30年。期限自结案次年1月1日起算（档案按年度归档；' +
      '会计档案管理办法第14条亦自会计年度终了后第一天起算）。未分类资料取定期10年（长于行政诉讼法第46条其他案件5年的最长起诉期限）。' +
      '各值均可由机关发布自己的版本调整',
  },
  D4: {
    ruleId: 'D4',
    versionId: 'D4-default-1',
    jurisdiction: DEFAULT_JURISDICTION,
    effectiveFrom: '2000-01-01',
    title: '声像资料长期保存情形',
    parameters: { holdReasons: [...HOLD_REASONS], longTerm: { unit: 'years', value: 30 }, releaseApproverRoles: ['leadership'] },
    source: { seed: '003', article: '全过程记录 §12', ref: 'docs/rules.md D4' },
    publishedAt: SHIPPED,
    publishedBy: 'system',
    note:
      '“长期保存”法规未给年限：默认自保全之日起定期30年——国家档案局令第8号以永久、定期30年、定期10年取代原永久、长期（16至50年）、短期三档，' +
      '“长期”取其中的定期30年；保全未解除期间一律冻结删除，不论到期日。复议、诉讼举证（§13、14，D5）同样触发保全。解除保全由机关领导批准（产品默认值）',
  },
  D6: {
    ruleId: 'D6',
    versionId: 'D6-default-1',
    jurisdiction: DEFAULT_JURISDICTION,
    effectiveFrom: '2000-01-01',
    title: '声像资料查阅审批',
    parameters: { grantMaxDuration: { value: 7, unit: 'calendarDays' }, approverRoles: ['leadership', 'supervision'], presignedUrlSeconds: 300 },
    source: { seed: '003', article: '全过程记录 §15', ref: 'docs/rules.md D6' },
    publishedAt: SHIPPED,
    publishedBy: 'system',
    note: '“未经批准，不得查阅”：每次查阅须先批准；批准期限（7日）、审批角色（机关领导、执法监督部门）、播放链接有效期（300秒）为产品默认值，法规未规定',
  },
  D8: {
    ruleId: 'D8',
    versionId: 'D8-default-1',
    jurisdiction: DEFAULT_JURISDICTION,
    effectiveFrom: '2000-01-01',
    title: '声像资料抽检与回放检查',
    parameters: {
      dailySample: { mode: 'rate', rate: 0.02, atLeast: 5 },
      perOfficer: { minimum: 1, period: { value: 1, unit: 'months' } },
      countsInAssessment: true,
    },
    source: { seed: '003', article: '全过程记录 §19,20', ref: 'docs/rules.md D8' },
    publishedAt: SHIPPED,
    publishedBy: 'system',
    note: '“定期抽检、回放检查并建立检查台帐，纳入个人考核”：抽检比例（每日2%，至少5条）与每名执法人员每月至少1条为产品默认值，法规未规定',
  },
};
