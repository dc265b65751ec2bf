/**
 * The console's own addresses. They all live under /console so that, where the console shares its
 * origin with the API (`npm start`), no page address is ever an API route (GET /audit, /inbox …);
 * infra/local/console.ts serves index.html for every /console path.
 */
export const BASE = '/console';
export const PATHS = {
  login: `${BASE}/login`,
  /** where the OIDC provider returns with the authorization code (registered redirect URI) */
  callback: `${BASE}/callback`,
  myFile: `${BASE}/my-file`,
  review: `${BASE}/review`,
  archive: `${BASE}/archive`,
  work: `${BASE}/work`,
  process: (processId: string) => `${BASE}/work/${encodeURIComponent(processId)}`,
  inbox: `${BASE}/inbox`,
  audit: `${BASE}/audit`,
  cases: `${BASE}/cases`,
  case: (caseId: string) => `${BASE}/cases/${encodeURIComponent(caseId)}`,
  rules: `${BASE}/rules`,
  overview: `${BASE}/overview`,
  newEntry: `${BASE}/drafts/new`,
  recordKeeping: `${BASE}/record-keeping`,
  grants: `${BASE}/grants`,
  evidence: `${BASE}/evidence`,
  evidenceItem: (evidenceId: string) => `${BASE}/evidence/${encodeURIComponent(evidenceId)}`,
} as const;
