/**
 * Stage 4, emit: schemas → the files of `generated/`, a package of its own
 * (package.json, tsconfig.json, README.md catalog, src/) rendered from the
 * handlebars templates in `templates/`.
 */
import type { Diagnostic } from '../diagnostics.ts';
import type { FileMap, SchemaSet, TextCache } from '../ir.ts';
import { fileName } from '../names.ts';
import { MD_BANNER, TS_BANNER } from './banner.ts';
import { type CatalogInput, type CatalogModel, catalogModel, released } from './catalog.ts';
import { type FixtureModel, fixtureModel, storedModel } from './fixtures.ts';
import { DEFAULT_PACKAGE_IMPORT, moduleSpecifier } from './handlers.ts';
import type { PackageModel } from './release.ts';
import { render } from './render.ts';
import { runtimeModules } from './runtime.ts';
import { dataModule } from './typescript.ts';
import { compileValidatorsInParallel, formatsModule } from './validators.ts';
import { packageView } from './view.ts';

export interface EmitOptions {
  /** `name` of the generated package.json. */
  readonly packageName: string;
  /** The keywords curated in schemas/, recorded in package.json for the next run's report. */
  readonly curated?: readonly string[];
  /**
   * How the application's handlers folder imports the package: a relative path to the package folder
   * (`../generated`, the default: handlers/ beside it), or the package's name once it is installed.
   */
  readonly handlersImport?: string;
  /** The declarations of data.ts printed before (emit/typescript.ts). */
  readonly cache?: TextCache;
  /** Preferred description locales, best first (the catalog shows the others on request). */
  readonly locales?: readonly string[];
  /** The application's handlers folder as the catalog names it (default `handlers`). */
  readonly handlersDir?: string;
}

export { DEFAULT_PACKAGE_NAME, GENERATED_MARK, HANDLERS_DIR, MD_BANNER } from './banner.ts';

export interface Emitted {
  /** Files owned by eventgen, rewritten on every run (package.json and CHANGELOG.md come from the release step). */
  readonly files: FileMap;
  readonly packageModel: PackageModel;
  /**
   * The application's handlers folder (paths relative to it): a skeleton per event type, `index.ts`
   * and `server.ts`. Written when missing, never overwritten; not part of the package.
   */
  readonly skeletons: FileMap;
  /** How those files import the package (see EmitOptions.handlersImport). */
  readonly handlersImport: string;
  /** Each event type's handler: what `index.ts` must wire (the CLI checks the application's index.ts names it). */
  readonly wiring: HandlerWiring[];
  readonly diagnostics: Diagnostic[];
  /**
   * The catalog model (catalog.ts) once the release step knows the version and the CHANGELOG: what the
   * README catalog shows, and what the HTML catalog and the AsyncAPI document are written from.
   */
  readonly catalog: (release: Pick<CatalogInput, 'version' | 'changelog'>) => CatalogModel;
}

export interface HandlerWiring {
  readonly eventType: string;
  /** The skeleton's file in the handlers folder (`AcsSmsReceived.ts`). */
  readonly file: string;
  /** The handler it exports (`onAcsSmsReceived`). */
  readonly handler: string;
}

