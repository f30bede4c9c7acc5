/**
 * C#: one `.cs` file (quicktype's System.Text.Json classes, then the envelopes and the event
 * map) and a `.csproj` for .NET 8. https://learn.microsoft.com/dotnet/standard/serialization/system-text-json/overview
 */
import { CSharpTargetLanguage } from 'quicktype-core';
import { plainComment } from './input.ts';
import { csharpString, identifier, xmlText } from './literals.ts';
import {
  type AssembleContext,
  CLOUD_EVENT_FIELDS,
  type EnvelopeField,
  EVENT_GRID_FIELDS,
  indent,
  pascalWords,
  SLASH_BANNER,
  type Target,
  withBanner,
  XML_BANNER,
} from './target.ts';

function property(f: EnvelopeField): string {
  const type = f.isData ? (f.required ? 'T' : 'T?') : f.required ? 'string' : 'string?';
  const init = f.required ? (f.isData ? ' = default!;' : ' = "";') : '';
  const ignore = f.required ? '' : '\n[JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]';
  return `/// <summary>${f.doc.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</summary>${ignore}
[JsonPropertyName(${csharpString(f.json)})]
public ${type} ${pascalWords(f.words)} { get; set; }${init}`;
}

function envelope(name: string, summary: string, fields: readonly EnvelopeField[]): string {
  return `/// <summary>${summary}</summary>
public partial class ${name}<T>
{
${indent(fields.map(property).join('\n\n'), '    ')}
}`;
}

function events(context: AssembleContext): string {
  const entries = context.events.map((e) => `[${csharpString(e.eventType)}] = typeof(${identifier(e.dataType)}),`);
  return `namespace ${identifier(context.names.pascal)}
{
    using System;
    using System.Collections.Generic;
    using System.Text.Json;
    using System.Text.Json.Serialization;

${indent(envelope('EventGridEvent', 'An event in the Event Grid event schema: https://learn.microsoft.com/azure/event-grid/event-schema', EVENT_GRID_FIELDS), '    ')}

${indent(envelope('CloudEvent', 'An event in the CloudEvents 1.0 JSON format: https://github.com/cloudevents/spec/blob/v1.0.2/cloudevents/spec.md', CLOUD_EVENT_FIELDS), '    ')}

    /// <summary>The event types of schemas/ and the types of their data.</summary>
    public static class EventTypes
    {
        /// <summary>Event type → type of its data (<c>JsonElement</c> when the data has no class).</summary>
        public static readonly IReadOnlyDictionary<string, Type> DataTypes = new Dictionary<string, Type>
        {
${indent(entries.join('\n'), '            ')}
        };

        /// <summary>The serializer options quicktype's classes are read with (its date and time converters).</summary>
        public static JsonSerializerOptions SerializerOptions => Converter.Settings;

        /// <summary>The data of an event as its type in <see cref="DataTypes"/>, or as it is when the event type is unknown.</summary>
        public static object? DeserializeData(string eventType, JsonElement data) =>
            DataTypes.TryGetValue(eventType, out var type) ? data.Deserialize(type, Converter.Settings) : data;
    }
}`;
}

export const csharp: Target = {
  lang: 'csharp',
  language: () => new CSharpTargetLanguage(),
  rendererOptions: (names) => ({ namespace: names.pascal, framework: 'SystemTextJson', 'array-type': 'list' }),
  comment: plainComment,
  // And the framework names the hand-rendered code uses unqualified, which a class of the namespace would hide.
  reserved: [
    'EventGridEvent',
    'CloudEvent',
    'EventTypes',
    'Type',
    'Dictionary',
    'IReadOnlyDictionary',
    'JsonElement',
    'JsonSerializer',
    'JsonSerializerOptions',
    'JsonPropertyName',
    'JsonPropertyNameAttribute',
    'JsonIgnore',
    'JsonIgnoreAttribute',
    'JsonIgnoreCondition',
  ],
  aliasesOtherData: false,
  anyType: 'JsonElement',
  declares: (files, name) => [...files.values()].some((text) => new RegExp(`\\bpublic partial class ${name}\\b`).test(text)),
  assemble: (context) => {
    const name = context.names.pascal;
    const code = [...context.quicktype.values()].join('\n');
    return new Map([
      [`${name}.cs`, withBanner(SLASH_BANNER, `${code}\n${events(context)}`)],
      [
        `${name}.csproj`,
        withBanner(
          XML_BANNER,
          `<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <TargetFramework>net8.0</TargetFramework>
    <Nullable>enable</Nullable>
    <RootNamespace>${xmlText(name)}</RootNamespace>
    <PackageId>${xmlText(context.names.kebab)}</PackageId>
    <Version>${xmlText(context.version)}</Version>
  </PropertyGroup>
</Project>`,
        ),
      ],
    ]);
  },
};
