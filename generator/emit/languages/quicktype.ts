/**
 * quicktype-core as a renderer of the reviewed schemas: its JSON Schema front end reads
 * them from an in-memory store (no network, no disk), and its target languages print them.
 * Inference stays eventgen's (ARCHITECTURE.md, "Why inference is our own"): quicktype only
 * sees schemas, so it infers nothing from values.
 * https://github.com/glideapps/quicktype/blob/master/packages/quicktype-core/src/input/JSONSchemaInput.ts
 */
import {
  InputData,
  type JSONSchema,
  JSONSchemaInput,
  JSONSchemaStore,
  nullableFromUnion,
  quicktypeMultiFile,
  type TargetLanguage,
  type Type,
  UnionType,
} from 'quicktype-core';
import type { JsonSchema } from '../../ir.ts';

/**
 * Answers quicktype's fetches from the schema files given. `$ref: "shared.defs.json#/$defs/X"`
 * is resolved against the referring file's `$id`, so the address is a file name; an absolute
 * `$id` gives a URL, which is matched by its last path segment.
 */
export class MemorySchemaStore extends JSONSchemaStore {
  constructor(private readonly files: ReadonlyMap<string, JsonSchema>) {
    super();
  }

  async fetch(address: string): Promise<JSONSchema | undefined> {
    const name = address.replace(/#.*$/, '');
    return (this.files.get(name) ?? this.files.get(name.slice(name.lastIndexOf('/') + 1))) as JSONSchema | undefined;
  }
}

/**
 * quicktype's options. Classes from a schema are never combined (`combineClasses` applies to
 * inferred classes only, and is off anyway), so two events with the same shape stay two types.
 * The `infer*` string flags do not infer anything from a schema: they decide whether a schema's
 * own `format` (`date-time`, `date`, `time`, `uuid`) maps to the language's type for it (see
 * `stringTypeMapping` in quicktype's Run.ts). They are off: a date-time stays the string that was
 * sent, as in the TypeScript package, because every language's date type writes it back otherwise
 * (Python's datetime holds microseconds, so Azure's `.1234567` loses a digit; offsets and trailing
 * zeros are rewritten), and a round trip must give back the same JSON. Stringified integers and
 * booleans are quicktype inventions no schema of ours has.
 */
export const QUICKTYPE_FLAGS = {
  combineClasses: false,
  inferMaps: false,
  inferEnums: false,
  inferDateTimes: false,
  inferUuids: false,
  inferIntegerStrings: false,
  inferBooleanStrings: false,
  ignoreJsonRefs: false,
  alphabetizeProperties: false,
  fixedTopLevels: true,
} as const;

export interface QuicktypeRun {
  /** Output files by the names quicktype gives them. */
  readonly files: Map<string, string>;
  /** For each top-level name, whether quicktype made it a class (or a nullable class). */
  readonly classes: ReadonlySet<string>;
}

export interface Naming {
  /**
   * Type names printed as they are (the TypeScript names of event data and shared definitions):
   * quicktype's namers restyle names, e.g. Python, Go, Java, Kotlin and Swift spell the acronym
   * in `AcsSmsReceivedEventData` as `AcsSMSReceivedEventData`.
   */
  readonly keep: ReadonlySet<string>;
  /**
   * Names the hand-rendered code beside the output declares (envelopes, the event map): quicktype
   * keeps its own types off them, as it does with the language's keywords.
   */
  readonly reserved: readonly string[];
  /** Restyles a property name after quicktype styled it (Python: `from` → `from_`). */
  readonly property?: (styled: string) => string;
  /**
   * Member names the code added to every class declares (the map of additional properties and its
   * accessors): quicktype keeps property names off them, as it does with the language's keywords.
   */
  readonly memberNames?: readonly string[];
}

/** Renders `topLevels` (type name → schema file name) with `language`. */
export async function runQuicktype(
  language: TargetLanguage,
  files: ReadonlyMap<string, JsonSchema>,
  topLevels: ReadonlyMap<string, string>,
  rendererOptions: Record<string, string | boolean>,
  naming: Naming,
): Promise<QuicktypeRun> {
  const input = new JSONSchemaInput(new MemorySchemaStore(files));
  for (const [name, file] of topLevels) await input.addSource({ name, uris: [file] });
  const inputData = new InputData();
  inputData.addInput(input);
  const graphs: { topLevels: ReadonlyMap<string, Type> }[] = [];
  observe(language, graphs, naming);
  const result = await quicktypeMultiFile({
    ...QUICKTYPE_FLAGS,
    inputData,
    lang: language,
    outputFilename: 'output',
    rendererOptions,
  });
  const graph = graphs[0];
  if (graph === undefined)
    throw new Error(`${language.displayName}: quicktype rendered without the graph hook (has quicktype-core changed?)`);
  const classes = new Set<string>();
  for (const [name, type] of graph.topLevels) {
    const nonNull = type instanceof UnionType ? nullableFromUnion(type) : type;
    if (nonNull?.kind === 'class') classes.add(name);
  }
  const out = new Map<string, string>();
  for (const [name, rendered] of result) out.set(name, `${rendered.lines.join('\n').trimEnd()}\n`);
  return { files: out, classes };
}

interface Observable {
  renderGraphAndSerialize(graph: { topLevels: ReadonlyMap<string, Type> }, ...rest: unknown[]): unknown;
  makeRenderer(...args: unknown[]): {
    forbiddenNamesForGlobalNamespace?: () => readonly string[];
    forbiddenForObjectProperties?: (...args: unknown[]) => { names: readonly unknown[]; includeGlobalForbidden: boolean };
    makeNamedTypeNamer?: () => { nameStyle: (raw: string) => string };
    namerForObjectProperty?: (...args: unknown[]) => { nameStyle: (raw: string) => string } | null;
  };
}

/**
 * quicktype has no API for the final type graph, extra reserved names or fixed type names, so
 * the language instance (a fresh one per run) is wrapped: `renderGraphAndSerialize` records the
 * graph it renders, and `makeRenderer` adds `reserved` to the renderer's forbidden global names,
 * makes its type namer print the names in `keep` as they are, and restyles property names. A kept name quicktype must
 * avoid (a keyword, a clash) is proposed with a prefix, which is styled as usual.
 * quicktype-core is pinned in package.json; test/languages.test.ts fails if a hook stops working.
 */
function observe(language: TargetLanguage, graphs: { topLevels: ReadonlyMap<string, Type> }[], naming: Naming) {
  const target = language as unknown as Observable;
  const render = target.renderGraphAndSerialize.bind(target);
  target.renderGraphAndSerialize = (graph, ...rest) => {
    graphs.push(graph);
    return render(graph, ...rest);
  };
  const makeRenderer = target.makeRenderer.bind(target);
  target.makeRenderer = (...args) => {
    const renderer = makeRenderer(...args);
    const forbidden = renderer.forbiddenNamesForGlobalNamespace?.bind(renderer);
    const makeNamer = renderer.makeNamedTypeNamer?.bind(renderer);
    if (forbidden === undefined || makeNamer === undefined) {
      throw new Error(`${language.displayName}: quicktype's renderer has changed (no forbidden names or type namer)`);
    }
    renderer.forbiddenNamesForGlobalNamespace = () => [...new Set([...forbidden(), ...naming.reserved])];
    renderer.makeNamedTypeNamer = () => {
      const namer = makeNamer();
      const style = namer.nameStyle;
      namer.nameStyle = (raw) => (naming.keep.has(raw) ? raw : style(raw));
      return namer;
    };
    const members = naming.memberNames ?? [];
    const forbiddenProperties = renderer.forbiddenForObjectProperties?.bind(renderer);
    if (members.length > 0) {
      if (forbiddenProperties === undefined)
        throw new Error(`${language.displayName}: quicktype's renderer has changed (no forbidden property names)`);
      renderer.forbiddenForObjectProperties = (...rest) => {
        const own = forbiddenProperties(...rest);
        return { ...own, names: [...own.names, ...members] };
      };
    }
    const property = naming.property;
    const makePropertyNamer = renderer.namerForObjectProperty?.bind(renderer);
    if (property !== undefined && makePropertyNamer !== undefined) {
      renderer.namerForObjectProperty = (...rest) => {
        const namer = makePropertyNamer(...rest);
        if (namer !== null) {
          const style = namer.nameStyle;
          namer.nameStyle = (raw) => property(style(raw));
        }
        return namer;
      };
    }
    return renderer;
  };
}
