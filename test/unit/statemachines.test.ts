import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROCESS_KINDS } from '#shared/process/model.ts';
import { REPO_ROOT } from '../../infra/aws/archive-function.ts';

/**
 * statemachines/*.asl.json (docs/architecture.md §7): valid ASL (asl-validator), JSONPath only (the local
 * interpreter ignores JSONata), every `${Token}` one CDK substitutes, an explicit TimeoutSeconds on
 * every Task (the default is 99,999,999 s) and a top-level timeout within a Standard execution's year,
 * and the defer horizon inside that timeout.
 */
const validate = createRequire(import.meta.url)('asl-validator') as (d: unknown, o?: { checkPaths?: boolean; checkArn?: boolean }) => { isValid: boolean; errors: unknown[] };
const DIR = join(REPO_ROOT, 'statemachines');
const files = readdirSync(DIR).filter((f) => f.endsWith('.asl.json'));
/** the substitutions infra/aws/process-machine.ts provides */
const TOKENS = ['ProcessClockFunctionArn'];
const YEAR_S = 365 * 24 * 3600;

type State = { Type: string; TimeoutSeconds?: number; Resource?: string; Parameters?: Record<string, unknown>; Next?: string; Choices?: { Next: string }[]; Default?: string };
type Asl = { StartAt: string; TimeoutSeconds?: number; QueryLanguage?: string; States: Record<string, State> };

describe('state machine definitions', () => {
  it('one file per process kind, and nothing else', () => {
    expect(files.map((f) => f.replace('.asl.json', '')).sort()).toEqual([...PROCESS_KINDS].sort());
  });

  for (const file of files) {
    describe(file, () => {
      const text = readFileSync(join(DIR, file), 'utf8');
      const asl = JSON.parse(text) as Asl;

      it('passes asl-validator (with the token filled as CDK fills it)', () => {
        const filled = JSON.parse(text.replaceAll('${ProcessClockFunctionArn}', 'arn:aws-cn:lambda:cn-north-1:123456789012:function:process-clock'));
        const r = validate(filled, { checkPaths: true, checkArn: true });
        expect(r.errors).toEqual([]);
        expect(r.isValid).toBe(true);
      });

      it('uses only the substitutions CDK provides', () => {
        const tokens = [...text.matchAll(/\$\{([A-Za-z0-9_]+)\}/g)].map((m) => m[1]);
        expect(tokens.length).toBeGreaterThan(0);
        expect(tokens.filter((t) => !TOKENS.includes(t!))).toEqual([]);
      });

      it('is JSONPath, every Task has its own timeout, the execution has one within a year', () => {
        expect(asl.QueryLanguage ?? 'JSONPath').toBe('JSONPath');
        expect(text).not.toMatch(/JSONata|\{%/);
        const tasks = Object.entries(asl.States).filter(([, s]) => s.Type === 'Task');
        expect(tasks.length).toBeGreaterThan(0);
        for (const [name, s] of tasks) {
          expect(s.TimeoutSeconds, name).toBeGreaterThan(0);
          expect(s.TimeoutSeconds!, name).toBeLessThanOrEqual(60);
          expect(s.Resource, name).toBe('${ProcessClockFunctionArn}');
        }
        expect(asl.TimeoutSeconds).toBeGreaterThan(0);
        expect(asl.TimeoutSeconds!).toBeLessThanOrEqual(YEAR_S);
      });

      it('defers clocks beyond what the execution may still wait (horizon inside the top-level timeout)', () => {
        for (const [name, s] of Object.entries(asl.States).filter(([, s]) => s.Type === 'Task')) {
          const horizon = s.Parameters?.horizonSeconds as number;
          expect(horizon, name).toBeGreaterThan(0);
          expect(horizon, name).toBeLessThan(asl.TimeoutSeconds!);
        }
      });

      it('waits with TimestampPath (no polling loop: no Wait with a fixed number of seconds)', () => {
        const waits = Object.values(asl.States).filter((s) => s.Type === 'Wait') as (State & { TimestampPath?: string; Seconds?: number })[];
        expect(waits.length).toBe(1);
        expect(waits[0]!.TimestampPath).toBe('$.plan.wakeAt');
        expect(waits[0]!.Seconds).toBeUndefined();
      });
    });
  }
});
