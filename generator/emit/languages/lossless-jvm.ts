/**
 * Java classes that give back the JSON they read, with Jackson's own means: every class keeps the
 * members no field holds in a map (`@JsonAnySetter` reads them, `@JsonAnyGetter` writes them back
 * after the fields), fields left null are not written (`@JsonInclude(NON_NULL)`: a member that was
 * absent stays absent), and a setter that Jackson (or the application) calls with null records the
 * member as sent null, so it is written back as null.
 * https://github.com/FasterXML/jackson-annotations/wiki/Jackson-Annotations
 */

/** The name of the map; quicktype keeps property names off it (`memberNames`). */
export const JAVA_MEMBERS = ['additionalProperties'];

const SETTER =
  /^( {4}@JsonProperty\(("(?:[^"\\]|\\.)*")\)\n {4}public void set\w+\(([^)]*?) value\) \{ this\.\w+ = value;) \}$/gm;
/** Java's primitive types: never null (a required member quicktype types as one). */
const PRIMITIVE = new Set(['boolean', 'byte', 'char', 'short', 'int', 'long', 'float', 'double']);

const MEMBERS = `
    private final java.util.Map<String, Object> additionalProperties = new java.util.LinkedHashMap<>();

    /** Members of the JSON object no field holds (unknown to the schema, or sent as null), as read; written back after the fields. */
    @JsonAnyGetter
    public java.util.Map<String, Object> getAdditionalProperties() { return additionalProperties; }

    @JsonAnySetter
    public void setAdditionalProperty(String name, Object value) { additionalProperties.put(name, value); }
`;

/** One class file of quicktype's Java made lossless; other files as they are. Throws on a shape it does not know. */
export function losslessJava(name: string, text: string): string {
  if (name === 'Converter.java') {
    // Jackson's ObjectWriter declares IOException in some builds (Debian's 2.14): a checked exception
    // wider than JsonProcessingException, which every build allows.
    return text.replace(
      /^( {4}public static String \w+\([^)]* obj\) throws )JsonProcessingException( \{\n {8}return get\w*ObjectWriter\(\)\.writeValueAsString\(obj\);)$/gm,
      '$1IOException$2',
    );
  }
  const declaration = /^public class (\w+) \{$/m.exec(text);
  if (declaration === null) return text; // an enum
  if (!/^import com\.fasterxml\.jackson\.annotation\.\*;$/m.test(text) || !/\n\}\n?$/.test(text))
    throw new Error(`java: ${name} is not shaped as eventgen expects`);
  const setters = text.match(/^ {4}public void set\w+\(/gm)?.length ?? 0;
  let done = 0;
  const out = text.replace(SETTER, (_, head: string, key: string, type: string) => {
    done++;
    if (PRIMITIVE.has(type)) return `${head} }`;
    return `${head} if (value == null) additionalProperties.put(${key}, null); else additionalProperties.remove(${key}); }`;
  });
  if (done !== setters) throw new Error(`java: ${setters - done} setters of ${name} are not shaped as eventgen expects`);
  return `${out
    .replace(declaration[0], `@JsonInclude(JsonInclude.Include.NON_NULL)\n${declaration[0]}`)
    .replace(/\n\}\n?$/, `\n${MEMBERS}}\n`)}`;
}
