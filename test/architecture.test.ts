/**
 * The stages on their floors (generator/ARCHITECTURE.md): a stage imports its own folder, the modules
 * every stage shares (generator/*.ts) and the stages before it, never one after it; the shared modules
 * import no stage; and no module imports itself back through others (no circles, type imports included).
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers.ts';

const GENERATOR = path.join(ROOT, 'generator');
/** The pipeline's order, `write` (the file store) last; the command line (cli.ts, cli/) and generate() may import any stage. */
const STAGES = ['extract', 'infer', 'merge', 'report', 'emit', 'write'];
const TOP = ['cli.ts', 'bin.ts', 'generate.ts', 'cli'];

function modules(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return modules(file);
    return /\.(ts|mjs)$/.test(entry.name) && !entry.name.endsWith('.d.mts') ? [file] : [];
  });
}

/** Every relative module `file` imports or re-exports (statically or with `import()`), as paths relative to generator/. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specifiers = [...text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+'(\.[^']+)'|import\('(\.[^']+)'\)/g)];
  return specifiers.map((m) => path.relative(GENERATOR, path.resolve(path.dirname(file), (m[1] ?? m[2]) as string)));
}

const graph = new Map(modules(GENERATOR).map((file) => [path.relative(GENERATOR, file), importsOf(file)]));
const floor = (module: string) =>
  module.includes('/') ? (module.split('/')[0] as string) : TOP.includes(module) ? module : 'shared';

describe('imports in generator/', () => {
  it('finds the modules and their imports (the check is not vacuous)', () => {
    expect(graph.get('generate.ts')).toEqual(expect.arrayContaining(['extract/index.ts', 'emit/index.ts']));
    expect(graph.size).toBeGreaterThan(50);
  });

  it('a stage imports only its own folder, the shared modules and earlier stages; shared modules import no stage', () => {
    const wrong: string[] = [];
    for (const [module, imports] of graph) {
      const from = floor(module);
      for (const target of imports) {
        const to = floor(target);
        if (to === from || to === 'shared') continue;
        if (TOP.includes(module) || TOP.includes(from)) continue; // the top: calls the stages
        const up = STAGES.indexOf(to) >= STAGES.indexOf(from) || !STAGES.includes(from) || !STAGES.includes(to);
        if (up) wrong.push(`${module} → ${target}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('has no circles', () => {
    const circles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const visit = (module: string, trail: string[]) => {
      if (state.get(module) === 'done') return;
      if (state.get(module) === 'open') {
        circles.push([...trail.slice(trail.indexOf(module)), module].join(' → '));
        return;
      }
      state.set(module, 'open');
      for (const target of graph.get(module) ?? []) visit(target, [...trail, module]);
      state.set(module, 'done');
    };
    for (const module of [...graph.keys()].sort()) visit(module, []);
    expect(circles).toEqual([]);
  });
});
