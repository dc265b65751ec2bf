import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import * as r from '#shared/api/process-routes.ts';
import { documentClient, decodeCursor, encodeCursor, tableName } from '#shared/adapters/dynamodb/client.ts';
import { agencyFilePartition } from '#shared/adapters/dynamodb/keys/process.ts';
import { auditedHttpGroup } from '#shared/http/audited.ts';
import { bind, idempotencyOf } from '#shared/http/handler.ts';
import { etagOf } from '#shared/kernel/schemas.ts';
import { requireAgencyInTree, requirePermission, requireWorkListReader } from '#shared/access/permission.ts';
import { responsibilityOf, setResponsibility } from '#shared/org/responsibility.ts';
import type { OpenInput } from '#shared/process/kinds.ts';
import { actOnProcess, getHistory, getProcess, openProcess } from '#shared/process/service.ts';
import { listWork } from '#shared/process/work-list.ts';
import { processConsumer } from '#shared/process/consumers.ts';
import { wire } from '#shared/wiring.ts';

// the fast path after each commit runs the process area's consumer (its role starts and stops executions);
// the evidence and notify areas' messages stay pending for their jobs functions (docs/architecture.md §6)
wire([processConsumer]);

/** Deadline-bound processes (C1–C10): open, act, read, history, the red/yellow work list, the agency file, who notices reach (E3). */
const withEtag = <T extends { version: number }>(p: T) => ({ body: p, headers: { etag: etagOf(p.version) } });

export const handler = auditedHttpGroup([
  bind(r.openProcess, async ({ body, ctx }) => withEtag(await openProcess(ctx, body as unknown as OpenInput, idempotencyOf(ctx, { body })))),
  bind(r.getProcess, async ({ params, ctx }) => withEtag(await getProcess(ctx, params.processId))),
  bind(r.processHistory, async ({ params, ctx }) => ({ body: { items: await getHistory(ctx, params.processId) } })),
  bind(r.actOnProcess, async ({ params, body, ctx }) => {
    const result = await actOnProcess(ctx, params.processId, body as Record<string, unknown> & { action: string }, ctx.ifMatch);
    return { body: result, headers: { etag: etagOf(result.process.version) } };
  }),
  bind(r.listWork, async ({ params, query, ctx }) => ({ body: await listWork(ctx, params.agencyId, query) })),
  bind(r.agencyFile, async ({ params, query, ctx }) => {
    // A4/A8 by analogy: the agency's leadership and its supervising departments read the agency file
    await requireWorkListReader(ctx, params.agencyId, undefined, { action: 'agencyFile.read', code: 'agencyFile.forbidden', detail: '只有机关领导、执法监督、纪检监察、法制部门可以查阅机关执法档案' });
    const pk = agencyFilePartition(params.agencyId);
    const page = await documentClient().send(
      new QueryCommand({
        TableName: tableName(),
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': pk },
        ScanIndexForward: false,
        Limit: query.limit,
        ExclusiveStartKey: decodeCursor(query.cursor, { partition: ['pk', pk], keys: ['pk', 'sk'] }),
      }),
    );
    return { body: { items: (page.Items ?? []).map((i) => i.record), cursor: encodeCursor(page.LastEvaluatedKey) } };
  }),
  // E3: the agency's own tree reads who answers for what; its administrators (org.manage) name them
  bind(r.getResponsibility, async ({ params, ctx }) => {
    await requireAgencyInTree(ctx, params.agencyId);
    return withEtag(await responsibilityOf(params.agencyId));
  }),
  bind(r.setResponsibility, async ({ params, body, ctx }) => {
    await requirePermission(ctx, 'org.manage', { objectType: 'agency', objectId: params.agencyId, objectAgencyId: params.agencyId });
    await requireAgencyInTree(ctx, params.agencyId);
    return withEtag(await setResponsibility(ctx, params.agencyId, body, ctx.ifMatch));
  }),
]);
