import { Logger } from '@aws-lambda-powertools/logger';

/** Structured JSON logs; never log personal data or request bodies (DESIGN.md §5). */
export const logger = new Logger({ serviceName: 'enforcement-archive', logLevel: (process.env.LOG_LEVEL as 'INFO') ?? 'INFO' });
