import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { transformSync } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { isSystemActorId, SYSTEM_ACTORS, systemActorId, systemPrincipal } from '#shared/access/principal.ts';

/**
 * The product's own actors (event handlers, clocks, nightly jobs) come from one constructor over a
 * closed list (`SYSTEM_ACTORS`, `systemPrincipal`); no other file spells a `system:<actor>` user id.
 */
const ROOT = resolve(import.meta.dirname, '../..');

const walk = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = join(dir, d.name);
    if (d.isDirectory()) return d.name === 'node_modules' || d.name === 'cdk.out' ? [] : walk(p);
    return d.name.endsWith('.ts') && !d.name.endsWith('.d.ts') ? [p] : [];
  });

/** `system:` at the start of a string or template literal, in code (comments stripped by esbuild) */
const spellings = (source: string) => {
  const code = transformSync(source, { loader: 'ts', legalComments: 'none', minifyWhitespace: true, format: 'esm', target: 'esnext' }).code;
  return [...code.matchAll(/["'`]system:/g)].map((m) => `…${code.slice(Math.max(0, m.index - 30), m.index + 40)}…`);
};

describe('system principals', () => {
  it('builds every system actor the same way, with its Chinese name and no roles', () => {
    expect(systemPrincipal('evidence-ingest', 'a1')).toEqual({ userId: 'system:evidence-ingest', name: '证据入库', agencyId: 'a1', roles: [] });
    expect(systemPrincipal('local-bootstrap', 'root', ['sysAdmin']).roles).toEqual(['sysAdmin']);
    for (const actor of Object.keys(SYSTEM_ACTORS) as (keyof typeof SYSTEM_ACTORS)[]) {
      const p = systemPrincipal(actor, 'a1');
      expect(p.userId).toBe(systemActorId(actor));
      expect(isSystemActorId(p.userId)).toBe(true);
      expect(p.name).toMatch(/^[\u4e00-\u9fff]+$/);
    }
    expect(isSystemActorId('01JABCDEFGHJKMNPQRSTVWXYZ0')).toBe(false);
  });

  it('finds a spelled system actor in code, not in comments (the checker itself)', () => {
    expect(spellings("// 'system:evidence-jobs'\nconst a = 1;")).toEqual([]);
    expect(spellings("const p = { userId: 'system:evidence-jobs' };")).toHaveLength(1);
    expect(spellings('const p = { userId: `system:${x}` };')).toHaveLength(1);
  });

  it('no other file of shared/, functions/ or infra/ spells one', () => {
    const files = ['shared', 'functions', 'infra'].flatMap((d) => walk(join(ROOT, d)));
    // the one home: the module that declares the closed list
    const homes = files.filter((f) => /^export const SYSTEM_ACTORS = \{/m.test(readFileSync(f, 'utf8')));
    expect(homes.map((f) => relative(ROOT, f))).toHaveLength(1);
    const found = files.filter((f) => f !== homes[0]).flatMap((f) => spellings(readFileSync(f, 'utf8')).map((s) => `${relative(ROOT, f)}: ${s}`));
    expect(found, `system actors spelled outside ${relative(ROOT, homes[0]!)}:\n${found.join('\n')}`).toEqual([]);
  });
});
