/**
 * Python data classes that give back the JSON they read: quicktype's `from_dict` keeps only the
 * members its schema names and `to_dict` drops a member sent as `null`, so each class gains an
 * `extra` field: every member of the object `to_dict` would not write back (members no schema
 * names, members sent as `null`), kept as read and written back after the fields. A member the
 * application sets afterwards is written from its field.
 */

/** The helpers the transformed classes call; appended to data.py. */
const HELPERS = `

def _keep(value: Any, obj: dict) -> Any:
    """\`value\` read from \`obj\`, with the members of \`obj\` its to_dict would not write back in its \`extra\`."""
    written = value.to_dict()
    value.extra = {key: member for key, member in obj.items() if key not in written}
    return value


def _with_extra(result: dict, extra: dict) -> dict:
    """\`result\` with the members of \`extra\` it has no value for."""
    for key, member in extra.items():
        if key not in result:
            result[key] = member
    return result
`;

const CLASS =
  /^@dataclass\nclass (\w+):\n([\s\S]*?)\n\n {4}@staticmethod\n {4}def from_dict\(obj: Any\) -> '\1':\n([\s\S]*?)\n {8}return \1\((.*)\)\n\n {4}def to_dict\(self\) -> dict:\n([\s\S]*?)\n {8}return result$/gm;

/** data.py with every class lossless. Throws when quicktype's output is not shaped as this expects (a new quicktype). */
export function losslessPython(data: string): string {
  const classes = data.match(/^class \w+/gm)?.length ?? 0;
  let done = 0;
  const out = data.replace(CLASS, (_, name: string, fields: string, read: string, args: string, write: string) => {
    done++;
    return `@dataclass
class ${name}:
${fields}
    extra: dict[str, Any] = _dataclasses.field(default_factory=dict)
    """Members of the JSON object no field holds (unknown to the schema, or sent as null), as read."""

    @staticmethod
    def from_dict(obj: Any) -> '${name}':
${read}
        return _keep(${name}(${args}), obj)

    def to_dict(self) -> dict:
${write}
        return _with_extra(result, self.extra)`;
  });
  if (done !== classes) throw new Error(`python: ${classes - done} of ${classes} classes are not shaped as eventgen expects`);
  if (classes === 0) return data;
  if (!/^from dataclasses import dataclass$/m.test(data) || !/^from typing import Any\b/m.test(data))
    throw new Error('python: the imports of the data classes are not shaped as eventgen expects');
  return `${out.replace(/^from dataclasses import dataclass$/m, 'import dataclasses as _dataclasses\nfrom dataclasses import dataclass').trimEnd()}\n${HELPERS}`;
}

/**
 * The field of each key quicktype read in the classes of data.py, by class: from the lines
 * `name = …obj.get("key")…` of each `from_dict`.
 */
export function pythonFields(data: string): Map<string, Map<string, string>> {
  const out = new Map<string, Map<string, string>>();
  for (const block of data.split(/^class /m).slice(1)) {
    const name = /^\w+/.exec(block)?.[0] ?? '';
    const fields = new Map<string, string>();
    for (const line of block.matchAll(/^ {8}(\w+) = .*?obj\.get\(("(?:[^"\\]|\\.)*")\)/gm)) {
      try {
        fields.set(JSON.parse(line[2] ?? '""') as string, line[1] ?? '');
      } catch {
        // A key quicktype escaped beyond JSON's escapes: left out of the mapping.
      }
    }
    out.set(name, fields);
  }
  return out;
}
