/** The one logger lives in the kernel (shared/kernel/logger.ts); the HTTP pipeline and its callers import it from here too. */
export { logger } from '../kernel/logger.ts';
