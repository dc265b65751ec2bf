/**
 * The audit record (docs/security.md §3) — its shape, hash and chain verification live in the kernel
 * (shared/kernel/audit-record.ts) so that the one writer below the audit area can build it; the
 * audit area's code keeps importing them from here.
 */
export * from '../kernel/audit-record.ts';
