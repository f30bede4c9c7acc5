/**
 * The compilers and interpreters test/languages.test.ts runs the generated code with, each
 * found or reported missing (the test is then skipped with that reason, never passed).
 */
import { type SpawnSyncReturns, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { JACKSON_VERSION } from '../../generator/emit/languages/jvm.ts';

export function run(
  command: string,
  args: readonly string[],
  options: { cwd?: string; input?: string; env?: NodeJS.ProcessEnv } = {},
) {
  const result: SpawnSyncReturns<string> = spawnSync(command, args, {
    encoding: 'utf8',
    timeout: 60_000,
    ...options,
    env: { ...process.env, ...options.env },
  });
  return { status: result.status, stdout: result.stdout ?? '', stderr: `${result.stderr ?? ''}${result.error?.message ?? ''}` };
}

/** `undefined` when `command` runs, else why not. */
export function missing(command: string, versionFlag = '--version'): string | undefined {
  const result = spawnSync(command, [versionFlag], { encoding: 'utf8', timeout: 20_000 });
  if (result.error !== undefined) return `${command} is not installed (${result.error.message})`;
  if (result.status !== 0) return `\`${command} ${versionFlag}\` fails: ${result.stderr.trim().split('\n')[0]}`;
  return undefined;
}

export function writeTree(root: string, files: ReadonlyMap<string, string>): void {
  for (const [file, text] of files) {
    const target = path.join(root, file);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, text);
  }
}

/**
 * The Jackson jars quicktype's Java needs, at the version pom.xml names: from
 * EVENTGEN_JACKSON_CLASSPATH, else from the local Maven repository (what `mvn -o` would use).
 * Debian's libjackson2-*-java jars are not used: their ObjectWriter declares `IOException`
 * beyond upstream's signature, so quicktype's (correct) Converter does not compile against them.
 */
export function jacksonClasspath(): { classpath?: string; reason?: string } {
  const fromEnv = process.env.EVENTGEN_JACKSON_CLASSPATH;
  if (fromEnv) return { classpath: fromEnv };
  const repo = path.join(homedir(), '.m2/repository/com/fasterxml/jackson/core');
  const jars = ['jackson-databind', 'jackson-core', 'jackson-annotations'].map((a) =>
    path.join(repo, a, JACKSON_VERSION, `${a}-${JACKSON_VERSION}.jar`),
  );
  const absent = jars.filter((j) => !existsSync(j));
  if (absent.length === 0) return { classpath: jars.join(path.delimiter) };
  return {
    reason: `Jackson ${JACKSON_VERSION} jars not found (${absent.map((j) => path.basename(j)).join(', ')} in ~/.m2); set EVENTGEN_JACKSON_CLASSPATH`,
  };
}

/**
 * serde and serde_json cannot be had without crates.io, so the Rust output is type-checked
 * against stubs: derives that accept `#[serde(...)]` and emit nothing, traits every type has,
 * and the few serde_json items the output names. Returns rustc's arguments for the output crate.
 */
export function rustStubs(dir: string): string[] {
  mkdirSync(dir, { recursive: true });
  const file = (name: string, text: string) => {
    writeFileSync(path.join(dir, name), text);
    return path.join(dir, name);
  };
  const derive = file(
    'serde_derive.rs',
    `extern crate proc_macro;
use proc_macro::TokenStream;
#[proc_macro_derive(Serialize, attributes(serde))]
pub fn serialize(_: TokenStream) -> TokenStream { TokenStream::new() }
#[proc_macro_derive(Deserialize, attributes(serde))]
pub fn deserialize(_: TokenStream) -> TokenStream { TokenStream::new() }
`,
  );
  const serde = file(
    'serde.rs',
    `pub use serde_derive::{Deserialize, Serialize};
pub trait Serialize {}
impl<T: ?Sized> Serialize for T {}
pub trait Deserialize<'de>: Sized {}
impl<'de, T> Deserialize<'de> for T {}
`,
  );
  const json = file(
    'serde_json.rs',
    `#[derive(Debug, Clone, PartialEq)]
pub enum Value { Null }
#[derive(Debug)]
pub struct Error;
pub fn from_value<T: for<'de> serde::Deserialize<'de>>(_value: Value) -> Result<T, Error> { Err(Error) }
`,
  );
  const rustc = (args: string[]) => {
    const result = run('rustc', ['--edition', '2021', '--out-dir', dir, '-L', dir, ...args]);
    if (result.status !== 0) throw new Error(result.stderr);
  };
  rustc(['--crate-type', 'proc-macro', '--crate-name', 'serde_derive', derive]);
  const proc = path.join(dir, process.platform === 'darwin' ? 'libserde_derive.dylib' : 'libserde_derive.so');
  rustc(['--crate-type', 'lib', '--crate-name', 'serde', serde, '--extern', `serde_derive=${proc}`]);
  rustc(['--crate-type', 'lib', '--crate-name', 'serde_json', json, '--extern', `serde=${path.join(dir, 'libserde.rlib')}`]);
  return [
    '--edition',
    '2021',
    '--crate-type',
    'lib',
    '--emit=metadata',
    '-L',
    dir,
    '--extern',
    `serde=${path.join(dir, 'libserde.rlib')}`,
    '--extern',
    `serde_json=${path.join(dir, 'libserde_json.rlib')}`,
  ];
}

