import { A_DEFAULTS, E_DEFAULTS } from './shipped-a-e.ts';
import { C_DEFAULTS } from './shipped-c.ts';
import { D_DEFAULTS } from './shipped-d.ts';
import type { DefaultRules } from './parameters.ts';

/**
 * The rule catalogue: every rule of docs/rules.md that the product parameterises, with the
 * zod schema its parameters must satisfy and the default version the product ships (taken from the
 * seeds). Agencies publish their own versions through the rules API; code never holds the values,
 * it asks the rules store (shared/rules/store.ts) for the version in force.
 *
 * A new rule goes in three places: its vocabulary, parameter schema and id in parameters.ts; its
 * shipped version in shipped-a-e.ts (A, E), shipped-c.ts (C) or shipped-d.ts (D). Everything is
 * exported from here.
 */
export * from './parameters.ts';

/** The versions the product ships: values from the seeds, each with its citation. */
export const DEFAULT_RULES: DefaultRules = { ...A_DEFAULTS, ...C_DEFAULTS, ...D_DEFAULTS, ...E_DEFAULTS };
