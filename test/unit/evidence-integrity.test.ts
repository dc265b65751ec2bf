import { GetObjectLockConfigurationCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forgetObjectLockSupport, presignGetVersion } from '#shared/adapters/s3/evidence.ts';
import { resetConfig } from '#shared/config.ts';
import { dispositionRefusal } from '#shared/evidence/custody.ts';
import type { EvidenceItem } from '#shared/evidence/model.ts';
import { retentionFor } from '#shared/evidence/retention.ts';
import { classifyArrival } from '#shared/evidence/tamper.ts';
import { DEFAULT_RULES } from '#shared/rules/catalog.ts';

/** Evidence integrity (issue 8), the pure parts and the AWS side of "served by the verified version". */
const RULES = { D3: DEFAULT_RULES.D3, D4: DEFAULT_RULES.D4 };

describe('a second ObjectCreated: redelivery or tampering', () => {
  const verified = { versionId: 'v1', arrival: { versionId: 'v1', sequencer: '0A' }, strayArrivals: [] };
  it('in a versioned bucket (AWS): the verified version again is a redelivery, any other version a stray one', () => {
    expect(classifyArrival(verified, { versionId: 'v1', sequencer: '0A' })).toBe('redelivery');
    expect(classifyArrival(verified, { versionId: 'v2', sequencer: '0B' })).toBe('strayVersion');
    const recorded = { ...verified, strayArrivals: [{ at: 't', versionId: 'v2', sequencer: '0B', intact: true }] };
    expect(classifyArrival(recorded, { versionId: 'v2', sequencer: '0B' })).toBe('strayRedelivery');
    // an item ingested before arrivals were recorded: its version still identifies the redelivery
    expect(classifyArrival({ versionId: 'v1' }, { versionId: 'v1' })).toBe('redelivery');
  });
  it('without versions (the embedded store): the event sequencer tells a redelivery from a new write', () => {
    const local = { arrival: { sequencer: '0A' } };
    expect(classifyArrival(local, { sequencer: '0A' })).toBe('redelivery');
    expect(classifyArrival(local, { sequencer: '0C' })).toBe('rewrite');
    expect(classifyArrival(local, {})).toBe('rewrite');
  });
});

describe('D3 counted from the ingest too', () => {
  it('a capture declared in 2020 and stored in 2026 is kept 6 months from the ingest; both dates are in the decision', () => {
    const d = retentionFor({ kind: 'patrol', capturedOn: '2020-01-06', storedOn: '2026-12-04', holds: [] }, RULES);
    expect(d).toMatchObject({ retainUntil: '2027-06-04', capturedOn: '2020-01-06', storedOn: '2026-12-04', retentionClass: 'routine' });
    expect(d.basis.map((b) => [b.source, b.from, b.until, b.won])).toEqual([
      ['kindFloor', '2020-01-06', '2020-07-06', false],
      ['storedFloor', '2026-12-04', '2027-06-04', true],
    ]);
    // stored the day it was captured: nothing changes
    expect(retentionFor({ kind: 'patrol', capturedOn: '2026-03-01', storedOn: '2026-03-01', holds: [] }, RULES)).toEqual({
      ...retentionFor({ kind: 'patrol', capturedOn: '2026-03-01', holds: [] }, RULES),
      storedOn: '2026-03-01',
    });
  });
  it('a decision taken before the ingest date counted still cannot dispose of an original before the floor from its ingest', () => {
    const legacy = retentionFor({ kind: 'patrol', capturedOn: '2020-01-06', holds: [] }, RULES);
    const e = { status: 'verified', holds: [], ingestedAt: '2026-12-04T21:36:00.000+08:00', retention: legacy } as unknown as EvidenceItem;
    expect(dispositionRefusal(e, '2026-12-05')).toMatch(/入库日 2026-12-04/);
    expect(dispositionRefusal(e, '2027-06-05')).toBeUndefined();
  });
});

describe('content is served by the verified version where the bucket has versions (AWS)', () => {
  const s3 = mockClient(S3Client);
  const env = { BUCKET_NAME: 'evidence-bucket', TABLE_NAME: 'archive', AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'secret', S3_ENDPOINT: '' };
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  beforeAll(() => {
    Object.assign(process.env, env);
    resetConfig();
    forgetObjectLockSupport();
    s3.on(GetObjectLockConfigurationCommand).resolves({ ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled' } });
  });
  afterAll(() => {
    for (const [k, v] of Object.entries(saved))
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    resetConfig();
    forgetObjectLockSupport();
    s3.restore();
  });
  it('presigns the GET with the verified VersionId, and refuses to presign the bare key', async () => {
    const url = new URL(await presignGetVersion('evidence/A/B/original', 'verified-version-1', 60));
    expect(url.searchParams.get('versionId')).toBe('verified-version-1');
    await expect(presignGetVersion('evidence/A/B/original', undefined, 60)).rejects.toThrow(/bare key/);
  });
});
