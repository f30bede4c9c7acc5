// Builds the eventgen CLI into dist/: `tsc -b tsconfig.build.json` compiles generator/*.ts (type-checking is
// `npm run typecheck`'s job; the build only emits, and does nothing when dist/ is up to date), then the files
// the modules read beside themselves at run time (sdk-names.json, formats.mjs, validators-worker.mjs) are
// copied, and outputs whose source is gone are removed. templates/, runtime/ and package.json are read from
// the project root, one folder up from dist/ as from generator/. The templates are also precompiled into
// dist/templates.json (emit/render.ts: with the SHA-256 of each source, so an edited template is compiled
// again at run time). Run by `npm run build`, `npm run generate` (pregenerate), `npm pack` (prepack: the
// published package ships dist/ and builds nothing when installed) and the tests (test/global-setup.ts).
// Last, dist/code.sha256: the hash of the build and of the templates, runtime and package.json it reads
// (write/cache.ts hashCode), under which the run cache files its entries.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const source = path.join(root, 'generator');
const dist = path.join(root, 'dist');

export async function build() {
  let tsc;
  try {
    tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  } catch {
    // Installed without dev dependencies (npm install --omit=dev): a build made before still runs.
    const built = existsSync(path.join(dist, 'bin.js'));
    process.stderr.write(
      built
        ? 'eventgen: TypeScript (a dev dependency) is not installed, so dist/ was not rebuilt; it runs as built before.\n'
        : 'eventgen: building the CLI needs TypeScript, a dev dependency: run npm install without --omit=dev, then this again.\n',
    );
    if (!built) process.exitCode = 1;
    return;
  }
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
  precompileTemplates();
  removeStale();
  await writeCodeHash();
}

/** Removes the outputs whose source is gone. */
function removeStale() {
  for (const file of files(dist)) {
    const relative = path.relative(dist, file);
    if (relative === '.tsbuildinfo' || relative === PRECOMPILED || relative === CODE_HASH_FILE) continue;
    const from = relative.endsWith('.js') ? relative.replace(/\.js$/, '.ts') : relative;
    if (!existsSync(path.join(source, from))) rmSync(file);
  }
}

/** dist/code.sha256, by the function of the module just built that reads it. */
async function writeCodeHash() {
  const { hashCode } = await import(new URL('../dist/write/cache.js', import.meta.url).href);
  const hash = `${hashCode(dist, root)}\n`;
  const target = path.join(dist, CODE_HASH_FILE);
  if (!existsSync(target) || readFileSync(target, 'utf8') !== hash) writeFileSync(target, hash);
}

/** write/cache.ts CODE_HASH_FILE. */
const CODE_HASH_FILE = 'code.sha256';

const PRECOMPILED = 'templates.json';

/** templates/*.hbs as Handlebars.precompile gives them, with the options emit/render.ts compiles them with. */
function precompileTemplates() {
  const Handlebars = createRequire(import.meta.url)('handlebars');
  const dir = path.join(root, 'templates');
  const out = {};
  for (const name of readdirSync(dir)
    .filter((n) => n.endsWith('.hbs'))
    .sort()) {
    const source = readFileSync(path.join(dir, name), 'utf8');
    out[name] = {
      sha256: createHash('sha256').update(source).digest('hex'),
      spec: Handlebars.precompile(source, { strict: true, noEscape: true }),
    };
  }
  const target = path.join(dist, PRECOMPILED);
  const text = `${JSON.stringify(out)}\n`;
  if (!existsSync(target) || readFileSync(target, 'utf8') !== text) writeFileSync(target, text);
}

function files(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? files(full) : [full];
  });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await build();
