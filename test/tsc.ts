/**
 * `tsc <args>` run in `cwd`, in the test's own process: the project's TypeScript compiler, called through its API
 * with the same command line (`-p <tsconfig>` or root files and flags), the same diagnostics (formatted as tsc
 * prints them, paths relative to `cwd`) and the same emit. What it saves over a `tsc` process is the start-up and
 * the parse of the declaration files every compile of the suite shares (TypeScript's libs, @types/node, ajv-formats,
 * jose): each is parsed once per test worker, as TypeScript's language service shares them between programs.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import type * as TS from 'typescript';

let loaded: typeof TS | undefined;
/** TypeScript, loaded on the first compile (most test files never compile). */
function typescript(): typeof TS {
  loaded ??= createRequire(import.meta.url)('typescript') as typeof TS;
  return loaded;
}

/** Parsed declaration files outside the sources under test, by file and by what shapes a parse. */
const shared = new Map<string, TS.SourceFile>();

function isShared(file: string): boolean {
  return file.endsWith('.d.ts') && (file.includes('/node_modules/') || path.basename(file).startsWith('lib.'));
}

/** A compiler host for `cwd` whose declaration files from packages and libs come from {@link shared}. */
function hostFor(ts: typeof TS, options: TS.CompilerOptions, cwd: string): TS.CompilerHost {
  const host = ts.createCompilerHost(options);
  const read = host.getSourceFile.bind(host);
  host.getCurrentDirectory = () => cwd;
  host.getSourceFile = (file, shape, onError, fresh) => {
    if (!isShared(file)) return read(file, shape, onError, fresh);
    const how = typeof shape === 'object' ? shape : { languageVersion: shape };
    const key = `${file}\0${how.languageVersion}\0${how.impliedNodeFormat ?? ''}\0${options.alwaysStrict ?? options.strict ?? ''}`;
    let source = shared.get(key);
    if (source === undefined) {
      source = read(file, shape, onError, fresh);
      if (source !== undefined) shared.set(key, source);
    }
    return source;
  };
  return host;
}

/** The program `args` describe, as tsc builds it from `cwd`. */
function programOf(ts: typeof TS, args: readonly string[], cwd: string): { program: TS.Program; errors: TS.Diagnostic[] } {
  const command = ts.parseCommandLine([...args]);
  const errors = [...command.errors];
  let options = command.options;
  let roots = command.fileNames.map((f) => path.resolve(cwd, f));
  if (options.project !== undefined) {
    const configFile = path.resolve(cwd, options.project);
    const parsed = ts.getParsedCommandLineOfConfigFile(
      configFile,
      { ...options, project: undefined },
      {
        ...ts.sys,
        getCurrentDirectory: () => cwd,
        onUnRecoverableConfigFileDiagnostic: (d) => errors.push(d),
      },
    );
    if (parsed === undefined) throw new Error(`tsc: cannot read ${configFile}`);
    errors.push(...parsed.errors);
    options = parsed.options;
    roots = parsed.fileNames;
  }
  const program = ts.createProgram({ rootNames: roots, options, host: hostFor(ts, options, cwd) });
  return { program, errors };
}

/** Compiles as `tsc <args>` in `cwd` does (emitting unless --noEmit); returns its report, throwing with it on an error. */
export function compileInProcess(args: readonly string[], cwd: string): string {
  const ts = typescript();
  const { program, errors } = programOf(ts, args, cwd);
  const diagnostics = [...errors, ...ts.getPreEmitDiagnostics(program)];
  if (!program.getCompilerOptions().noEmit) diagnostics.push(...program.emit().diagnostics);
  const report = ts.formatDiagnostics(ts.sortAndDeduplicateDiagnostics(diagnostics), {
    getCanonicalFileName: (f) => f,
    getCurrentDirectory: () => cwd,
    getNewLine: () => '\n',
  });
  if (diagnostics.some((d) => d.category === ts.DiagnosticCategory.Error)) throw new Error(`tsc failed:\n${report}`);
  return report;
}
