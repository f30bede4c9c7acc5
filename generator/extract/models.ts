/**
 * Code models on a page: C#, Java and TypeScript declarations of an event's data
 * (`public double? TTLSeconds { get; set; }`, `private String jobId;`, `ttlSeconds?: number;`).
 * Each class or interface becomes a list of members with their stated type, read like a property
 * table whose rows name fields (matched to the samples' keys ignoring case, by infer/evidence.ts).
 * A serializer attribute names the member's JSON key (`[JsonPropertyName("ttlSeconds")]`,
 * `@JsonProperty("ttlSeconds")`). Lines that declare nothing are skipped; linear in the block.
 */
import type { PropertyRow, PropertyTable } from '../ir.ts';
import type { CodeBlock } from './markdown.ts';

const TYPE_START = /\b(?:class|record|struct|interface)\s+([A-Za-z_]\w*)|\btype\s+([A-Za-z_]\w*)\s*=\s*\{/;
/** `public double? TTLSeconds { get; set; }`, `public List<X> Items;`, `private final String name;` */
const MEMBER =
  /^\s*(?:public|internal|protected|private)\s+(?:(?:readonly|virtual|override|required|final|static|transient|volatile|new)\s+)*([A-Za-z_][\w.]*(?:\s*<[\w\s.,<>?[\]]*>)?(?:\[\])*\??)\s+([A-Za-z_]\w*)\s*(?:\{\s*(?:get|set|init)\b|;|=)/;
/** `ttlSeconds?: number;`, `readonly "odata.type": string` inside an interface. */
const TS_MEMBER = /^\s*(?:readonly\s+)?(?:["']([^"']+)["']|([A-Za-z_$][\w$]*))(\?)?\s*:\s*([^;,/]+?)\s*[;,]?\s*(?:\/\/.*)?$/;
const WIRE_NAME = /(?:JsonPropertyName|JsonProperty|SerializedName|JsonPropertyAttribute)\s*\(\s*(?:name\s*=\s*)?"([^"]+)"/;

/** The classes and interfaces a code block declares, as property tables of kind `code`. */
export function codeModels(block: CodeBlock, file: string, locale: string, date?: string): PropertyTable[] {
  const tables: PropertyTable[] = [];
  let current: Model | undefined;
  const close = () => {
    if (current && current.rows.length > 0) tables.push(table(current, file, locale, date));
  };
  block.text.split('\n').forEach((text, i) => {
    // A declaration fits on a line a person reads; longer lines are data or minified code.
    if (text.length > 500) return;
    const line = block.line + i;
    if (TYPE_START.test(text)) {
      close();
      current = { line, rows: [], typescript: /\binterface\b|\btype\b/.test(text) && !/\bpublic\b/.test(text) };
    } else if (current !== undefined) readMember(current, text, line);
  });
  close();
  return tables;
}

/** A class or interface being read: where it starts, its members so far, and the JSON name an attribute gave the next member. */
interface Model {
  readonly line: number;
  readonly rows: PropertyRow[];
  /** A TypeScript interface or type, whose members are `name?: type`. */
  readonly typescript: boolean;
  wire?: string | undefined;
}

/** One line inside a model: a serializer attribute (naming the next member), a member, or nothing. */
function readMember(model: Model, text: string, line: number): void {
  const attribute = WIRE_NAME.exec(text);
  const member = MEMBER.exec(text);
  if (member) {
    const type = (member[1] as string).replace(/\s+/g, ' ');
    model.rows.push({ name: attribute?.[1] ?? model.wire ?? (member[2] as string), type, line, values: [] });
    model.wire = undefined;
  } else if (attribute) model.wire = attribute[1];
  else {
    const ts = model.typescript ? TS_MEMBER.exec(text) : null;
    if (ts) model.rows.push({ name: (ts[1] ?? ts[2]) as string, type: (ts[4] as string).trim(), line, values: [] });
  }
}

function table(model: Model, file: string, locale: string, date: string | undefined): PropertyTable {
  return { file, line: model.line, locale, rows: model.rows, kind: 'code', ...(date === undefined ? {} : { date }) };
}
