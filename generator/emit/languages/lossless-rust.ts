/**
 * Rust structs that give back the JSON they read, with serde's own means: the members no field
 * holds go to `extra` (`#[serde(flatten)]`), an optional field left `None` is not written (a
 * member that was absent stays absent), an optional field that may be null is serde's double
 * option (`Option<Option<T>>`: absent `None`, null `Some(None)`), a required nullable field's
 * `None` is written as null, and a member of unknown shape sent as null is read as
 * `Some(Value::Null)`. https://serde.rs/attr-flatten.html
 */

/** The name of the flattened map; quicktype keeps property names off it. */
export const RUST_MEMBERS = ['extra'];

/**
 * The doc-comment line that marks a field whose schema allows null, required or not. It starts
 * with a control character, which no description holds (plainComment makes them spaces).
 */
export const rustNullMark = (required: boolean) => `\u0001eventgen:${required ? 'null' : 'null-or-absent'}`;

const HELPERS = `
/// Reads a member that is present, null included, as \`Some\` (an absent one is \`None\` by \`default\`).
#[allow(dead_code)]
fn present<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    T::deserialize(deserializer).map(Some)
}
`;

const STRUCT = /^pub struct (\w+) \{\n([\s\S]*?)^\}$/gm;
// biome-ignore lint/suspicious/noControlCharactersInRegex: the mark starts with U+0001 on purpose (see rustNullMark).
const MARK = /^ {4}\/\/\/ \u0001eventgen:(null|null-or-absent)\n/m;
const OPTION = /^( {4})pub (\w+): Option<(.*)>,$/m;

/**
 * One field of a struct (its doc lines, attributes and declaration), as serde should read and write it:
 * - optional (not in `required`): `default` (absent reads as `None`) and not written when `None`;
 *   when it also allows null, `Option<Option<T>>` (serde's double option: absent `None`, null
 *   `Some(None)`), read with `present`;
 * - required and nullable: `None` is null, written as null;
 * - of unknown shape (`serde_json::Value`): read with `present`, so a null is `Some(Value::Null)`.
 */
function losslessField(block: string): string {
  const mark = MARK.exec(block)?.[1];
  const field = OPTION.exec(block);
  if (field === null) return block.replace(MARK, '');
  const [line, pad, name, type] = field;
  const optional = `${pad}#[serde(default, skip_serializing_if = "Option::is_none")]`;
  const present = `${pad}#[serde(default, deserialize_with = "present", skip_serializing_if = "Option::is_none")]`;
  if (type === 'serde_json::Value') return block.replace(MARK, '').replace(line, `${present}\n${line}`);
  if (mark === 'null') return block.replace(MARK, '');
  if (mark === undefined) return block.replace(line, `${optional}\n${line}`);
  return block
    .replace(MARK, `${pad}/// Absent: \`None\`; sent as null: \`Some(None)\`.\n`)
    .replace(line, `${present}\n${pad}pub ${name}: Option<Option<${type}>>,`);
}

/** data.rs with every struct lossless. Throws when quicktype's output is not shaped as this expects. */
export function losslessRust(data: string): string {
  const structs = data.match(/^pub struct \w+ \{/gm)?.length ?? 0;
  if (structs === 0) return data;
  if (!/^use serde::\{Serialize, Deserialize\};$/m.test(data)) throw new Error('rust: data.rs does not import serde');
  let done = 0;
  const out = data.replace(STRUCT, (_, name: string, body: string) => {
    done++;
    const fields = body.split('\n\n').map(losslessField).join('\n\n');
    return `pub struct ${name} {
${fields}    /// Members of the JSON object no field holds (unknown to the schema), as read; written back after the fields.
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}`;
  });
  if (done !== structs) throw new Error(`rust: ${structs - done} of ${structs} structs are not shaped as eventgen expects`);
  if (out.includes('\u0001')) throw new Error('rust: a nullable property is not a field of a struct as eventgen expects');
  return `${out.trimEnd()}\n${HELPERS}`;
}
