/**
 * One run of `eventgen generate`, its arguments validated: finishes a write a killed run left
 * halfway, checks the output folders, reads through the file store, runs the pipeline (and the
 * other languages), prints diagnostics and the summary, writes all or nothing, and decides the
 * exit code: 0 success, 1 errors or a failed `--check`.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { type Diagnostic, diagnostic, formatDiagnostic } from '../diagnostics.ts';
import { packageImportFrom } from '../emit/handlers.ts';
import { RELEASE_FILES } from '../emit/release.ts';
import { type GenerateInput, type GenerateResult, generate } from '../generate.ts';
import { isBreaking, reportJson, summary } from '../report/index.ts';
import { cacheDirFor, diskCache } from '../write/cache.ts';
import { readDocs } from '../write/docs.ts';
import { type FolderKind, inspectFolder, type Ownership } from '../write/manifest.ts';
import { readObservedFiles } from '../write/observed.ts';
import { display, realTarget } from '../write/paths.ts';
import { checkOutputPaths, type OutputFolder, ownershipProblem } from '../write/preflight.ts';
import { ReportPathError, writeReport } from '../write/report.ts';
import { isManifest, plan, readSchemaDir, readTextIfExists, type Target } from '../write/store.ts';
import { commit, pendingSwitch, recover, swapRoots, WriteError } from '../write/swap.ts';
import { blame } from './blame.ts';
import { createHandlers, handlersWork, INDEX } from './handlers.ts';
import { describeChange, type Io, progress, summaryTail, unseen, writeFailure } from './print.ts';
import type { GenerateArgs } from './validate.ts';

interface Folder extends OutputFolder {
  readonly kind: FolderKind;
}

/** The folders a run writes, each replaced as a whole (write/swap.ts). */
function outputFolders(args: GenerateArgs): Folder[] {
  return [
    { flag: '--schemas', dir: args.schemas, what: 'the folder of the JSON Schemas', kind: 'schemas' },
    { flag: '--out', dir: args.out, what: 'the folder of the generated package', kind: 'out' },
    ...args.langs.map(
      ({ lang, dir }): Folder => ({ flag: `--out-${lang}`, dir, what: `the folder of the ${lang} output`, kind: 'lang' }),
    ),
    { flag: '--catalog', dir: args.catalog, what: 'the folder of the HTML catalog', kind: 'catalog' },
  ];
}

