/**
 * generator/ARCHITECTURE.md describes the code as it is: every file it names in backticks exists, and
 * every size it states ("about N lines") is within a fifth of the file's real length.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '..');
const DOC = readFileSync(path.join(ROOT, 'generator/ARCHITECTURE.md'), 'utf8');
const CODE_EXTENSIONS = /\.(ts|mts|mjs|js|hbs|html)$/;

/** Every file under `dir` (skipping dependencies and output), by path relative to ROOT. */
function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const rel = path.posix.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...filesUnder(rel));
    else out.push(rel);
  }
  return out;
}

const SOURCES = ['generator', 'runtime', 'templates', 'scripts', 'bench', 'test'].flatMap(filesUnder);

/** Where a name in the text can point: a path from the root, a path inside a source folder, or a generated file (`src/x.ts`). */
function resolves(name: string): boolean {
  if (existsSync(path.join(ROOT, name))) return true;
  // An import specifier of the generated package (`./events.js`) names the TypeScript file it is compiled from.
  const tails = [name, name.replace(/\.js$/, '.ts')].map((n) => `/${n.replace(/^src\//, '')}`);
  return (
    SOURCES.some((file) => tails.some((tail) => `/${file}`.endsWith(tail))) ||
    existsSync(path.join(ROOT, 'generated', name)) ||
    existsSync(path.join(ROOT, 'generated/src', name.replace(/\.js$/, '.ts')))
  );
}

/** Code files the text names: backticked tokens with a code extension, no wildcard, no placeholder. */
function namedFiles(): string[] {
  const names = new Set<string>();
  for (const [, token] of DOC.matchAll(/`([^`\s]+)`/g)) {
    const name = (token as string).replace(/^\.\.?\//, '');
    if (!CODE_EXTENSIONS.test(name) || name.includes('*') || /^\.[a-z]+$/.test(name)) continue;
    names.add(name);
  }
  return [...names];
}

describe('generator/ARCHITECTURE.md', () => {
  it('names only files that exist', () => {
    const names = namedFiles();
    expect(names.length).toBeGreaterThan(40);
    expect(names.filter((name) => !resolves(name))).toEqual([]);
  });

  it('states file sizes that hold', () => {
    const wrong: string[] = [];
    for (const [, file, lines] of DOC.matchAll(/`([^`\s]+\.[a-z]+)`\s*\((?:about\s+)?([\d,]+) lines/g)) {
      const match = SOURCES.find((f) => `/${f}`.endsWith(`/${file}`));
      if (!match || !statSync(path.join(ROOT, match)).isFile()) {
        wrong.push(`${file}: not found`);
        continue;
      }
      const actual = readFileSync(path.join(ROOT, match), 'utf8').split('\n').length;
      const stated = Number((lines as string).replace(',', ''));
      if (Math.abs(actual - stated) > stated / 5) wrong.push(`${file}: stated ${stated} lines, has ${actual}`);
    }
    expect(wrong).toEqual([]);
  });
});
