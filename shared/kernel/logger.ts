import { Logger } from '@aws-lambda-powertools/logger';

/**
 * Structured JSON logs; never log personal data or request bodies (docs/security.md §6). In the
 * kernel because every area logs, the outbox below the HTTP pipeline included.
 */
export const logger = new Logger({ serviceName: 'enforcement-archive', logLevel: (process.env.LOG_LEVEL as 'INFO') ?? 'INFO' });
