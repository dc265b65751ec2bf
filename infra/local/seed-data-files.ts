import type { DraftBody } from '../../shared/archive/entry-types.ts';
import type { DecideGrantBody, GrantBody, HandoverBody } from './seed-data-org.ts';

/** The demo officer-file entries (each with the A6 workflow state it is driven to) and access grants (A8) of infra/local/seed.ts. */
export type Target = 'draft' | 'underReview' | 'notified' | 'archived' | 'rejected';

export interface DemoEntry {
  key: string;
  officer: string;
  /** who drafts: the officer (self) or the agency's recorder; a handover comes from that user */
  by: 'self' | 'recorder' | { handoverBy: string; handover: HandoverBody };
  target: Target;
  entry: (d: (n: number) => string) => DraftBody;
}

const caseRef = (caseNumber: string) => ({ caseNumber });
const decision = (documentNumber: string, decidedOn: string, decidedBy: string) => ({ documentNumber, decidedOn, decidedBy });

export const DEMO_ENTRIES: DemoEntry[] = [
  // 市局 律师工作管理科
  {
    key: 'liuyang-training',
    officer: 'city-officer-liuyang',
    by: 'self',
    target: 'archived',
    entry: (d) => ({ type: 'training', occurredOn: d(210), title: '行政执法人员综合法律知识培训', content: { course: '行政执法人员综合法律知识培训（2025年度）', hours: 40, result: 'passed' } }),
  },
  {
    key: 'liuyang-case',
    officer: 'city-officer-liuyang',
    by: 'recorder',
    target: 'archived',
    entry: (d) => ({
      type: 'caseHandled',
      occurredOn: d(150),
      title: '某律师事务所违规执业案',
      summary: '主办，依法作出警告处罚',
      content: { case: caseRef('云司罚〔2025〕17号'), role: 'lead', kind: '行政处罚', result: '警告' },
    }),
  },
  {
    key: 'liuyang-commendation',
    officer: 'city-officer-liuyang',
    by: 'recorder',
    target: 'archived',
    entry: (d) => ({ type: 'commendation', occurredOn: d(60), title: '年度行政执法先进个人', content: { level: '市级', decision: decision('云司发〔2025〕31号', d(60), '云州市司法局') } }),
  },
  {
    key: 'zhangwei-training',
    officer: 'city-officer-zhangwei',
    by: 'recorder',
    target: 'archived',
    entry: (d) => ({ type: 'training', occurredOn: d(180), title: '执法全过程记录专题培训', content: { course: '执法全过程记录制度专题培训', hours: 8, result: 'passed' } }),
  },
  {
    key: 'zhangwei-review',
    officer: 'city-officer-zhangwei',
    by: 'recorder',
    target: 'underReview',
    entry: (d) => ({
      type: 'caseQualityReview',
      occurredOn: d(20),
      title: '2025年度案卷评查',
      content: { case: caseRef('云司罚〔2025〕22号'), reviewKind: 'cross', score: 88, grade: 'qualified', findings: '文书送达回证日期填写不规范' },
    }),
  },
  // 市局 公证与司法鉴定管理科
  {
    key: 'guomin-case',
    officer: 'city-officer-guomin',
    by: 'recorder',
    target: 'archived',
    entry: (d) => ({
      type: 'caseHandled',
      occurredOn: d(120),
      title: '某司法鉴定机构超范围执业案',
      content: { case: caseRef('云司罚〔2025〕9号'), role: 'assist', kind: '行政处罚', result: '责令改正并罚款' },
    }),
  },
  {
    key: 'guomin-summary',
    officer: 'city-officer-guomin',
    by: 'self',
    target: 'draft',
    entry: (d) => ({ type: 'workSummary', occurredOn: d(5), title: '本年度执法工作总结（草稿）', content: { period: '2025年度', body: '全年参与办理行政处罚案件6件，开展双随机抽查12次。' } }),
  },
  // 青山区 执法一科
  {
    key: 'machao-training',
    officer: 'qs-officer-machao',
    by: 'self',
    target: 'archived',
    entry: (d) => ({ type: 'training', occurredOn: d(240), title: '新任执法人员岗前培训', content: { course: '新任行政执法人员岗前培训', hours: 60, result: 'passed' } }),
  },
  {
    key: 'machao-case',
    officer: 'qs-officer-machao',
    by: 'recorder',
    target: 'archived',
    entry: (d) => ({
      type: 'caseHandled',
      occurredOn: d(100),
      title: '某法律服务所未经许可执业案',
      content: { case: caseRef('青司罚〔2025〕12号'), role: 'lead', kind: '行政处罚', result: '罚款五千元' },
    }),
  },
  {
    key: 'machao-assessment',
    officer: 'qs-officer-machao',
    by: 'recorder',
    target: 'archived',
    entry: (d) => ({ type: 'assessmentResult', occurredOn: d(30), title: '年度执法考核结果', content: { kind: 'annual', period: '2025年度', grade: '优秀', explanation: '办案质量高，无有效投诉' } }),
  },
  {
    key: 'luoting-case',
    officer: 'qs-officer-luoting',
    by: 'recorder',
    target: 'archived',
    entry: (d) => ({ type: 'caseHandled', occurredOn: d(90), title: '人民调解委员会违规收费案', content: { case: caseRef('青司罚〔2025〕15号'), role: 'assist', kind: '行政检查' } }),
  },
  {
    key: 'luoting-inspection',
    officer: 'qs-officer-luoting',
    by: 'recorder',
    target: 'underReview',
    entry: (d) => ({
      type: 'inspection',
      occurredOn: d(12),
      title: '双随机抽查：辖区法律服务机构',
      content: { inspectionKind: 'random', findings: '抽查8家，发现2家未按规定公示收费标准，已责令整改', signedByInspected: true },
    }),
  },
  {
    key: 'liangbin-handover',
    officer: 'qs-officer-liangbin',
    target: 'notified',
    by: {
      handoverBy: 'qs-discipline',
      handover: { fromDepartment: 'discipline', confirmedBy: '彭琳', leaderSignature: '何军', sealed: true, documentNumber: '青纪〔2025〕3号', relatesToEnforcement: true },
    },
    entry: (d) => ({
      type: 'investigationResult',
      occurredOn: d(25),
      title: '关于群众反映执法态度问题的调查结论',
      content: { matter: '群众反映执法过程中态度生硬', conclusion: '经调查，反映问题部分属实，予以批评教育' },
    }),
  },
  {
    key: 'liangbin-case-rejected',
    officer: 'qs-officer-liangbin',
    by: 'recorder',
    target: 'rejected',
    entry: (d) => ({ type: 'caseHandled', occurredOn: d(40), title: '某公证处违规出证案', content: { case: caseRef('青司罚〔2025〕21号'), role: 'lead', kind: '行政处罚' } }),
  },
  // 青山区 执法二科
  {
    key: 'tanglei-training',
    officer: 'qs-officer-tanglei',
    by: 'recorder',
    target: 'archived',
    entry: (d) => ({ type: 'training', occurredOn: d(200), title: '行政处罚法专题培训', content: { course: '新修订行政处罚法专题培训', hours: 16, result: 'passed' } }),
  },
  {
    key: 'tanglei-merit',
    officer: 'qs-officer-tanglei',
    by: 'recorder',
    target: 'archived',
    entry: (d) => ({ type: 'merit', occurredOn: d(45), title: '记三等功', content: { class: 'third', decision: decision('青司发〔2025〕18号', d(45), '云州市青山区司法局') } }),
  },
  // 河西区 执法科
  {
    key: 'dongliang-case',
    officer: 'hx-officer-dongliang',
    by: 'recorder',
    target: 'archived',
    entry: (d) => ({
      type: 'caseHandled',
      occurredOn: d(80),
      title: '某基层法律服务工作者违规代理案',
      content: { case: caseRef('河司罚〔2025〕6号'), role: 'lead', kind: '行政处罚', result: '警告' },
    }),
  },
  {
    key: 'dongliang-commendation',
    officer: 'hx-officer-dongliang',
    by: 'recorder',
    target: 'archived',
    entry: (d) => ({ type: 'commendation', occurredOn: d(35), title: '区级嘉奖', content: { level: '区级', decision: decision('河司发〔2025〕9号', d(35), '云州市河西区司法局') } }),
  },
  {
    key: 'yuanshuai-training',
    officer: 'hx-officer-yuanshuai',
    by: 'self',
    target: 'archived',
    entry: (d) => ({ type: 'training', occurredOn: d(150), title: '执法文书制作培训', content: { course: '行政执法文书规范制作培训', hours: 12, result: 'passed' } }),
  },
  {
    key: 'yuanshuai-summary',
    officer: 'hx-officer-yuanshuai',
    by: 'self',
    target: 'underReview',
    entry: (d) => ({ type: 'workSummary', occurredOn: d(3), title: '本年度执法工作总结', content: { period: '2025年度', body: '全年参与执法检查20次，办理案件4件。' } }),
  },
];

export interface DemoGrant {
  key: string;
  requester: string;
  officer: string;
  body: GrantBody;
  approveBy?: string;
  approve?: DecideGrantBody;
}

export const DEMO_GRANTS: DemoGrant[] = [
  {
    key: 'songjia-reads-machao',
    requester: 'qs-head-enf2',
    officer: 'qs-officer-machao',
    body: { purpose: '交叉案卷评查需要查阅其办案记录', actions: ['file.read'], days: 7 },
    approveBy: 'qs-leader',
    approve: { decision: 'approve', days: 7, comment: '同意，限评查使用' },
  },
  { key: 'tanglei-reads-luoting', requester: 'qs-officer-tanglei', officer: 'qs-officer-luoting', body: { purpose: '案件移交，需了解前期办理情况', actions: ['file.read'], days: 3 } },
];
