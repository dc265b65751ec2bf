import { systemClock } from '../../shared/kernel/clock.ts';
import * as caseApi from '../../shared/api/case-routes.ts';
import * as evidenceApi from '../../shared/api/evidence-routes.ts';
import { createHash } from 'node:crypto';
import type { SeedRun } from './seed-run.ts';

/** Seed step 7 (infra/local/seed.ts): a case (一案一表) and a body-camera recording of it, uploaded straight to S3. */
export const seedCaseAndEvidence = async (run: SeedRun, processDay: string) => {
  const { step, call, idOf, officerIds, unit } = run;
  const machao = officerIds.get('qs-officer-machao');
  const luoting = officerIds.get('qs-officer-luoting');
  // 7. a case (一案一表) and a body-camera recording of it, uploaded straight to S3 as a client would
  if (machao && luoting) {
    const kase = await step('case.demo', async () => {
      const res = await call(
        'qs-officer-machao',
        caseApi.createCase,
        {},
        {
          idempotencyKey: 'case.demo',
          body: {
            kind: 'penalty',
            title: '某培训机构未经许可办学案',
            caseNumber: '青司罚〔演示〕8号',
            unitId: unit('qingshan', 'enf1'),
            filedOn: processDay,
            parties: [{ partyKind: 'organisation', name: '某某培训学校', idNumber: '91530102MA6K000000', legalRepresentative: '李某' }],
            officers: [
              { officerId: machao, role: 'lead' },
              { officerId: luoting, role: 'assist' },
            ],
          },
        },
      );
      return { caseId: idOf(res.body, 'caseId') };
    });
    await step('evidence.demo', async () => {
      // a few KB standing in for footage: an MP4 'ftyp' box, then filler
      const bytes = Buffer.concat([Buffer.from('000000186674797069736f6d0000020069736f6d69736f32', 'hex'), Buffer.alloc(8 * 1024, 0x2e)]);
      const at = new Date(systemClock.now().getTime() - 3_600_000).toISOString();
      const res = await call(
        'qs-officer-machao',
        evidenceApi.declareEvidence,
        {},
        {
          idempotencyKey: 'evidence.demo',
          body: {
            kind: 'evidence-general-procedure',
            title: '现场检查执法记录仪录像',
            fileName: '执法记录仪_DSJ-QS-0102.mp4',
            mediaType: 'video/mp4',
            size: bytes.length,
            sha256: createHash('sha256').update(bytes).digest('hex'),
            caseId: kase?.caseId as string | undefined,
            capture: { officerId: machao, deviceId: 'DSJ-QS-0102', startedAt: at, endedAt: at, place: '青山区某培训学校' },
          },
        },
      );
      const upload = (res.body.upload ?? {}) as { url?: string; headers?: Record<string, string> };
      const put = await fetch(upload.url!, { method: 'PUT', headers: upload.headers, body: bytes });
      if (!put.ok) throw new Error(`upload to S3 failed: ${put.status}`);
      return { evidenceId: String((res.body.evidence as { evidenceId: string }).evidenceId) };
    });
  }
};