export async function runGenerate(args: GenerateArgs, io: Io): Promise<number> {
  const print = (diagnostics: readonly Diagnostic[]) => {
    for (const d of diagnostics) if (!(args.quiet && d.severity === 'info')) io.err(formatDiagnostic(d));
  };
  const stop = (diagnostics: readonly Diagnostic[]) => {
    print(diagnostics);
    io.out('eventgen: nothing written');
    return 1;
  };
  const folders = outputFolders(args);
  const roots = swapRoots(folders.map((f) => f.dir));

  const handlersFolder = { flag: '--handlers', dir: args.handlers, what: "the application's handlers folder" };
  const pathProblems = checkOutputPaths({
    folders: [...folders, handlersFolder],
    ...(args.reportJson === undefined ? {} : { reportJson: args.reportJson }),
  });
  if (pathProblems.length > 0) return stop(pathProblems);

  // A run killed while writing is finished (or undone) before anything is read; --check only says so.
  let recovered: Diagnostic[] = [];
  try {
    const pending = args.check ? pendingSwitch(roots) : undefined;
    if (pending) {
      const message = pending.busy
        ? `another eventgen run is writing ${display(pending.work)}; --check cannot compare until it ends`
        : `a run was killed while writing, and its write is not finished yet (${display(pending.work)}); --check writes nothing, so it cannot finish it`;
      return stop([diagnostic('E_OUTPUT_BUSY', message, { file: display(pending.work), line: 1 })]);
    }
    if (!args.check) recovered = recover(roots);
  } catch (error) {
    return stop([writeFailure(error, roots[0] ?? args.out, 'finishing the write of an interrupted run failed')]);
  }

  // Only folders that are empty or eventgen's own are written into (write/manifest.ts).
  const owners = folders.map((f) =>
    inspectFolder(
      f.dir,
      f.kind,
      folders.filter((o) => o !== f).map((o) => o.dir),
    ),
  );
  const ownership = folders.map((f, i) => ownershipProblem(owners[i] as Ownership, f.flag, f.dir)).filter((d) => d !== undefined);
  if (ownership.length > 0) return stop([...recovered, ...ownership]);

  const stage = progress(io, args.quiet);
  let started = performance.now();
  const read = readDocs(args.docs, {
    maxBytes: args.maxDocBytes,
    exclude: [...folders.map((f) => f.dir), args.handlers],
    root: args.root,
  });
  const observedFiles = readObservedFiles(args.observed);
  stage('read', `${read.docs.length} docs`, performance.now() - started);
  // The declarations of earlier runs (--check reads them and writes none).
  const cacheDir = cacheDirFor(process.cwd());
  const input: GenerateInput = {
    docs: read.docs,
    ...(args.observed.length === 0 ? {} : { observed: observedFiles.files }),
    existingSchemas: readSchemaDir(args.schemas),
    existingOutput: readReleaseFiles(args.out),
    schemasDir: display(args.schemas),
    options: {
      locales: args.locales,
      packageName: args.packageName,
      keepGoing: args.keepGoing,
      requiredFromSamples: args.requiredFromSamples,
      allowRemoval: args.allowRemoval,
      // Named from the folder holding the package (the project), whatever the working folder.
      handlersDir: path.relative(path.dirname(args.out), args.handlers).split(path.sep).join('/') || '.',
      handlersImport: args.handlersImport ?? packageImportFrom(args.handlers, args.out),
    },
    ...(cacheDir === undefined ? {} : { cache: diskCache(cacheDir, { readOnly: args.check }) }),
    progress: stage,
  };
  let result: GenerateResult;
  try {
    result = await generate(input);
  } catch (error) {
    // Stages report bad input as diagnostics; this is the net for anything they did not foresee.
    return stop([...recovered, ...read.diagnostics, ...observedFiles.diagnostics, ...(await blame(error, input, args.docs))]);
  }
  const timings = [...result.timings];
  const found = [...read.diagnostics, ...observedFiles.diagnostics, ...result.diagnostics.map((d) => shownFrom(args.root, d))];

  // Other languages, from the schema files this run writes; only when the run itself has no errors.
  const languages: Target[] = [];
  if (args.langs.length > 0 && !found.some((d) => d.severity === 'error')) {
    started = performance.now();
    const { renderLanguages } = await import('../emit/languages.ts');
    const langs = args.langs.map((l) => l.lang);
    const rendered = await renderLanguages(result.schemas, langs, { version: result.release.to, packageName: args.packageName });
    found.push(...unseen(found, rendered.diagnostics));
    for (const [i, { lang, dir }] of args.langs.entries()) {
      const owner = owners[i + 2] as Ownership;
      languages.push({ root: dir, files: rendered.outputs.get(lang) ?? new Map(), previous: known(owner), prune: true });
    }
    const files = [...rendered.outputs.values()].reduce((n, files) => n + files.size, 0);
    timings.push(['languages', performance.now() - started]);
    stage('languages', `${langs.join(', ')}: ${files} files`, performance.now() - started);
  }

  const handlers = handlersWork(args.handlers, result.skeletons, result.wiring, args.out);
  started = performance.now();
  const errors = found.filter((d) => d.severity === 'error').length;
  const { changes, kept } = plan([
    { root: args.schemas, files: result.schemas, previous: known(owners[0]), prune: false },
    { root: args.out, files: result.generated, previous: known(owners[1]), prune: true },
    ...languages,
    { root: args.catalog, files: result.catalog, previous: known(owners.at(-1)), prune: true },
  ]);
  const diagnostics = [...recovered, ...found, ...handlers.diagnostics, ...(errors > 0 ? [] : kept)];
  print(diagnostics);

  const { stats } = result;
  const warnings = diagnostics.filter((d) => d.severity === 'warning').length;
  const head =
    `${stats.docsRead} docs read, ${stats.samples} samples (${stats.distinctSamples} distinct), ` +
    `${stats.eventTypes} event types, ${warnings} warnings, ${errors} errors`;
  const tail = summaryTail(diagnostics, read.skipped);
  if (errors > 0) {
    io.out(`eventgen: ${head}, nothing written${tail}`);
    return 1;
  }
  for (const line of summary(result.changes, result.release)) io.out(line);
  if (args.reportJson !== undefined) {
    try {
      writeReport(args.reportJson, reportJson(result.changes, result.release));
    } catch (error) {
      if (error instanceof ReportPathError) {
        return stop([diagnostic('E_OUTPUT_PATH', error.message, { file: display(args.reportJson), line: 1 })]);
      }
      return stop([writeFailure(error, args.reportJson, 'writing the report failed', 'nothing was written')]);
    }
  }
  if (args.failOn === 'breaking' && isBreaking(result.changes)) {
    io.out(`eventgen: ${head}, nothing written: the run would make a breaking change (--fail-on breaking)${tail}`);
    return 1;
  }
  if (args.check) {
    const stale = [...changes, ...handlers.creates];
    for (const change of stale) io.err(`stale: ${display(change.file)} (${describeChange(change)})`);
    // An event type without a handler wired fails the check too: its events would be acknowledged and dropped.
    const unwired = handlers.unwired.map((w) => w.eventType);
    if (unwired.length > 0) io.err(`stale: ${display(path.join(args.handlers, INDEX))} (does not wire ${unwired.join(', ')})`);
    const count = stale.length + (unwired.length > 0 ? 1 : 0);
    io.out(`eventgen: ${head}, ${count} files stale${tail}`);
    return count > 0 ? 1 : 0;
  }
  try {
    commit(changes, roots);
  } catch (error) {
    print([writeFailure(error, roots[0] ?? args.out, 'writing failed')]);
    io.out(`eventgen: ${head}, ${error instanceof WriteError ? error.state : 'nothing written'}${tail}`);
    return 1;
  }
  let created: number;
  try {
    created = createHandlers(handlers.creates);
  } catch (error) {
    const state = `${roots.map(display).join(', ')} written; the next run writes the missing handlers`;
    print([writeFailure(error, args.handlers, 'writing the handlers failed', state)]);
    io.out(`eventgen: ${head}, handlers not written${tail}`);
    return 1;
  }
  const written = changes.filter((c) => !isManifest(c)).length + created;
  timings.push(['write', performance.now() - started]);
  stage('write', `${written} files`, performance.now() - started);
  if (args.timings) io.err(`timings: ${timings.map(([s, ms]) => `${s} ${Math.round(ms)} ms`).join(', ')}`);
  const recorded =
    written === 0 && changes.length > 0 ? ` (only ${changes.map((c) => display(c.file)).join(' and ')} recorded)` : '';
  io.out(`eventgen: ${head}, ${written} files written${recorded}${tail}`);
  return 0;
}

/**
 * A diagnostic of the pipeline as printed: the docs' paths are recorded relative to the project's
 * folder (`root`), and people are shown them relative to the working directory.
 */
function shownFrom(root: string, d: Diagnostic): Diagnostic {
  if (path.isAbsolute(d.file) || realTarget(process.cwd()) === root) return d;
  const file = path.resolve(root, d.file);
  return existsSync(file) ? { ...d, file: display(file) } : d;
}

/** The manifest of a folder eventgen knows (the previous run's, or the one adoption made up). */
function known(owner: Ownership | undefined) {
  return owner?.kind === 'known' ? owner.manifest : undefined;
}

/** What the release step needs of the generated package on disk: its package.json and CHANGELOG.md. */
function readReleaseFiles(out: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const name of RELEASE_FILES) {
    const text = readTextIfExists(path.join(out, name));
    if (text !== undefined) files.set(name, text);
  }
  return files;
}
