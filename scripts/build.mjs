// Builds the eventgen CLI into dist/: `tsc -b tsconfig.build.json` compiles generator/*.ts (type-checking is
// `npm run typecheck`'s job; the build only emits, and does nothing when dist/ is up to date), then the files
// the modules read beside themselves at run time (sdk-names.json, formats.mjs, validators-worker.mjs) are
// copied, and outputs whose source is gone are removed. templates/, runtime/ and package.json are read from
// the project root, one folder up from dist/ as from generator/. Run by `npm install` (prepare), `npm run
// build`, `npm run generate` and the tests (test/global-setup.ts).
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const source = path.join(root, 'generator');
const dist = path.join(root, 'dist');

export function build() {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  execFileSync(process.execPath, [tsc, '-b', path.join(root, 'tsconfig.build.json')], { cwd: root, stdio: 'inherit' });
  for (const file of files(source)) {
    const relative = path.relative(source, file);
    if (/\.(mjs|json)$/.test(relative)) {
      const target = path.join(dist, relative);
      if (!existsSync(target) || !readFileSync(target).equals(readFileSync(file))) {
        mkdirSync(path.dirname(target), { recursive: true });
        copyFileSync(file, target);
      }
    }
  }
  for (const file of files(dist)) {
    const relative = path.relative(dist, file);
    if (relative === '.tsbuildinfo') continue;
    const from = relative.endsWith('.js') ? relative.replace(/\.js$/, '.ts') : relative;
    if (!existsSync(path.join(source, from))) rmSync(file);
  }
}

function files(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? files(full) : [full];
  });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) build();
