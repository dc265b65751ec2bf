import {
  AuditOutlined,
  BarChartOutlined,
  BellOutlined,
  CalendarOutlined,
  CloudUploadOutlined,
  EditOutlined,
  KeyOutlined,
  ContainerOutlined,
  FieldTimeOutlined,
  FileProtectOutlined,
  FolderOpenOutlined,
  InboxOutlined,
  VideoCameraOutlined,
} from '@ant-design/icons';
import type { ReactNode } from 'react';
import { hasRole, type SessionUser } from '../auth/session';
import { PATHS } from './paths';

/**
 * The menu, driven by the signed-in user's roles (the API still decides every request: a page the
 * menu hides is not a permission, only a shortcut). The first visible item is the user's home.
 */
export interface NavItem {
  path: string;
  label: string;
  icon: ReactNode;
  visible: (u: SessionUser) => boolean;
  /** shows the unread count of the inbox */
  inboxBadge?: boolean;
}

/** who reads the 红黄牌 work list (the API: leadership, supervision, legal, discipline, a department's head) */
const WORK_LIST_ROLES = ['leadership', 'supervision', 'legal', 'discipline', 'deptHead'];

export const NAV_ITEMS: NavItem[] = [
  { path: PATHS.myFile, label: '我的档案', icon: <FolderOpenOutlined />, visible: (u) => !!u.officerId && hasRole(u, 'officer', 'deptHead') },
  { path: PATHS.work, label: '待办与期限', icon: <FieldTimeOutlined />, visible: (u) => hasRole(u, ...WORK_LIST_ROLES) },
  { path: PATHS.review, label: '审核待办', icon: <FileProtectOutlined />, visible: (u) => hasRole(u, 'deptHead') && !!u.unitId },
  { path: PATHS.archive, label: '归档待办', icon: <InboxOutlined />, visible: (u) => hasRole(u, 'recorder') },
  { path: PATHS.newEntry, label: '录入档案条目', icon: <EditOutlined />, visible: (u) => (!!u.officerId && hasRole(u, 'officer', 'deptHead')) || hasRole(u, 'recorder') },
  { path: PATHS.recordKeeping, label: '我的存储情况', icon: <CloudUploadOutlined />, visible: (u) => !!u.officerId && hasRole(u, 'officer', 'deptHead') },
  { path: PATHS.overview, label: '概览', icon: <BarChartOutlined />, visible: (u) => hasRole(u, 'leadership') },
  { path: PATHS.cases, label: '案件', icon: <ContainerOutlined />, visible: (u) => hasRole(u, 'officer', ...WORK_LIST_ROLES) },
  { path: PATHS.evidence, label: '执法记录', icon: <VideoCameraOutlined />, visible: (u) => hasRole(u, 'officer', 'legal', ...WORK_LIST_ROLES) },
  { path: PATHS.grants, label: '查阅授权', icon: <KeyOutlined />, visible: (u) => hasRole(u, 'officer', 'deptHead', 'leadership', 'political', 'discipline', 'legal', 'supervision', 'personnel') },
  { path: PATHS.rules, label: '规则与日历', icon: <CalendarOutlined />, visible: (u) => hasRole(u, 'sysAdmin') },
  { path: PATHS.audit, label: '审计', icon: <AuditOutlined />, visible: (u) => hasRole(u, 'auditor') },
  { path: PATHS.inbox, label: '消息', icon: <BellOutlined />, visible: () => true, inboxBadge: true },
];

export const navFor = (u: SessionUser | undefined) => (u ? NAV_ITEMS.filter((i) => i.visible(u)) : []);
export const homeFor = (u: SessionUser | undefined) => navFor(u)[0]?.path ?? PATHS.inbox;
