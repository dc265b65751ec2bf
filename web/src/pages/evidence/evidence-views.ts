import type { UploadUrls } from '../../upload/uploader';

/** The response fields of the evidence routes the console reads (shared/evidence/model.ts, custody.ts). */
export type EvidenceStatus = 'uploading' | 'verified' | 'quarantined' | 'disposing' | 'disposed';

export interface EvidenceHoldView {
  holdId: string;
  reason: string;
  note?: string;
  placedAt: string;
  placedBy: string;
  releasedAt?: string;
  releasedBy?: string;
}

export interface EvidenceView {
  evidenceId: string;
  agencyId: string;
  kind: string;
  title: string;
  capture: { officerId: string; deviceId: string; startedAt: string; endedAt: string; place: string };
  caseId?: string;
  fileName: string;
  mediaType: string;
  size: number;
  declaredSha256: string;
  status: EvidenceStatus;
  sha256?: string;
  sm3?: string;
  ingestedAt?: string;
  late?: boolean;
  retention?: { retentionClass: string; retainUntil: string | null; legalHold: boolean; atLeastUntil?: string | null };
  holds: EvidenceHoldView[];
  quarantine?: { reason: string; at: string; actualSha256?: string; actualSize?: number };
  fixityMismatch?: { at: string };
  strayArrivals?: unknown[];
  version: number;
  createdAt: string;
  createdBy: string;
}

export interface DeclaredEvidence {
  evidence: EvidenceView;
  upload: UploadUrls;
}

export interface ViewRequestView {
  requestId: string;
  status: 'pending' | 'approved' | 'refused';
  scope: 'view' | 'download';
  purpose: string;
  days: number;
  expiresAt?: string;
  version: number;
}

export interface ContentView {
  url: string;
  expiresIn: number;
  sha256: string;
  sm3: string;
}

export interface CopyView {
  copyId: string;
  recipient: string;
  purpose: string;
  reference: string;
  producedBy: string;
  producedAt: string;
  sha256: string;
  sm3: string;
}
