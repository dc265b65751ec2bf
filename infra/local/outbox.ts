import { createHandlerLoader, type HandlerLoader } from './router.ts';

/**
 * The embedded platform has no table stream (docs/architecture.md §11): every area's consumer of the
 * outbox runs in-process, on the fast path of whoever committed and in the reconciler. In AWS each
 * function carries only its own areas' consumers (shared/wiring.ts) and the jobs functions run the
 * rest from the stream; here loading those jobs functions registers their consumers next to the
 * ones the HTTP groups and the clock task carry (registrations add up, shared/outbox/dispatch.ts),
 * so the same partial dispatch runs with every area present.
 */
let loading: Promise<void> | undefined;

export const wireEveryArea = (): Promise<void> => (loading ??= Promise.all([import('../../functions/jobs/processes.ts'), import('../../functions/jobs/evidence-outbox.ts')]).then(() => undefined));

/** The route groups' loader of the embedded platform (and the tests' router): every area wired before a group loads. */
export const everyAreaLoader =
  (inner: HandlerLoader = createHandlerLoader()): HandlerLoader =>
  async (group) => {
    await wireEveryArea();
    return inner(group);
  };
