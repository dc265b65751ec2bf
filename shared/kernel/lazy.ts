/**
 * Build once, on first use. Schemas are built lazily because a Lambda cold start pays for every
 * schema constructed at import time (zod builds each one eagerly, ~0.25 ms apiece), while a
 * request needs only its own route's schemas.
 */
export const lazy = /* @__NO_SIDE_EFFECTS__ */ <T>(build: () => T): (() => T) => {
  let value: T | undefined;
  let built = false;
  return () => {
    if (!built) {
      value = build();
      built = true;
    }
    return value as T;
  };
};
