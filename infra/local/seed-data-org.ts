import type * as z from 'zod';
import type { Role } from '../../shared/access/principal.ts';
import type * as api from '../../shared/api/routes.ts';

/** The demo organisation of `npm start` (infra/local/seed.ts): agencies, their departments, the demo users and who acts for each agency. */
export type AgencyKind = (typeof api.agencyKinds)[number];
export type Employment = (typeof api.employmentKinds)[number];
export type UnitBody = z.input<NonNullable<(typeof api.createUnit)['body']>>;
export type AgencyBody = z.input<NonNullable<(typeof api.createAgency)['body']>>;
export type OfficerBody = z.input<NonNullable<(typeof api.createOfficer)['body']>>;
export type QualificationBody = z.input<NonNullable<(typeof api.issueQualification)['body']>>;
export type ReviewBody = z.input<NonNullable<(typeof api.reviewDraft)['body']>>;
export type GrantBody = z.input<NonNullable<(typeof api.requestGrant)['body']>>;
export type DecideGrantBody = z.input<NonNullable<(typeof api.decideGrant)['body']>>;
export type HandoverBody = z.input<NonNullable<(typeof api.createHandover)['body']>>['handover'];

/** The root agency's fixed id: the bootstrap administrator's claims need it before anything exists. */
export const CITY_BUREAU_ID = '01J0C1TY000000000000000000';

export interface DemoUnit {
  key: string;
  name: string;
  function: UnitBody['function'];
}

export interface DemoAgency {
  key: string;
  name: string;
  kind: AgencyKind;
  parentKey?: string;
  region: string;
  units: DemoUnit[];
}

export interface DemoUser {
  userId: string;
  name: string;
  roles: Role[];
  agency: string;
  unit: string;
  post: string;
  /** registered as an officer (createOfficer); admins of the 三员 are not */
  officer?: { staffNumber: string; employment: Employment; certificate?: string };
}

export const DEMO_AGENCIES: DemoAgency[] = [
  {
    key: 'city',
    name: '云州市司法局',
    kind: 'cityBureau',
    region: '云州市',
    units: [
      { key: 'office', name: '办公室', function: 'office' },
      { key: 'lawyers', name: '律师工作管理科', function: 'enforcement' },
      { key: 'notary', name: '公证与司法鉴定管理科', function: 'enforcement' },
      { key: 'legal', name: '法制科', function: 'legal' },
      { key: 'supervision', name: '行政执法协调监督科', function: 'supervision' },
      { key: 'political', name: '政治部', function: 'political' },
      { key: 'discipline', name: '驻局纪检监察组', function: 'discipline' },
      { key: 'personnel', name: '人事科', function: 'personnel' },
      { key: 'it', name: '信息化中心', function: 'other' },
    ],
  },
  {
    key: 'qingshan',
    name: '云州市青山区司法局',
    kind: 'districtBureau',
    parentKey: 'city',
    region: '云州市青山区',
    units: [
      { key: 'office', name: '办公室', function: 'office' },
      { key: 'enf1', name: '执法一科', function: 'enforcement' },
      { key: 'enf2', name: '执法二科', function: 'enforcement' },
      { key: 'legal', name: '法制科', function: 'legal' },
      { key: 'political', name: '政工科', function: 'political' },
      { key: 'discipline', name: '纪检组', function: 'discipline' },
    ],
  },
  {
    key: 'hexi',
    name: '云州市河西区司法局',
    kind: 'districtBureau',
    parentKey: 'city',
    region: '云州市河西区',
    units: [
      { key: 'office', name: '办公室', function: 'office' },
      { key: 'enf', name: '执法科', function: 'enforcement' },
      { key: 'legal', name: '法制科', function: 'legal' },
      { key: 'political', name: '政工科', function: 'political' },
    ],
  },
];

const civil = (staffNumber: string, certificate?: string) => ({ staffNumber, employment: 'civilServant' as const, ...(certificate ? { certificate } : {}) });

