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
import { type Change, isManifest, plan, readSchemaDir, readTextIfExists, type Target } from '../write/store.ts';
import { commit, pendingSwitch, recover, swapRoots, WriteError } from '../write/swap.ts';
import { blame } from './blame.ts';
import { createHandlers, type HandlersWork, handlersWork, INDEX } from './handlers.ts';
import { describeChange, type Io, progress, summaryTail, writeFailure } from './print.ts';
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

/** Reports a stage's progress (what it made, how long it took). */
type Stage = ReturnType<typeof progress>;

/** What the phases of a run share: its arguments, its output, the folders it writes. */
interface Run {
  readonly args: GenerateArgs;
  readonly io: Io;
  readonly folders: readonly Folder[];
  /** The folders replaced as a whole: the output folders less those nested in another. */
  readonly roots: readonly string[];
  /** Prints diagnostics (infos left out with --quiet). */
  print(diagnostics: readonly Diagnostic[]): void;
  /** Prints diagnostics and ends the run having written nothing: exit code 1. */
  stop(diagnostics: readonly Diagnostic[]): number;
}

export async function runGenerate(args: GenerateArgs, io: Io): Promise<number> {
  const run = startRun(args, io);
  const ready = readyFolders(run);
  if ('problems' in ready) return run.stop(ready.problems);
  const { recovered, owners } = ready;

  const stage = progress(io, args.quiet);
  const inputs = readInputs(run, stage);
  let result: GenerateResult;
  try {
    result = await generate(inputs.input);
  } catch (error) {
    // Stages report bad input as diagnostics; this is the net for anything they did not foresee.
    return run.stop([...recovered, ...inputs.diagnostics, ...(await blame(error, inputs.input, args.docs))]);
  }
  const timings = [...result.timings];
  const found = [...inputs.diagnostics, ...result.diagnostics.map((d) => shownFrom(args.root, d))];
  // The language folders follow --schemas and --out among the output folders.
  const languages = args.langs.map(
    ({ lang, dir }, i): Target => ({
      root: dir,
      files: result.languages.get(lang) ?? new Map(),
      previous: known(owners[i + 2]),
      prune: true,
    }),
  );

  const handlers = handlersWork(args.handlers, result.skeletons, result.wiring, args.out);
  const started = performance.now();
  const errors = found.filter((d) => d.severity === 'error').length;
  const { changes, kept } = plan([
    { root: args.schemas, files: result.schemas, previous: known(owners[0]), prune: false },
    { root: args.out, files: result.generated, previous: known(owners[1]), prune: true },
    ...languages,
    { root: args.catalog, files: result.catalog, previous: known(owners.at(-1)), prune: true },
  ]);
  const diagnostics = [...recovered, ...found, ...handlers.diagnostics, ...(errors > 0 ? [] : kept)];
  run.print(diagnostics);

  const say = summaryLine(io, result, diagnostics, errors, inputs.skipped);
  if (errors > 0) return say('nothing written', 1);
  for (const line of summary(result.changes, result.release)) io.out(line);
  const reportProblem = writeReportFile(args, result);
  if (reportProblem !== undefined) return run.stop([reportProblem]);
  if (args.failOn === 'breaking' && isBreaking(result.changes)) {
    return say('nothing written: the run would make a breaking change (--fail-on breaking)', 1);
  }
  if (args.check) return checkVerdict(run, [...changes, ...handlers.creates], handlers.unwired, say);
  const written = writeAll(run, changes, handlers.creates, say);
  if (written === undefined) return 1;
  timings.push(['write', performance.now() - started]);
  stage('write', `${written} files`, performance.now() - started);
  if (args.timings) io.err(`timings: ${timings.map(([s, ms]) => `${s} ${Math.round(ms)} ms`).join(', ')}`);
  const recorded =
    written === 0 && changes.length > 0 ? ` (only ${changes.map((c) => display(c.file)).join(' and ')} recorded)` : '';
  return say(`${written} files written${recorded}`, 0);
}

function startRun(args: GenerateArgs, io: Io): Run {
  const folders = outputFolders(args);
  const print = (diagnostics: readonly Diagnostic[]) => {
    for (const d of diagnostics) if (!(args.quiet && d.severity === 'info')) io.err(formatDiagnostic(d));
  };
  return {
    args,
    io,
    folders,
    roots: swapRoots(folders.map((f) => f.dir)),
    print,
    stop(diagnostics) {
      print(diagnostics);
      io.out('eventgen: nothing written');
      return 1;
    },
  };
}

/**
 * The output folders made ready before anything is read: their paths usable, a write a killed run
 * left halfway finished (or undone; --check only says so), and each folder empty or eventgen's own
 * (write/manifest.ts). Else the problems that stop the run.
 */
function readyFolders(run: Run): { recovered: Diagnostic[]; owners: Ownership[] } | { problems: Diagnostic[] } {
  const { args, folders } = run;
  const handlersFolder = { flag: '--handlers', dir: args.handlers, what: "the application's handlers folder" };
  const pathProblems = checkOutputPaths({
    folders: [...folders, handlersFolder],
    ...(args.reportJson === undefined ? {} : { reportJson: args.reportJson }),
  });
  if (pathProblems.length > 0) return { problems: pathProblems };
  const recovered = finishInterrupted(run);
  if ('problems' in recovered) return recovered;
  const owners = folders.map((f) =>
    inspectFolder(
      f.dir,
      f.kind,
      folders.filter((o) => o !== f).map((o) => o.dir),
    ),
  );
  const ownership = folders.map((f, i) => ownershipProblem(owners[i] as Ownership, f.flag, f.dir)).filter((d) => d !== undefined);
  if (ownership.length > 0) return { problems: [...recovered.diagnostics, ...ownership] };
  return { recovered: recovered.diagnostics, owners };
}

