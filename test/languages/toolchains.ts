/**
 * The compilers and interpreters the tests run the generated code of other languages with, all
 * from Debian's packages (.ci/run installs them): Go, cargo with Debian's serde crates as a cargo
 * directory source (no crates.io), javac with Debian's Jackson jars, Python. For each language a
 * round-trip program, built once, that reads a list of `{ eventType, data }`, parses each data
 * as its class and writes the list of what the classes write back, in one process run.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface Ran {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a command without blocking the event loop, so the languages build side by side. */
export function exec(
  command: string,
  args: readonly string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; timeout?: number } = {},
): Promise<Ran> {
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: options.timeout ?? 180_000,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('error', (error) => resolve({ status: null, stdout, stderr: `${stderr}${error.message}` }));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

export function writeTree(root: string, files: ReadonlyMap<string, string>): void {
  for (const [file, text] of files) {
    const target = path.join(root, file);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, text);
  }
}

/** Debian's Jackson 2 jars (libjackson2-databind-java). */
export const JACKSON_JARS = ['jackson-databind', 'jackson-core', 'jackson-annotations'].map((a) => `/usr/share/java/${a}.jar`);
/** Debian's crates (librust-*-dev), a cargo directory source. */
export const CARGO_REGISTRY = '/usr/share/cargo/registry';

/** Why a language cannot be built here, or undefined. */
export async function missingTool(lang: 'python' | 'go' | 'java' | 'rust'): Promise<string | undefined> {
  const version = async (command: string, flag = '--version') => {
    const ran = await exec(command, [flag], { timeout: 30_000 });
    return ran.status === 0 ? undefined : `${command} is not installed or fails (${ran.stderr.trim().split('\n')[0]})`;
  };
  switch (lang) {
    case 'python':
      return version('python3');
    case 'go':
      return version('go', 'version');
    case 'java': {
      const absent = JACKSON_JARS.filter((j) => !existsSync(j));
      return (
        (await version('javac', '-version')) ??
        (await version('java', '-version')) ??
        (absent.length > 0
          ? `Debian's Jackson is not installed (${absent.join(', ')}): apt-get install libjackson2-databind-java`
          : undefined)
      );
    }
    case 'rust': {
      const crates = existsSync(CARGO_REGISTRY) ? readdirSync(CARGO_REGISTRY) : [];
      const absent = ['serde-', 'serde_json-', 'serde_derive-'].filter((c) => !crates.some((d) => d.startsWith(c)));
      return (
        (await version('cargo')) ??
        (absent.length > 0
          ? `Debian's serde crates are not in ${CARGO_REGISTRY}: apt-get install librust-serde-json-dev librust-serde-derive-dev`
          : undefined)
      );
    }
  }
}

/** Reads argv[1] with the package argv[2], writes argv[3]. */
export const PYTHON_ROUND_TRIP = `
import importlib, json, sys
package = importlib.import_module(sys.argv[2])
out = []
for item in json.load(open(sys.argv[1], encoding="utf-8")):
    event_type = item["eventType"]
    data = package.parse_data(event_type, item["data"])
    cls = package.EVENT_TYPES[event_type]
    if cls is not object:
        # The envelopes read the data with the class too, and write it back the same.
        envelope = {"id": "1", "subject": "s", "eventType": event_type, "eventTime": "t", "dataVersion": "1", "data": item["data"]}
        event = package.EventGridEvent.from_dict(envelope, cls.from_dict)
        assert type(event.data) is cls and event.to_dict(cls.to_dict)["data"] == data.to_dict(), event_type
        cloud = package.CloudEvent.from_dict({"specversion": "1.0", "id": "1", "source": "s", "type": event_type, "data": item["data"]}, cls.from_dict)
        assert type(cloud.data) is cls and cloud.type == event_type, event_type
    out.append(data.to_dict() if hasattr(data, "to_dict") else data)
with open(sys.argv[3], "w", encoding="utf-8") as f:
    json.dump(out, f)
`;

