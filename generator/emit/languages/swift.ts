/**
 * Swift: a Swift package with quicktype's `Codable` structs (public) and the envelopes and
 * the event map. https://www.swift.org/documentation/package-manager/
 */
import { SwiftTargetLanguage } from 'quicktype-core';
import { plainComment } from './input.ts';
import { identifier, swiftString } from './literals.ts';
import {
  type AssembleContext,
  CLOUD_EVENT_FIELDS,
  camelWords,
  type EnvelopeField,
  EVENT_GRID_FIELDS,
  indent,
  SLASH_BANNER,
  type Target,
  withBanner,
} from './target.ts';

function envelope(name: string, doc: string, fields: readonly EnvelopeField[]): string {
  const lines = fields.map((f) => {
    const type = f.isData ? 'T' : 'String';
    return `/// ${f.doc}\npublic let ${camelWords(f.words)}: ${f.required ? type : `${type}?`}`;
  });
  const keys = fields.map((f) => `case ${camelWords(f.words)} = ${swiftString(f.json)}`);
  return `/// ${doc}
public struct ${name}<T: Codable>: Codable {
${indent(lines.join('\n'), '    ')}

    enum CodingKeys: String, CodingKey {
${indent(keys.join('\n'), '        ')}
    }
}`;
}

function events(context: AssembleContext): string {
  const entries = context.events.map((e) => `${swiftString(e.eventType)}: ${identifier(e.dataType)}.self,`);
  return `import Foundation

${envelope('EventGridEvent', 'An event in the Event Grid event schema: https://learn.microsoft.com/azure/event-grid/event-schema', EVENT_GRID_FIELDS)}

${envelope('CloudEvent', 'An event in the CloudEvents 1.0 JSON format: https://github.com/cloudevents/spec/blob/v1.0.2/cloudevents/spec.md', CLOUD_EVENT_FIELDS)}

/// Event type → type of its data.
public let eventDataTypes: [String: Decodable.Type] = [
${indent(entries.length === 0 ? ':' : entries.join('\n'), '    ')}
]`;
}

export const swift: Target = {
  lang: 'swift',
  language: () => new SwiftTargetLanguage(),
  rendererOptions: () => ({ 'access-level': 'public' }),
  comment: plainComment,
  reserved: ['EventGridEvent', 'CloudEvent', 'eventDataTypes', 'Codable', 'Decodable', 'CodingKey'],
  aliasesOtherData: true,
  anyType: 'JSONAny',
  declares: (files, name) =>
    [...files.values()].some((text) => new RegExp(`^public (struct|class|enum|typealias) ${name}\\b`, 'm').test(text)),
  assemble: (context) => {
    const module = context.names.pascal;
    return new Map([
      [
        'Package.swift',
        // SwiftPM requires the tools version on the first line.
        `// swift-tools-version:5.7\n${withBanner(
          SLASH_BANNER,
          `import PackageDescription

let package = Package(
    name: ${swiftString(module)},
    products: [.library(name: ${swiftString(module)}, targets: [${swiftString(module)}])],
    targets: [.target(name: ${swiftString(module)})]
)`,
        )}`,
      ],
      [`Sources/${module}/Data.swift`, withBanner(SLASH_BANNER, [...context.quicktype.values()].join('\n'))],
      [`Sources/${module}/Events.swift`, withBanner(SLASH_BANNER, events(context))],
    ]);
  },
};
