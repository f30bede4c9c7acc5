/**
 * Rust structs that give back the JSON they read, with serde's own means: the members no field
 * holds go to `extra` (`#[serde(flatten)]`), an optional field left `None` is not written (a
 * member that was absent stays absent), and a member of unknown shape sent as null is read as
 * `Some(Value::Null)`, so it is written back as null. https://serde.rs/attr-flatten.html
 */

/** The name of the flattened map; quicktype keeps property names off it. */
export const RUST_MEMBERS = ['extra'];

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

/** data.rs with every struct lossless. Throws when quicktype's output is not shaped as this expects. */
export function losslessRust(data: string): string {
  const structs = data.match(/^pub struct \w+ \{/gm)?.length ?? 0;
  if (structs === 0) return data;
  if (!/^use serde::\{Serialize, Deserialize\};$/m.test(data)) throw new Error('rust: data.rs does not import serde');
  let done = 0;
  const out = data.replace(STRUCT, (_, name: string, body: string) => {
    done++;
    const fields = body.replace(/^( {4})(pub \w+: Option<(.*)>,)$/gm, (_line, pad: string, field: string, type: string) => {
      const read = type === 'serde_json::Value' ? ', deserialize_with = "present"' : '';
      return `${pad}#[serde(default${read}, skip_serializing_if = "Option::is_none")]\n${pad}${field}`;
    });
    return `pub struct ${name} {
${fields}    /// Members of the JSON object no field holds (unknown to the schema), as read; written back after the fields.
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}`;
  });
  if (done !== structs) throw new Error(`rust: ${structs - done} of ${structs} structs are not shaped as eventgen expects`);
  return `${out.trimEnd()}\n${HELPERS}`;
}