export function goRoundTrip(module: string): string {
  return `package main

import (
	"encoding/json"
	"fmt"
	"os"
	"reflect"

	events "${module}"
)

func main() {
	input, err := os.ReadFile(os.Args[1])
	check(err)
	var items []struct {
		EventType string          \`json:"eventType"\`
		Data      json.RawMessage \`json:"data"\`
	}
	check(json.Unmarshal(input, &items))
	out := make([]json.RawMessage, 0, len(items))
	for _, item := range items {
		t, ok := events.EventDataTypes[item.EventType]
		if !ok {
			check(fmt.Errorf("no data type for %q", item.EventType))
		}
		value := reflect.New(t)
		check(json.Unmarshal(item.Data, value.Interface()))
		written, err := json.Marshal(value.Interface())
		check(err)
		out = append(out, written)
	}
	result, err := json.Marshal(out)
	check(err)
	check(os.WriteFile(os.Args[2], result, 0o644))
}

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
`;
}

export function javaRoundTrip(pkg: string): string {
  return `import ${pkg}.CloudEvent;
import ${pkg}.EventGridEvent;
import ${pkg}.EventTypes;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;

public class RoundTrip {
    public static void main(String[] args) throws Exception {
        ObjectMapper mapper = EventTypes.objectMapper();
        ArrayNode out = mapper.createArrayNode();
        for (JsonNode item : mapper.readTree(new java.io.File(args[0]))) {
            String type = item.get("eventType").asText();
            Object data = EventTypes.readData(mapper, type, item.get("data"));
            out.add(mapper.valueToTree(data));
            // The envelopes read the data as the class of the event type too.
            Class<?> dataClass = EventTypes.DATA_TYPES.get(type);
            ObjectNode grid = mapper.createObjectNode();
            grid.put("id", "1").put("subject", "s").put("eventType", type).put("eventTime", "t").put("dataVersion", "1");
            grid.set("data", item.get("data"));
            EventGridEvent<?> event = mapper.readValue(
                mapper.treeAsTokens(grid), mapper.getTypeFactory().constructParametricType(EventGridEvent.class, dataClass));
            if (!dataClass.isInstance(event.getData()) || !type.equals(event.getEventType()))
                throw new AssertionError(type + ": EventGridEvent data is " + event.getData());
            ObjectNode cloud = mapper.createObjectNode();
            cloud.put("specversion", "1.0").put("id", "1").put("source", "s").put("type", type);
            cloud.set("data", item.get("data"));
            CloudEvent<?> ce = mapper.readValue(
                mapper.treeAsTokens(cloud), mapper.getTypeFactory().constructParametricType(CloudEvent.class, dataClass));
            if (!dataClass.isInstance(ce.getData())) throw new AssertionError(type + ": CloudEvent data is " + ce.getData());
        }
        mapper.writeValue(new java.io.File(args[1]), out);
    }
}
`;
}

export function rustRoundTrip(crate: string): Map<string, string> {
  return new Map([
    [
      'Cargo.toml',
      `[package]
name = "round-trip"
version = "0.0.0"
edition = "2021"

[dependencies]
events = { package = "${crate}", path = "../rust" }
serde_json = "1"

# No debug information: a fifth less compile time for serde's crates, which a fresh machine builds once.
[profile.dev]
debug = false
`,
    ],
    ['.cargo/config.toml', `[source.crates-io]\nreplace-with = "debian"\n\n[source.debian]\ndirectory = "${CARGO_REGISTRY}"\n`],
    [
      'src/main.rs',
      `fn main() {
    let args: Vec<String> = std::env::args().collect();
    let text = std::fs::read_to_string(&args[1]).expect("input");
    let items: Vec<serde_json::Value> = serde_json::from_str(&text).expect("input is JSON");
    let mut out = Vec::new();
    for item in items {
        let event_type = item["eventType"].as_str().expect("eventType").to_string();
        let data = events::EventData::from_value(&event_type, item["data"].clone())
            .unwrap_or_else(|e| panic!("{}: {}", event_type, e));
        out.push(data.to_value().expect("written"));
    }
    std::fs::write(&args[2], serde_json::to_string(&out).expect("output")).expect("write");
}
`,
    ],
  ]);
}

/** Runs a command to its end (for the small checks of test/languages.test.ts). */
export function run(
  command: string,
  args: readonly string[],
  options: { cwd?: string; input?: string; env?: NodeJS.ProcessEnv } = {},
) {
  const result = spawnSync(command, args, {
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
