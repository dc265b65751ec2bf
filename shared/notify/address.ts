import type { Role } from '../access/principal.ts';

/** Where a notification goes: one user's officer identity, one signed-in user (a process's owner), or everyone holding a role in a unit / agency. */
export type Address =
  | { type: 'officer'; officerId: string }
  | { type: 'user'; userId: string; name?: string | undefined }
  | { type: 'role'; agencyId: string; role: Role; unitId?: string | undefined };

/**
 * A person a notification reached (E3): the handler, the owner (opener, C12), or the holder of a role
 * found on the responsibility ladder — the department head, the leader in charge, the director.
 */
export interface Reached {
  address: Extract<Address, { type: 'officer' | 'user' }>;
  as: 'assignee' | 'owner' | 'deptHead' | 'leaderInCharge' | 'director';
  name?: string | undefined;
  /** the address it was meant for, when a role was resolved to its holder or fell back along the ladder */
  for?: Address | undefined;
}
