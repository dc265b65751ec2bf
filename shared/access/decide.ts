import type { RuleParameters } from '../rules/catalog.ts';
import { hasRole, type Principal, type Role } from './principal.ts';

/**
 * Object-level authorisation for an officer's file (A6, A7, A8; docs/rules.md, docs/security.md §2). Pure: every fact it needs
 * is passed in, so the whole matrix is unit-tested as a table (test/unit/access.test.ts).
 */
export const FILE_ACTIONS = [
  'file.read', // the archive: officer record, timeline, entries, chain verification, qualifications, attachments (A8 readers)
  'entry.work', // entries on their way into the file: drafts, approved entries waiting to be entered, their attachments (A6)
  'entry.draft', // create or edit a draft entry (A6: the officer or a designated recorder)
  'entry.handover', // material handed over by another department (A7)
  'entry.review', // approve / reject a submitted entry (A6: head of the officer's department)
  'entry.acknowledge', // the officer acknowledges a conclusive document (A6)
  'entry.archive', // the designated recorder enters it into the file (A6)
  'file.transfer', // move custody (A5)
  'grant.approve', // approve someone else's access request (A8)
] as const;
export type FileAction = (typeof FILE_ACTIONS)[number];

/** Actions a grant may confer: A8 "anyone else reads or changes it only with approval". */
export const GRANTABLE_ACTIONS = ['file.read', 'entry.draft'] as const satisfies readonly FileAction[];
export type GrantableAction = (typeof GRANTABLE_ACTIONS)[number];

export interface FileCustody {
  agencyId: string;
  /** the officer's current department; undefined once held by personnel (A5) */
  unitId?: string | undefined;
  holder: 'unit' | 'personnel';
}

export interface FileSubject {
  officerId: string;
  custody: FileCustody;
}

export interface AccessGrant {
  grantId: string;
  officerId: string;
  granteeUserId: string;
  actions: GrantableAction[];
  status: 'requested' | 'approved' | 'rejected' | 'revoked';
  expiresAt?: string | undefined;
  purpose: string;
}

export interface FileAccessInput {
  principal: Principal;
  action: FileAction;
  file: FileSubject;
  /** the custody agency's ancestors, nearest first (the agency tree) */
  custodyAgencyAncestors: readonly string[];
  /** grants held by the principal on this file (any status; the function checks them) */
  grants: readonly AccessGrant[];
  now: Date;
  a8: RuleParameters<'A8'>;
  a7: RuleParameters<'A7'>;
}

export type Decision =
  /** workflowOnly: the basis covers entries still in the A6 workflow, never the archive (the designated recorder) */
  | { allowed: true; basis: string; grantId?: string; purpose?: string; workflowOnly?: true }
  /** visible=false → answer 404: the caller may not even learn that the file exists */
  | { allowed: false; visible: boolean; reason: string };

const AGENCY_READERS_FALLBACK: readonly Role[] = [];

