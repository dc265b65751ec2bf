import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The dependency rules of `shared/` (docs/architecture.md §4): its areas (the first directory under
 * `shared/`; a file directly under `shared/` is an area of its own) must not import each other in a
 * circle, and nothing in `shared/` may hide an edge behind `await import()`. Cross-area effects are
 * domain events (docs/architecture.md §6), consumed by the owning area through a composition that no
 * area imports (`shared/wiring.ts`).
 */
const ROOT = resolve(import.meta.dirname, '../..');
const SHARED = join(ROOT, 'shared');

const walk = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = join(dir, d.name);
    if (d.isDirectory()) return walk(p);
    return d.name.endsWith('.ts') ? [p] : [];
  });

const areaOf = (file: string) => {
  const rel = relative(SHARED, file).split('/');
  return rel.length === 1 ? rel[0]!.replace(/\.ts$/, '') : rel[0]!;
};

/** every module specifier of a file: static imports and re-exports, `import type`, dynamic `import()` */
const specifiers = (source: string): string[] => {
  const out: string[] = [];
  const patterns = [/\b(?:import|export)\s+(?:type\s+)?[^'";]*?\bfrom\s*['"]([^'"]+)['"]/g, /\bimport\s*['"]([^'"]+)['"]/g, /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g];
  for (const re of patterns) for (const m of source.matchAll(re)) out.push(m[1]!);
  return out;
};

const resolveSpecifier = (from: string, spec: string): string | undefined => {
  if (spec.startsWith('.')) return resolve(dirname(from), spec);
  if (spec.startsWith('#shared/')) return join(SHARED, spec.slice('#shared/'.length));
  return undefined; // a package, node:*, or #functions/* (outside shared/)
};

interface Edge {
  from: string;
  to: string;
  file: string;
  spec: string;
}

const sharedImportGraph = () => {
  const files = walk(SHARED);
  const edges: Edge[] = [];
  const dynamicImports: string[] = [];
  for (const file of files) {
    const source = readFileSync(file, 'utf8');
    for (const [i, line] of source.split('\n').entries()) {
      if (/await\s+import\s*\(/.test(line)) dynamicImports.push(`${relative(ROOT, file)}:${i + 1}: ${line.trim()}`);
    }
    for (const spec of specifiers(source)) {
      const target = resolveSpecifier(file, spec);
      if (!target?.startsWith(`${SHARED}/`)) continue;
      const from = areaOf(file);
      const to = areaOf(target);
      if (from !== to) edges.push({ from, to, file: relative(ROOT, file), spec });
    }
  }
  return { files, edges, dynamicImports };
};

/** Every elementary cycle reachable among areas, each printed once (smallest rotation). */
const areaCycles = (edges: readonly Edge[]): string[][] => {
  const adj = new Map<string, Set<string>>();
  for (const e of edges) {
    if (!adj.has(e.from)) adj.set(e.from, new Set());
    adj.get(e.from)!.add(e.to);
  }
  const seen = new Set<string>();
  const cycles: string[][] = [];
  const nodes = [...adj.keys()].sort();
  for (const start of nodes) {
    // cycles whose smallest node is `start`
    const stack: string[] = [start];
    const visit = (n: string) => {
      for (const m of [...(adj.get(n) ?? [])].sort()) {
        if (m === start) {
          const key = stack.join('→');
          if (!seen.has(key)) {
            seen.add(key);
            cycles.push([...stack, start]);
          }
        } else if (m > start && !stack.includes(m)) {
          stack.push(m);
          visit(m);
          stack.pop();
        }
      }
    };
    visit(start);
  }
  return cycles;
};

describe('shared/ import graph (docs/architecture.md §4)', () => {
  const graph = sharedImportGraph();

  it('reads the whole of shared/', () => {
    expect(graph.files.length).toBeGreaterThan(50);
    expect(graph.edges.length).toBeGreaterThan(20);
  });

  it('has no `await import(` anywhere in shared/', () => {
    expect(graph.dynamicImports, `dynamic imports in shared/:\n${graph.dynamicImports.join('\n')}`).toEqual([]);
  });

  it('has no cycle among the areas of shared/', () => {
    const cycles = areaCycles(graph.edges);
    const explain = cycles.map((c) => {
      const hops = c.slice(1).map((to, i) => {
        const e = graph.edges.find((x) => x.from === c[i] && x.to === to)!;
        return `  ${c[i]} → ${to}   (${e.file} imports '${e.spec}')`;
      });
      return `${c.join(' → ')}\n${hops.join('\n')}`;
    });
    expect(cycles, `cycles among shared/ areas:\n${explain.join('\n\n')}`).toEqual([]);
  });

  it('finds a cycle when there is one (the checker itself)', () => {
    const e = (from: string, to: string): Edge => ({ from, to, file: '', spec: '' });
    expect(areaCycles([e('a', 'b'), e('b', 'c'), e('c', 'a'), e('c', 'd')])).toEqual([['a', 'b', 'c', 'a']]);
    expect(areaCycles([e('a', 'b'), e('b', 'c'), e('a', 'c')])).toEqual([]);
    expect(specifiers("const { x } = await import('../evidence/service.ts');\nimport type { Y } from './y.ts';")).toEqual(['./y.ts', '../evidence/service.ts']);
  });
});