/**
 * Reads `argv[1]` (the same list as for Java) with the generated package `argv[2]`: each data
 * through `parse_data` and its class, both envelopes with the class's `from_dict`, and back
 * through `to_dict`. Prints `ok <count>`.
 */
export const PYTHON_HARNESS = `
import importlib, json, sys
package = importlib.import_module(sys.argv[2])
count = 0
for sample in json.load(open(sys.argv[1], encoding="utf-8")):
    event_type = sample["eventType"]
    cls = package.EVENT_TYPES[event_type]
    raw = sample["eventgrid"]["data"]
    data = package.parse_data(event_type, raw)
    if cls is object:
        assert data == raw and package.EventGridEvent.from_dict(sample["eventgrid"]).data == raw
        count += 1
        continue
    assert type(data) is cls, (event_type, type(data))
    assert cls.from_dict(data.to_dict()) == data, event_type
    event = package.EventGridEvent.from_dict(sample["eventgrid"], cls.from_dict)
    assert type(event.data) is cls and event.event_type == event_type
    assert event.to_dict(lambda d: d.to_dict())["data"] == data.to_dict()
    cloud = package.CloudEvent.from_dict(sample["cloudevent"], cls.from_dict)
    assert type(cloud.data) is cls and cloud.type == event_type
    count += 1
print("ok", count)
`;

/**
 * Reads `argv[0]` (a JSON list of { eventType, eventgrid, cloudevent }) with the generated
 * `EventTypes`: both envelopes parametrised by the data class the map gives, the data checked
 * to be an instance of it, read again through `EventTypes.readData`. Prints `ok <count>`.
 */
export function javaHarness(pkg: string, className: string): string {
  return `import ${pkg}.*;
import com.fasterxml.jackson.databind.*;

public class ${className} {
    public static void main(String[] args) throws Exception {
        ObjectMapper mapper = EventTypes.objectMapper();
        int count = 0;
        for (JsonNode sample : mapper.readTree(new java.io.File(args[0]))) {
            String type = sample.get("eventType").asText();
            Class<?> data = EventTypes.DATA_TYPES.get(type);
            if (data == null) throw new AssertionError("no data type for " + type);
            JavaType eg = mapper.getTypeFactory().constructParametricType(EventGridEvent.class, data);
            EventGridEvent<?> event = mapper.readValue(mapper.writeValueAsString(sample.get("eventgrid")), eg);
            if (!data.isInstance(event.getData())) throw new AssertionError(type + ": Event Grid data is " + event.getData());
            JavaType ce = mapper.getTypeFactory().constructParametricType(CloudEvent.class, data);
            CloudEvent<?> cloud = mapper.readValue(mapper.writeValueAsString(sample.get("cloudevent")), ce);
            if (!data.isInstance(cloud.getData())) throw new AssertionError(type + ": CloudEvent data is " + cloud.getData());
            if (!type.equals(event.getEventType()) || !type.equals(cloud.getType())) throw new AssertionError(type);
            Object again = EventTypes.readData(mapper, type, sample.get("eventgrid").get("data"));
            if (!data.isInstance(again)) throw new AssertionError(type + ": readData gave " + again);
            mapper.writeValueAsString(event);
            count++;
        }
        System.out.println("ok " + count);
    }
}
`;
}

/** Prints the UTF-16 code units of each key of `EventTypes.DATA_TYPES`, one key a line. */
export function javaKeysHarness(pkg: string): string {
  return `public class Keys {
    public static void main(String[] args) {
        for (String key : ${pkg}.EventTypes.DATA_TYPES.keySet()) {
            StringBuilder out = new StringBuilder();
            for (char c : key.toCharArray()) out.append((int) c).append(',');
            System.out.println(out);
        }
    }
}
`;
}
