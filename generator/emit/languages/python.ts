/**
 * Python 3.10+: a package folder (quicktype's dataclasses with `from_dict`/`to_dict` in
 * `data.py`, the envelopes, the event map) and a `pyproject.toml`.
 */
import { PythonTargetLanguage } from 'quicktype-core';
import { plainComment } from './input.ts';
import { identifier, pythonString, tomlString } from './literals.ts';
import { losslessPython, pythonFields } from './lossless-python.ts';
import {
  type AssembleContext,
  CLOUD_EVENT_FIELDS,
  type EnvelopeField,
  EVENT_GRID_FIELDS,
  HASH_BANNER,
  indent,
  snakeWords,
  type Target,
  withBanner,
} from './target.ts';

function envelope(name: string, doc: string, fields: readonly EnvelopeField[]): string {
  // Dataclass fields with defaults come last.
  const ordered = [...fields.filter((f) => f.required), ...fields.filter((f) => !f.required)];
  const declare = (f: EnvelopeField) => {
    const type = f.isData ? 'T' : 'str';
    return f.required ? `${snakeWords(f.words)}: ${type}` : `${snakeWords(f.words)}: ${type} | None = None`;
  };
  const read = (f: EnvelopeField) => {
    const key = pythonString(f.json);
    if (f.isData)
      return `${snakeWords(f.words)}=${f.required ? `data(obj.get(${key}))` : `None if obj.get(${key}) is None else data(obj[${key}])`},`;
    return `${snakeWords(f.words)}=${f.required ? '_str' : '_optional_str'}(obj, ${key}),`;
  };
  const write = (f: EnvelopeField) => {
    const value = f.isData ? `data(self.${snakeWords(f.words)})` : `self.${snakeWords(f.words)}`;
    const line = `result[${pythonString(f.json)}] = ${value}`;
    return f.required ? line : `if self.${snakeWords(f.words)} is not None:\n    ${line}`;
  };
  return `@dataclass
class ${name}(Generic[T]):
    """${doc}"""

${indent(ordered.map(declare).join('\n'), '    ')}

    @staticmethod
    def from_dict(obj: Any, data: Callable[[Any], T] = _identity) -> "${name}[T]":
        """Reads an event; \`data\` reads its data (a data class's \`from_dict\`); by default the data stays parsed JSON."""
        if not isinstance(obj, dict):
            raise ValueError("${name}: expected a JSON object")
        return ${name}(
${indent(ordered.map(read).join('\n'), '            ')}
        )

    def to_dict(self, data: Callable[[T], Any] = _identity) -> dict:
        result: dict = {}
${indent(fields.map(write).join('\n'), '        ')}
        return result`;
}

const ENVELOPES = `from dataclasses import dataclass
from typing import Any, Callable, Generic, TypeVar

T = TypeVar("T")


def _identity(x: Any) -> Any:
    return x


def _str(obj: dict, key: str) -> str:
    value = obj.get(key)
    if not isinstance(value, str):
        raise ValueError(f"{key}: expected a string")
    return value


def _optional_str(obj: dict, key: str) -> str | None:
    return None if obj.get(key) is None else _str(obj, key)


${envelope('EventGridEvent', 'An event in the Event Grid event schema: https://learn.microsoft.com/azure/event-grid/event-schema', EVENT_GRID_FIELDS)}


${envelope('CloudEvent', 'An event in the CloudEvents 1.0 JSON format: https://github.com/cloudevents/spec/blob/v1.0.2/cloudevents/spec.md', CLOUD_EVENT_FIELDS)}
`;

function eventMap(context: AssembleContext): string {
  const classes = context.events.filter((e) => e.isClass).map((e) => identifier(e.dataType));
  const imports =
    classes.length === 0 ? '' : `from .data import (\n${indent(classes.map((c) => `${c},`).join('\n'), '    ')}\n)\n`;
  return `from typing import Any

${imports}
EVENT_TYPES: dict[str, type] = {
${indent(context.events.map((e) => `${pythonString(e.eventType)}: ${identifier(e.dataType)},`).join('\n'), '    ')}
}
"""Event type → class of its data (\`object\` when the data has no class)."""


def parse_data(event_type: str, data: Any) -> Any:
    """The data of an event as its class, or as it is when the event type is unknown or its data has no class."""
    cls = EVENT_TYPES.get(event_type)
    return data if cls is None or cls is object else cls.from_dict(data)
`;
}

/**
 * Names quicktype keeps off dataclass fields (its `forbiddenPropertyNames`: keywords, and types the
 * annotations use). quicktype would prefix the class name (`acs_sms_received_event_data_from`);
 * PEP 8 appends an underscore (`from_`), which the styled name gets before quicktype checks it.
 * `extra` is the field of the members no other field holds (lossless-python.ts).
 */
const PYTHON_FORBIDDEN_FIELDS = new Set(
  (
    'and as assert async await bool break class continue datetime def del dict elif else except finally float for ' +
    'from global if import in int is lambda nonlocal not or pass print raise return self str try while with yield ' +
    'False None True extra list'
  ).split(' '),
);

export const python: Target = {
  lang: 'python',
  language: () => new PythonTargetLanguage(),
  rendererOptions: () => ({ 'python-version': '3.10' }),
  comment: plainComment,
  reserved: ['EventGridEvent', 'CloudEvent', 'EVENT_TYPES', 'parse_data', 'Any'],
  property: (styled) => (PYTHON_FORBIDDEN_FIELDS.has(styled) ? `${styled}_` : styled),
  lossless: (files) => new Map([...files].map(([name, text]) => [name, losslessPython(text)])),
  fieldNames: (files) => pythonFields([...files.values()].join('\n')),
  aliasesOtherData: false,
  anyType: 'object',
  declares: (files, name) => [...files.values()].some((text) => new RegExp(`^class ${name}\\b`, 'm').test(text)),
  assemble: (context) => {
    const dir = context.names.snake;
    const data = [...context.quicktype.values()].join('\n');
    const classes = context.events.filter((e) => e.isClass).map((e) => e.dataType);
    const exported = ['CloudEvent', 'EventGridEvent', 'EVENT_TYPES', 'parse_data', ...classes];
    const dependencies = /^import dateutil/m.test(data) ? '"python-dateutil>=2.8"' : '';
    return new Map([
      [
        `${dir}/__init__.py`,
        withBanner(
          HASH_BANNER,
          `"""Event Grid event types, generated by eventgen from schemas/."""
from .envelopes import CloudEvent, EventGridEvent
from .events import EVENT_TYPES, parse_data
${classes.length === 0 ? '' : `from .data import (\n${indent(classes.map((c) => `${c},`).join('\n'), '    ')}\n)\n`}
__all__ = [
${indent(exported.map((n) => `${pythonString(n)},`).join('\n'), '    ')}
]`,
        ),
      ],
      [`${dir}/data.py`, withBanner(HASH_BANNER, data)],
      [`${dir}/envelopes.py`, withBanner(HASH_BANNER, ENVELOPES)],
      [`${dir}/events.py`, withBanner(HASH_BANNER, eventMap(context))],
      [
        'pyproject.toml',
        withBanner(
          HASH_BANNER,
          `[build-system]
requires = ["setuptools>=61"]
build-backend = "setuptools.build_meta"

[project]
name = ${tomlString(context.names.kebab)}
version = ${tomlString(context.version)}
description = "Event Grid event types, generated by eventgen from schemas/."
requires-python = ">=3.10"
dependencies = [${dependencies}]

[tool.setuptools]
packages = [${tomlString(dir)}]`,
        ),
      ],
    ]);
  },
};