export async function emit(set: SchemaSet, options: EmitOptions): Promise<Emitted> {
  const { view, diagnostics } = packageView(set);
  const compiling = compileValidatorsInParallel(
    new Map(view.events.map((e) => [e.typeName, e.schema])),
    set.shared,
    options.cache,
  );
  const data = await dataModule(set, view, diagnostics, options.cache);

  // Templates are written formatted (a test checks that prettier leaves them as they are); data.ts's
  // declarations are formatted by prettier as json-schema-to-typescript compiles them.
  const ts = (name: string, model: object) => render(name, { banner: TS_BANNER, ...model });
  const fixtures = new Map<string, FixtureModel>(
    view.events.map((e) => [e.eventType, fixtureModel(e.schema, set.shared, e.eventType)]),
  );
  const model = catalogModel(view, set, {
    packageName: options.packageName,
    locales: options.locales ?? [],
    curated: options.curated ?? [],
    handlersDir: options.handlersDir ?? HANDLERS_FOLDER,
    fixtures,
  });
  const catalog = (release: Pick<CatalogInput, 'version' | 'changelog'>) => released(model, release);
  const files: FileMap = new Map();
  files.set('tsconfig.json', render('tsconfig.json.hbs', {}));
  files.set(
    'README.md',
    render('README.md.hbs', {
      banner: MD_BANNER,
      name: options.packageName,
      events: model.events,
      example: view.events[0] ?? null,
    }),
  );
  files.set('src/data.ts', data);
  files.set('src/events.ts', ts('events.ts.hbs', { events: view.events }));

  const compiled = await compiling;
  // JavaScript with a declaration file, not TypeScript: the compiler never parses ajv's output (its nesting follows
  // the schemas' and can overflow tsc's parser), and the package builds faster. The build copies it into dist/.
  files.set(
    'src/validators.compiled.js',
    `${TS_BANNER}\n// Compiled from schemas/ at generate time (eventgen's own code for the schemas it writes, ajv's standalone code for the envelopes and any other keyword); its types are in validators.compiled.d.ts, its typed API in validators.ts.\n${compiled.code}`,
  );
  files.set(
    'src/validators.compiled.d.ts',
    ts('validators.compiled.d.ts.hbs', {
      exports: ['EventGridEvent', 'EventGridDeliveredEvent', 'CloudEvent', ...view.events.map((e) => e.typeName)].map((name) => ({
        name,
        own: compiled.own.includes(name),
      })),
    }),
  );
  // The format checks the compiled validators import: generator/formats.mjs as it is (plain JavaScript).
  files.set('src/formats.js', `${TS_BANNER}\n${formatsModule()}`);
  // Rendered as the template is formatted, without prettier: it grows with the number of events (bench P2).
  files.set('src/validators.ts', render('validators.ts.hbs', { banner: TS_BANNER, events: view.events }));
  const models = Object.fromEntries(
    view.events.map((e) => [e.eventType, storedModel(fixtures.get(e.eventType) as FixtureModel)]),
  );
  // Not run through prettier: the templates are formatted already, and the models are one long JSON string.
  files.set('src/fixtures.ts', render('fixtures.ts.hbs', { banner: TS_BANNER, events: view.events }));
  files.set('src/fixture-models.ts', render('fixture-models.ts.hbs', { banner: TS_BANNER, models: JSON.stringify(models) }));

  // The static modules (runtime/).
  for (const [file, text] of runtimeModules(TS_BANNER)) files.set(file, text);

  // The application's handlers folder, outside the package.
  const handlersImport = options.handlersImport ?? DEFAULT_PACKAGE_IMPORT;
  const routerModule = moduleSpecifier(handlersImport, 'router');
  const skeletons: FileMap = new Map();
  // Each skeleton is named after its type, shortened with a hash when too long for a file name (names.ts).
  const wired = view.events.map((e) => {
    const file = fileName(e.baseName, '.ts');
    return { ...e, file, module: `./${file.replace(/\.ts$/, '.js')}` };
  });
  for (const event of wired) skeletons.set(event.file, render('skeleton.ts.hbs', { ...event, routerModule }));
  skeletons.set('index.ts', render('handlers-index.ts.hbs', { events: wired, routerModule }));
  skeletons.set(
    'server.ts',
    render('server.ts.hbs', { routerModule, nodeHttpModule: moduleSpecifier(handlersImport, 'node-http') }),
  );
  return {
    files,
    skeletons,
    handlersImport,
    wiring: view.events.map((e) => ({ eventType: e.eventType, file: `${e.baseName}.ts`, handler: `on${e.baseName}` })),
    diagnostics,
    catalog,
    packageModel: packageModel(view.events.length, options, compiled.imports),
  };
}

/** The application's handlers folder as the catalog names it when the CLI does not say: beside the package. */
const HANDLERS_FOLDER = 'handlers';

/**
 * Versions of the packages the compiled validators import at run time; kept equal to
 * the generator's own dependencies (a test checks it), so generated code and the
 * validators eventgen tests against are the same.
 */
export const RUNTIME_VERSIONS: Readonly<Record<string, string>> = {
  ajv: '^8.20.0',
  'ajv-formats': '^3.0.1',
  jose: '^6.2.17',
};

/** Packages the runtime modules import (runtime/auth.ts loads jose when Entra ID authentication is on). */
const RUNTIME_IMPORTS = ['jose'];

function packageModel(eventCount: number, options: EmitOptions, imports: readonly string[]): PackageModel {
  return {
    name: options.packageName,
    description: `Types, validators and fixtures for ${eventCount} Event Grid event types, generated by eventgen from their documentation.`,
    typescriptVersion: '~5.9.3',
    dependencies: [...new Set([...imports, ...RUNTIME_IMPORTS])]
      .sort()
      .map((name, i, all) => ({ name, version: RUNTIME_VERSIONS[name] ?? '*', last: i === all.length - 1 })),
    curated: options.curated ?? [],
  };
}
