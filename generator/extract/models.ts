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
  const lines = block.text.split('\n');
  let current: { line: number; rows: PropertyRow[]; typescript: boolean } | undefined;
  let wire: string | undefined;
  lines.forEach((text, i) => {
    // A declaration fits on a line a person reads; longer lines are data or minified code.
    if (text.length > 500) return;
    const line = block.line + i;
    const start = TYPE_START.exec(text);
    if (start) {
      if (current && current.rows.length > 0) tables.push(table(current, file, locale, date));
      current = { line, rows: [], typescript: /\binterface\b|\btype\b/.test(text) && !/\bpublic\b/.test(text) };
      wire = undefined;
      return;
    }
    if (current === undefined) return;
    const attribute = WIRE_NAME.exec(text);
    if (attribute && !MEMBER.test(text)) {
      wire = attribute[1];
      return;
    }
    const member = MEMBER.exec(text);
    if (member) {
      const type = (member[1] as string).replace(/\s+/g, ' ');
      current.rows.push({ name: attribute?.[1] ?? wire ?? (member[2] as string), type, line, values: [] });
      wire = undefined;
      return;
    }
    const ts = current.typescript ? TS_MEMBER.exec(text) : null;
    if (ts) {
      const name = (ts[1] ?? ts[2]) as string;
      const type = (ts[4] as string).trim();
      current.rows.push({ name, type, line, values: [] });
    }
  });
  if (current && current.rows.length > 0) tables.push(table(current, file, locale, date));
  return tables;
}

function table(
  current: { line: number; rows: PropertyRow[] },
  file: string,
  locale: string,
  date: string | undefined,
): PropertyTable {
  return { file, line: current.line, locale, rows: current.rows, kind: 'code', ...(date === undefined ? {} : { date }) };
}
