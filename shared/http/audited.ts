import { audit } from '../adapters/dynamodb/commit.ts';
import { type Binding, httpGroup } from './handler.ts';

/**
 * The HTTP pipeline with the one audit writer (shared/adapters/dynamodb/commit.ts): every route group
 * that serves audited records is built with it, so the pipeline itself writes each route's declared
 * read record, fail closed (RouteAudit, shared/http/contract.ts). Kept apart from handler.ts so that a
 * group without audited routes (health, OpenAPI) does not bundle the DynamoDB client.
 */
export const auditedHttpGroup = (bindings: Binding[]) => httpGroup(bindings, { audit });