/** Finishes (or undoes) the write of a run killed while writing; --check, which writes nothing, stops on one instead. */
function finishInterrupted({ args, roots }: Run): { diagnostics: Diagnostic[] } | { problems: Diagnostic[] } {
  try {
    if (!args.check) return { diagnostics: recover(roots) };
    const pending = pendingSwitch(roots);
    if (pending === undefined) return { diagnostics: [] };
    const message = pending.busy
      ? `another eventgen run is writing ${display(pending.work)}; --check cannot compare until it ends`
      : `a run was killed while writing, and its write is not finished yet (${display(pending.work)}); --check writes nothing, so it cannot finish it`;
    return { problems: [diagnostic('E_OUTPUT_BUSY', message, { file: display(pending.work), line: 1 })] };
  } catch (error) {
    return { problems: [writeFailure(error, roots[0] ?? args.out, 'finishing the write of an interrupted run failed')] };
  }
}

/** The pipeline's input, read through the file store: the docs, the recorded events, the schemas and release files on disk, the cache. */
function readInputs(
  { args, folders }: Run,
  stage: Stage,
): { input: GenerateInput; diagnostics: Diagnostic[]; skipped: string[] } {
  const started = performance.now();
  const read = readDocs(args.docs, {
    maxBytes: args.maxDocBytes,
    exclude: [...folders.map((f) => f.dir), args.handlers],
    root: args.root,
    anchored: args.configured,
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
      langs: args.langs.map((l) => l.lang),
    },
    ...(cacheDir === undefined ? {} : { cache: diskCache(cacheDir, { readOnly: args.check }) }),
    progress: stage,
  };
  return { input, diagnostics: [...read.diagnostics, ...observedFiles.diagnostics], skipped: read.skipped };
}

/** Prints the run's last line (`eventgen: 3 docs read, …, <what happened>; <tail>`) and returns the exit code given. */
type Say = (what: string, code: number) => number;

function summaryLine(
  io: Io,
  result: GenerateResult,
  diagnostics: readonly Diagnostic[],
  errors: number,
  skipped: readonly string[],
): Say {
  const { stats } = result;
  const warnings = diagnostics.filter((d) => d.severity === 'warning').length;
  const head =
    `${stats.docsRead} docs read, ${stats.samples} samples (${stats.distinctSamples} distinct), ` +
    `${stats.eventTypes} event types, ${warnings} warnings, ${errors} errors`;
  const tail = summaryTail(diagnostics, skipped);
  return (what, code) => {
    io.out(`eventgen: ${head}, ${what}${tail}`);
    return code;
  };
}

/** Writes `--report-json`, if asked; the problem that stops the run when it cannot be written. */
function writeReportFile(args: GenerateArgs, result: GenerateResult): Diagnostic | undefined {
  if (args.reportJson === undefined) return undefined;
  try {
    writeReport(args.reportJson, reportJson(result.changes, result.release));
    return undefined;
  } catch (error) {
    if (error instanceof ReportPathError)
      return diagnostic('E_OUTPUT_PATH', error.message, { file: display(args.reportJson), line: 1 });
    return writeFailure(error, args.reportJson, 'writing the report failed', 'nothing was written');
  }
}

/** `--check`: each stale file, and the handlers' index.ts while it leaves an event type unwired; 1 when anything is stale. */
function checkVerdict({ args, io }: Run, stale: readonly Change[], unwired: HandlersWork['unwired'], say: Say): number {
  for (const change of stale) io.err(`stale: ${display(change.file)} (${describeChange(change)})`);
  // An event type without a handler wired fails the check too: its events would be acknowledged and dropped.
  const types = unwired.map((w) => w.eventType);
  if (types.length > 0) io.err(`stale: ${display(path.join(args.handlers, INDEX))} (does not wire ${types.join(', ')})`);
  const count = stale.length + (types.length > 0 ? 1 : 0);
  return say(`${count} files stale`, count > 0 ? 1 : 0);
}

/** Writes the output folders all or nothing, then the missing handlers: how many files were written, or undefined (reported) on a failure. */
function writeAll(run: Run, changes: readonly Change[], handlerFiles: readonly Change[], say: Say): number | undefined {
  const { args, roots } = run;
  try {
    commit(changes, roots);
  } catch (error) {
    run.print([writeFailure(error, roots[0] ?? args.out, 'writing failed')]);
    say(error instanceof WriteError ? error.state : 'nothing written', 1);
    return undefined;
  }
  try {
    return changes.filter((c) => !isManifest(c)).length + createHandlers(handlerFiles);
  } catch (error) {
    const state = `${roots.map(display).join(', ')} written; the next run writes the missing handlers`;
    run.print([writeFailure(error, args.handlers, 'writing the handlers failed', state)]);
    say('handlers not written', 1);
    return undefined;
  }
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