export const DEMO_USERS: DemoUser[] = [
  // 云州市司法局
  { userId: 'city-leader', name: '周建国', roles: ['leadership'], agency: 'city', unit: 'office', post: '局长', officer: civil('YZ0001') },
  { userId: 'city-political', name: '陈立华', roles: ['political'], agency: 'city', unit: 'political', post: '政治部主任', officer: civil('YZ0002') },
  { userId: 'city-discipline', name: '林晓东', roles: ['discipline'], agency: 'city', unit: 'discipline', post: '纪检监察组组长', officer: civil('YZ0003') },
  { userId: 'city-legal', name: '王敏', roles: ['legal', 'officer'], agency: 'city', unit: 'legal', post: '法制科科长', officer: civil('YZ0004', '云司执证〔2023〕0004') },
  { userId: 'city-supervision', name: '赵志刚', roles: ['supervision', 'officer'], agency: 'city', unit: 'supervision', post: '执法监督科科长', officer: civil('YZ0005', '云司执证〔2023〕0005') },
  { userId: 'city-personnel', name: '孙丽', roles: ['personnel'], agency: 'city', unit: 'personnel', post: '人事科干部（档案保管）', officer: civil('YZ0006') },
  { userId: 'city-recorder', name: '黄静', roles: ['recorder'], agency: 'city', unit: 'office', post: '指定档案记录员', officer: civil('YZ0007') },
  { userId: 'city-head-lawyers', name: '李强', roles: ['deptHead', 'officer'], agency: 'city', unit: 'lawyers', post: '律师工作管理科科长', officer: civil('YZ0101', '云司执证〔2023〕0101') },
  { userId: 'city-officer-liuyang', name: '刘洋', roles: ['officer'], agency: 'city', unit: 'lawyers', post: '执法人员', officer: civil('YZ0102', '云司执证〔2023〕0102') },
  { userId: 'city-officer-zhangwei', name: '张伟', roles: ['officer'], agency: 'city', unit: 'lawyers', post: '执法人员', officer: civil('YZ0103', '云司执证〔2024〕0103') },
  { userId: 'city-head-notary', name: '高峰', roles: ['deptHead', 'officer'], agency: 'city', unit: 'notary', post: '公证与司法鉴定管理科科长', officer: civil('YZ0201', '云司执证〔2022〕0201') },
  { userId: 'city-officer-guomin', name: '郭敏', roles: ['officer'], agency: 'city', unit: 'notary', post: '执法人员', officer: civil('YZ0202', '云司执证〔2024〕0202') },
  { userId: 'city-sysadmin', name: '吴昊', roles: ['sysAdmin'], agency: 'city', unit: 'it', post: '系统管理员' },
  { userId: 'city-secadmin', name: '郑雪', roles: ['secAdmin'], agency: 'city', unit: 'it', post: '安全保密管理员' },
  { userId: 'city-auditor', name: '冯涛', roles: ['auditor'], agency: 'city', unit: 'it', post: '安全审计员' },
  // 云州市青山区司法局
  { userId: 'qs-leader', name: '何军', roles: ['leadership'], agency: 'qingshan', unit: 'office', post: '局长', officer: civil('QS0001') },
  { userId: 'qs-political', name: '邓辉', roles: ['political'], agency: 'qingshan', unit: 'political', post: '政工科科长', officer: civil('QS0002') },
  { userId: 'qs-discipline', name: '彭琳', roles: ['discipline'], agency: 'qingshan', unit: 'discipline', post: '纪检组组长', officer: civil('QS0003') },
  { userId: 'qs-legal', name: '曹阳', roles: ['legal'], agency: 'qingshan', unit: 'legal', post: '法制科科长', officer: civil('QS0004') },
  { userId: 'qs-recorder', name: '韩梅', roles: ['recorder'], agency: 'qingshan', unit: 'office', post: '指定档案记录员', officer: civil('QS0005') },
  { userId: 'qs-head-enf1', name: '许芳', roles: ['deptHead', 'officer'], agency: 'qingshan', unit: 'enf1', post: '执法一科科长', officer: civil('QS0101', '云司执证〔2022〕1101') },
  { userId: 'qs-officer-machao', name: '马超', roles: ['officer'], agency: 'qingshan', unit: 'enf1', post: '执法人员', officer: civil('QS0102', '云司执证〔2023〕1102') },
  { userId: 'qs-officer-luoting', name: '罗婷', roles: ['officer'], agency: 'qingshan', unit: 'enf1', post: '执法人员', officer: civil('QS0103', '云司执证〔2023〕1103') },
  { userId: 'qs-officer-liangbin', name: '梁斌', roles: ['officer'], agency: 'qingshan', unit: 'enf1', post: '执法人员', officer: civil('QS0104', '云司执证〔2024〕1104') },
  { userId: 'qs-head-enf2', name: '宋佳', roles: ['deptHead', 'officer'], agency: 'qingshan', unit: 'enf2', post: '执法二科科长', officer: civil('QS0201', '云司执证〔2022〕1201') },
  { userId: 'qs-officer-tanglei', name: '唐磊', roles: ['officer'], agency: 'qingshan', unit: 'enf2', post: '执法人员', officer: civil('QS0202', '云司执证〔2023〕1202') },
  // a contract auxiliary: registered, but E1 bars a certificate — so no file
  { userId: 'qs-assistant-zhulei', name: '朱磊', roles: ['officer'], agency: 'qingshan', unit: 'enf2', post: '执法辅助人员', officer: { staffNumber: 'QS0203', employment: 'contract' } },
  { userId: 'qs-sysadmin', name: '杜鹏', roles: ['sysAdmin'], agency: 'qingshan', unit: 'office', post: '系统管理员' },
  // each district audits its own records; city-auditor audits both districts as their superior (read-only)
  { userId: 'qs-auditor', name: '姚静', roles: ['auditor'], agency: 'qingshan', unit: 'office', post: '安全审计员' },
  // 云州市河西区司法局
  { userId: 'hx-leader', name: '萧然', roles: ['leadership'], agency: 'hexi', unit: 'office', post: '局长', officer: civil('HX0001') },
  { userId: 'hx-political', name: '韦华', roles: ['political'], agency: 'hexi', unit: 'political', post: '政工科科长', officer: civil('HX0002') },
  { userId: 'hx-legal', name: '蒋宁', roles: ['legal'], agency: 'hexi', unit: 'legal', post: '法制科科长', officer: civil('HX0003') },
  { userId: 'hx-recorder', name: '潘悦', roles: ['recorder'], agency: 'hexi', unit: 'office', post: '指定档案记录员', officer: civil('HX0004') },
  { userId: 'hx-head-enf', name: '田甜', roles: ['deptHead', 'officer'], agency: 'hexi', unit: 'enf', post: '执法科科长', officer: civil('HX0101', '云司执证〔2022〕2101') },
  { userId: 'hx-officer-dongliang', name: '董亮', roles: ['officer'], agency: 'hexi', unit: 'enf', post: '执法人员', officer: civil('HX0102', '云司执证〔2023〕2102') },
  { userId: 'hx-officer-yuanshuai', name: '袁帅', roles: ['officer'], agency: 'hexi', unit: 'enf', post: '执法人员', officer: civil('HX0103', '云司执证〔2024〕2103') },
  { userId: 'hx-sysadmin', name: '石磊', roles: ['sysAdmin'], agency: 'hexi', unit: 'office', post: '系统管理员' },
  { userId: 'hx-auditor', name: '金鑫', roles: ['auditor'], agency: 'hexi', unit: 'office', post: '安全审计员' },
];

/** who acts for an agency in the seed */
export const ACTORS: Record<string, { sysAdmin: string; political: string; recorder?: string }> = {
  city: { sysAdmin: 'city-sysadmin', political: 'city-political', recorder: 'city-recorder' },
  qingshan: { sysAdmin: 'qs-sysadmin', political: 'qs-political', recorder: 'qs-recorder' },
  hexi: { sysAdmin: 'hx-sysadmin', political: 'hx-political', recorder: 'hx-recorder' },
};
