/**
 * What a stated type means, as a property table's type cell or a code model's member type writes
 * it: `string`, `Zeichenfolge`, `Objekt (object)`, `string[]`, `List<WorkerSelector>`,
 * `Dictionary<string, object>`, `double?`, `DateTimeOffset`, `ErrorDetails`. Read by extract (to
 * recognise a type column by its cells) and by infer (to turn the statement into schema evidence).
 *
 * `object` means a JSON object in a table ("Objekt (object)"), and any value in C# code
 * (`public object Value`) and inside generic arguments (`Dictionary<string, object>`).
 */
import type { JsonType } from './ir.ts';

export interface StatedType {
  readonly types: JsonType[];
  /** A dictionary (`Dictionary<string, string>`): an object whose keys are data. */
  readonly map: boolean;
  /** Any JSON value (`object` in C#, `any`, `dynamic`, `JsonElement`). */
  readonly any?: boolean;
  /** A date and time type (`DateTimeOffset`, `date-time`): the string format is stated. */
  readonly format?: 'date-time';
  /** `double?`, `Nullable<int>`, `string | null`. */
  readonly nullable?: boolean;
  /** A dictionary's values, as stated. */
  readonly values?: StatedType;
}

const NONE: StatedType = { types: [], map: false };

const WORDS: readonly [StatedType, RegExp][] = [
  [
    { types: ['string'], map: false, format: 'date-time' },
    /^(datetime|datetimeoffset|date-time|timestamp|instant|offsetdatetime|zoneddatetime|日時|날짜\/시간|日期時間|日期时间)$/,
  ],
  [
    { types: ['string'], map: false },
    /^(string|str|text|char|zeichenfolge|chaîne|chaine|文字列|字串|字符串|문자열|cadena|guid|uuid|date|timespan|duration|uri|url)$/,
  ],
  [
    { types: ['integer'], map: false },
    /^(integer|int|int16|int32|int64|uint|uint32|uint64|long|ulong|short|ushort|byte|sbyte|bigint|정수|整数|整數|ganzzahl|entier)$/,
  ],
  [{ types: ['number'], map: false }, /^(number|double|float|single|decimal|real|数値|數字|数字|숫자|zahl)$/],
  [{ types: ['boolean'], map: false }, /^(boolean|bool|ブール|ブール値|布林|布林值|布尔|부울|booléen|booleano)$/],
  [{ types: ['object'], map: false }, /^(object|objekt|物件|对象|對象|オブジェクト|개체|객체|objet|objeto)$/],
  [{ types: ['array'], map: false }, /^(array|配列|陣列|数组|배열|tableau|list|liste)$/],
];

const ANY = /^(any|dynamic|unknown|jsonelement|jsonnode|jtoken|jobject|binarydata|variant)$/;
const MAP = /^(i?dictionary|i?readonlydictionary|concurrentdictionary|sorteddictionary|hashmap|map|record|hashtable)$/;
const LIST = /^(i?list|i?enumerable|i?collection|i?readonlylist|i?readonlycollection|array|arraylist|set|hashset|sequence)$/;

/**
 * The meaning of a stated type. `code`: the text is a declaration in code, where `object` is any value.
 * Linear in the length of the text; an unknown word states nothing.
 */
export function parseType(cell: string | undefined, code = false): StatedType {
  if (cell === undefined) return NONE;
  const text = cell.normalize('NFKC').replace(/[`*]/g, '').trim();
  if (text === '' || text.length > 200) return NONE;
  return parseText(text, code, 0);
}

function parseText(raw: string, code: boolean, depth: number): StatedType {
  const { text, nullable } = nullability(raw.trim());
  if (depth > 4) return NONE;
  const stated = /\[\]$/.test(text) ? array() : (genericOf(text, code, depth) ?? wordOf(text, code));
  if (stated === undefined) return NONE;
  return nullable ? { ...stated, nullable: true } : stated;
}

const array = (): StatedType => ({ types: ['array'], map: false });

/** The type without its `| null` or `?`, and whether it had one. */
function nullability(raw: string): { text: string; nullable: boolean } {
  let text = raw;
  let nullable = false;
  if (/\|\s*null$/i.test(text)) {
    text = text.replace(/\|\s*null$/i, '').trim();
    nullable = true;
  }
  if (text.endsWith('?')) {
    text = text.slice(0, -1).trim();
    nullable = true;
  }
  return { text, nullable };
}

/** `Nullable<int>`, `Dictionary<string, object>`, `List<WorkerSelector>`; undefined for another generic or none. */
function genericOf(text: string, code: boolean, depth: number): StatedType | undefined {
  const generic = /^([\w.]+)\s*<(.*)>$/s.exec(text);
  if (!generic) return undefined;
  const name = (generic[1] as string).toLowerCase().replace(/^.*\./, '');
  const args = splitArgs(generic[2] as string);
  if (name === 'nullable' && args.length === 1) return { ...parseText(args[0] as string, code, depth + 1), nullable: true };
  if (MAP.test(name)) {
    const values = args.length === 2 ? parseText(args[1] as string, true, depth + 1) : NONE;
    return { types: ['object'], map: true, ...(values === NONE ? {} : { values }) };
  }
  return LIST.test(name) ? array() : undefined;
}

/** A type word (`string`, `Zeichenfolge`, `Map of …`, `DateTimeOffset`) or a type's name; undefined for anything else. */
function wordOf(text: string, code: boolean): StatedType | undefined {
  const lower = text.toLowerCase();
  if (/^(map|record|dictionary)\b|key[- ]value/.test(lower)) return { types: ['object'], map: true };
  if (/^(array|list) ?(of|<)/.test(lower)) return array();
  const word = lower.split(/[\s(（]/)[0]?.replace(/^system\./, '') ?? '';
  if (ANY.test(word) || (code && word === 'object')) return { types: [], map: false, any: true };
  for (const [type, pattern] of WORDS) if (pattern.test(word)) return type;
  // A type named after a documented object (`ErrorDetails`, `InnerError`) in a table. In code such a
  // name may as well be an enum, which serializes as a string: it states nothing but nullability.
  if (/^[A-Z][A-Za-z0-9]+$/.test(text)) return code ? NONE : { types: ['object'], map: false };
  return undefined;
}

/** Splits `string, List<int>` at its top-level commas. */
function splitArgs(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '<') depth++;
    else if (c === '>') depth--;
    else if (c === ',' && depth === 0) {
      out.push(text.slice(start, i));
      start = i + 1;
    }
  }
  out.push(text.slice(start));
  return out.map((a) => a.trim()).filter((a) => a !== '');
}

/** Whether a cell states a type at all (a type column is one whose cells mostly do). */
export function statesType(cell: string): boolean {
  const stated = parseType(cell);
  return stated.types.length > 0 || stated.map || stated.any === true;
}