export const decideFileAccess = (input: FileAccessInput): Decision => {
  const { principal: p, action, file, a8 } = input;
  const sameAgency = p.agencyId === file.custody.agencyId;
  const superior = input.custodyAgencyAncestors.includes(p.agencyId);
  const isSelf = p.officerId !== undefined && p.officerId === file.officerId;
  const isDeptHead = hasRole(p, 'deptHead') && sameAgency && file.custody.holder === 'unit' && p.unitId !== undefined && p.unitId === file.custody.unitId;
  const agencyReaderRoles = (a8.agencyReaderRoles as Role[]) ?? AGENCY_READERS_FALLBACK;
  const agencyReader = agencyReaderRoles.find((r) => hasRole(p, r));

  const allow = (basis: string): Decision => ({ allowed: true, basis });

  switch (action) {
    case 'file.read': {
      if (isSelf && a8.officerReadsOwnFile) return allow('self');
      if (isDeptHead && a8.departmentHeadReads) return allow('deptHead');
      if (sameAgency && agencyReader) return allow(`agency:${agencyReader}`);
      // the designated recorder is not among A8's readers: it works on the workflow ('entry.work'), not the archive
      if (sameAgency && file.custody.holder === 'personnel' && hasRole(p, 'personnel')) return allow('custodian:personnel');
      if (superior && a8.superiorAgenciesRead && agencyReader) return allow(`superior:${agencyReader}`);
      break;
    }
    case 'entry.work': {
      // whoever reads the file (A8, grants included) reads the entries on their way into it
      const read = decideFileAccess({ ...input, action: 'file.read' });
      if (read.allowed) return read;
      // A6: the designated recorder drafts and enters entries — those still in the workflow only
      if (sameAgency && hasRole(p, 'recorder')) return { allowed: true, basis: 'agency:recorder', workflowOnly: true };
      return read;
    }
    case 'entry.draft': {
      if (file.custody.holder === 'personnel') {
        // A5: a file held by personnel after the officer left enforcement takes no new work entries.
        if (sameAgency && hasRole(p, 'personnel')) return allow('custodian:personnel');
        break;
      }
      if (isSelf) return allow('self');
      if (sameAgency && hasRole(p, 'recorder')) return allow('agency:recorder');
      break;
    }
    case 'entry.handover': {
      const dept = input.a7.handoverDepartments.find((d) => d !== 'petition' && hasRole(p, d as Role));
      if (sameAgency && dept) return allow(`handover:${dept}`);
      break;
    }
    case 'entry.review':
      if (isDeptHead) return allow('deptHead');
      if (file.custody.holder === 'personnel' && sameAgency && hasRole(p, 'personnel')) return allow('custodian:personnel');
      break;
    case 'entry.acknowledge':
      if (isSelf) return allow('self');
      break;
    case 'entry.archive':
      if (sameAgency && hasRole(p, 'recorder')) return allow('agency:recorder');
      break;
    case 'file.transfer':
      if ((sameAgency || superior) && hasRole(p, 'political')) return allow(sameAgency ? 'agency:political' : 'superior:political');
      break;
    case 'grant.approve': {
      const approver = a8.grantApproverRoles.find((r) => hasRole(p, r));
      if (sameAgency && approver) return allow(`agency:${approver}`);
      break;
    }
  }

  // A8: "anyone else reads or changes it only with approval" — an approved, unexpired grant.
  const grant = input.grants.find(
    (g) =>
      g.granteeUserId === p.userId &&
      g.officerId === file.officerId &&
      g.status === 'approved' &&
      g.expiresAt !== undefined &&
      Date.parse(g.expiresAt) > input.now.getTime() &&
      (g.actions as readonly string[]).includes(action),
  );
  if (grant) return { allowed: true, basis: `grant:${grant.grantId}`, grantId: grant.grantId, purpose: grant.purpose };

  // Leak nothing outside the agency tree: another agency cannot even tell the file exists.
  const visible = sameAgency || superior || isSelf;
  return { allowed: false, visible, reason: `no basis for ${action}` };
};

/** Non-file permissions. No role may erase or alter audit: no such permission exists at all. */
export const PERMISSIONS = {
  'org.manage': ['sysAdmin'],
  'officer.register': ['sysAdmin', 'political'],
  'qualification.manage': ['political', 'legal'],
  'rules.publish': ['sysAdmin'],
  /** the national holiday notice is entered by the platform's administrator; local closures by each agency's */
  'calendar.publish': ['sysAdmin'],
  'roles.assign': ['secAdmin'],
  'grant.revoke': ['secAdmin'],
  'audit.read': ['auditor'],
  'audit.export': ['auditor'],
  'audit.verify': ['auditor'],
} as const satisfies Record<string, readonly Role[]>;
export type Permission = keyof typeof PERMISSIONS;

export const can = (p: Principal, perm: Permission): boolean => hasRole(p, ...(PERMISSIONS[perm] as readonly Role[]));

/** An entry is in the A6 workflow until it is entered into the file (a rejected draft never is). */
export const inWorkflow = (entry: { state: string }): boolean => entry.state !== 'archived';

/**
 * An attachment is in the A6 workflow when no archived entry carries it and a draft in the workflow
 * does, or, not yet on any draft, when the caller uploaded it: for a workflow-only basis (A6/A8).
 */
export const attachmentInWorkflow = (
  attachment: { attachmentId: string; createdBy: string },
  drafts: readonly { state: string; attachmentIds?: readonly string[] | undefined }[],
  userId: string,
): boolean => {
  const carriers = drafts.filter((d) => d.attachmentIds?.includes(attachment.attachmentId));
  if (carriers.some((d) => !inWorkflow(d))) return false;
  return carriers.length > 0 || attachment.createdBy === userId;
};

/**
 * A department's work queue (A6): its head reviews what is under review there; the designated
 * recorder of the agency enters what was approved in any of its departments.
 */
export const mayReadUnitQueue = (p: Principal, unit: { unitId: string; agencyId: string }): boolean =>
  unit.agencyId === p.agencyId && ((hasRole(p, 'deptHead') && p.unitId === unit.unitId) || hasRole(p, 'recorder'));
