/**
 * Go structs that give back the JSON they read: each struct gains `AdditionalProperties`, the
 * members of the object its fields would not write back (members no schema names, members sent
 * as null, empty arrays an `omitempty` drops, members whose key differs from a field's only in
 * case), kept as read by its UnmarshalJSON and written back by its MarshalJSON after the fields.
 * encoding/json matches keys without regard to case; UnmarshalJSON gives each field the member
 * of its own key only. A member the application sets afterwards is written from its field.
 * https://pkg.go.dev/encoding/json
 */

/** Names every struct declares beside its fields; quicktype keeps property names off them. */
export const GO_MEMBERS = ['AdditionalProperties', 'MarshalJSON', 'UnmarshalJSON'];
/** Functions data.go declares; quicktype keeps type names off them. */
export const GO_FUNCTIONS = ['readKeeping', 'writeKeeping', 'fieldKeys'];

/** Characters encoding/json accepts in a tag's name besides letters and digits (its `isValidTag`). */
const TAG_PUNCTUATION = new Set('!#$%&()*+-./:;<=>?@[]^_{|}~ ');

/**
 * Whether encoding/json cannot bind `key` to a field: an empty name or `-` mean something else in a
 * tag, and a name with a character outside letters, digits and its punctuation is ignored (the
 * field's own name is used), as is one with a backtick, which cannot be written in a raw tag.
 */
export function goUnnamable(key: string): boolean {
  if (key === '' || key === '-') return true;
  return ![...key].every((c) => /^[\p{L}\p{Nd}]$/u.test(c) || TAG_PUNCTUATION.has(c));
}

const HELPERS = `
// readKeeping reads data into fields (a pointer to a struct without methods) and puts in *extra
// the members of data the fields would not write back. A field reads the member of its own key
// only: encoding/json alone would also read one whose key differs from it in case.
func readKeeping(data []byte, fields interface{}, extra *map[string]json.RawMessage) error {
	*extra = nil
	var members map[string]json.RawMessage
	if err := json.Unmarshal(data, &members); err != nil {
		return err
	}
	own := map[string]json.RawMessage{}
	for _, key := range fieldKeys(reflect.TypeOf(fields).Elem()) {
		if value, ok := members[key]; ok {
			own[key] = value
		}
	}
	exact, err := json.Marshal(own)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(exact, fields); err != nil {
		return err
	}
	written, err := json.Marshal(fields)
	if err != nil {
		return err
	}
	var kept map[string]json.RawMessage
	if err := json.Unmarshal(written, &kept); err != nil {
		return err
	}
	for key, value := range members {
		if _, ok := kept[key]; !ok {
			if *extra == nil {
				*extra = map[string]json.RawMessage{}
			}
			(*extra)[key] = value
		}
	}
	return nil
}

// fieldKeys lists the JSON keys of the fields of the struct type t, as their tags name them.
func fieldKeys(t reflect.Type) []string {
	keys := make([]string, 0, t.NumField())
	for i := 0; i < t.NumField(); i++ {
		field := t.Field(i)
		name := field.Tag.Get("json")
		for j := 0; j < len(name); j++ {
			if name[j] == ',' {
				name = name[:j]
				break
			}
		}
		if name == "" {
			name = field.Name
		}
		if name != "-" && field.IsExported() {
			keys = append(keys, name)
		}
	}
	return keys
}

// writeKeeping writes fields (a struct without methods) and the members of extra it has no value for.
func writeKeeping(fields interface{}, extra map[string]json.RawMessage) ([]byte, error) {
	data, err := json.Marshal(fields)
	if err != nil || len(extra) == 0 {
		return data, err
	}
	var written map[string]json.RawMessage
	if err := json.Unmarshal(data, &written); err != nil {
		return nil, err
	}
	for key, value := range extra {
		if _, ok := written[key]; !ok {
			written[key] = value
		}
	}
	return json.Marshal(written)
}
`;

const STRUCT = /^type (\w+) struct \{\n([\s\S]*?)^\}$/gm;

/** data.go with every struct lossless. Throws when quicktype's output is not shaped as this expects. */
export function losslessGo(data: string): string {
  const structs = data.match(/^type \w+ struct \{/gm)?.length ?? 0;
  if (structs === 0) return data;
  if (!/^import "encoding\/json"$/m.test(data)) throw new Error('go: data.go does not import encoding/json');
  let done = 0;
  const out = data.replace(STRUCT, (_, name: string, body: string) => {
    done++;
    // An absent member of a field that can be nil (a pointer, interface{}) must stay absent:
    // omitempty (a member sent as null is kept as read).
    const fields = body.replace(
      /^(\t\w+ +(?:\*\S+|interface\{\}) +`json:"(?:[^"\\]|\\.)*?)"`/gm,
      (field: string, head: string) => (field.includes(',omitempty"') ? field : `${head},omitempty"\``),
    );
    return `type ${name} struct {
${fields}\t// Members of the JSON object no field holds (unknown to the schema, sent as null, or empty
\t// where the field omits empty values), as read; written back after the fields.
\tAdditionalProperties map[string]json.RawMessage \`json:"-"\`
}

// UnmarshalJSON reads the fields of ${name} and keeps the other members in AdditionalProperties.
func (x *${name}) UnmarshalJSON(data []byte) error {
\ttype plain ${name}
\treturn readKeeping(data, (*plain)(x), &x.AdditionalProperties)
}

// MarshalJSON writes the fields of ${name}, then the members of AdditionalProperties they have no value for.
func (x ${name}) MarshalJSON() ([]byte, error) {
\ttype plain ${name}
\treturn writeKeeping(plain(x), x.AdditionalProperties)
}`;
  });
  if (done !== structs) throw new Error(`go: ${structs - done} of ${structs} structs are not shaped as eventgen expects`);
  // quicktype gives a top-level type of unknown shape (`type X interface{}`) a method with a pointer
  // receiver, which Go refuses: json.Marshal(x) is all it does.
  const interfaces = new Set([...out.matchAll(/^type (\w+) interface\{\}$/gm)].map((m) => m[1]));
  const valid = out.replace(
    /\n\nfunc \(r \*(\w+)\) Marshal\(\) \(\[\]byte, error\) \{\n\treturn json\.Marshal\(r\)\n\}/g,
    (method: string, name: string) => (interfaces.has(name) ? '' : method),
  );
  const imports = /^import "reflect"$/m.test(valid) ? valid : valid.replace(/^import "encoding\/json"$/m, '$&\nimport "reflect"');
  return `${imports.trimEnd()}\n${HELPERS}`;
}
