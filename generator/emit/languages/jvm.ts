/**
 * Java and Kotlin, both with Jackson (quicktype's choice for both): Java as a Maven project of
 * one class per file, Kotlin as a Gradle project with quicktype's data classes in `Data.kt`.
 * https://github.com/FasterXML/jackson-databind
 */
import { JavaTargetLanguage, KotlinTargetLanguage } from 'quicktype-core';
import { javaComment, plainComment } from './input.ts';
import { identifier, javaString, kotlinString, xmlText } from './literals.ts';
import { JAVA_MEMBERS, losslessJava } from './lossless-jvm.ts';
import {
  type AssembleContext,
  CLOUD_EVENT_FIELDS,
  camelWords,
  type EnvelopeField,
  EVENT_GRID_FIELDS,
  indent,
  pascalWords,
  SLASH_BANNER,
  type Target,
  withBanner,
  XML_BANNER,
} from './target.ts';

/** The Jackson version the project files ask for (quicktype's output needs 2.x). */
export const JACKSON_VERSION = '2.17.2';
const EVENT_GRID_DOC = 'An event in the Event Grid event schema: https://learn.microsoft.com/azure/event-grid/event-schema';
const CLOUD_EVENT_DOC =
  'An event in the CloudEvents 1.0 JSON format: https://github.com/cloudevents/spec/blob/v1.0.2/cloudevents/spec.md';

function javaEnvelope(pkg: string, name: string, doc: string, fields: readonly EnvelopeField[]): string {
  const members = fields.map((f) => {
    const type = f.isData ? 'T' : 'String';
    const field = camelWords(f.words);
    const json = javaString(f.json);
    return `private ${type} ${field};
/** ${f.doc}${f.required ? '' : ' Optional.'} */
@JsonProperty(${json})
public ${type} get${pascalWords(f.words)}() { return ${field}; }
@JsonProperty(${json})
public void set${pascalWords(f.words)}(${type} value) { this.${field} = value; }`;
  });
  return `package ${pkg};

import com.fasterxml.jackson.annotation.*;

/** ${doc} */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ${name}<T> {
${indent(members.join('\n\n'), '    ')}
}`;
}

/**
 * The (de)serializers of EventTypes.objectMapper() for the java.time types quicktype uses: its
 * Converter registers only a date-time deserializer and leaves the rest to the jsr310 module
 * (which pom.xml adds, as quicktype asks); these make the mapper work without it. Parsing goes
 * through the Converter's lenient parsers when it has them.
 */
function javaTimeModule(converter: string): string {
  const parse = (type: string, helper: string, fallback: string) =>
    new RegExp(`static ${type} ${helper}\\(`).test(converter)
      ? `Converter.${helper}(parser.getText())`
      : `${fallback}(parser.getText())`;
  const pair = (type: string, parser: string, format: string) => `
        module.addDeserializer(${type}.class, new JsonDeserializer<${type}>() {
            @Override
            public ${type} deserialize(JsonParser parser, DeserializationContext context) throws IOException {
                return ${parser};
            }
        });
        module.addSerializer(${type}.class, new JsonSerializer<${type}>() {
            @Override
            public void serialize(${type} value, JsonGenerator generator, SerializerProvider provider) throws IOException {
                generator.writeString(value.format(DateTimeFormatter.${format}));
            }
        });`;
  return [
    pair('OffsetDateTime', parse('OffsetDateTime', 'parseDateTimeString', 'OffsetDateTime.parse'), 'ISO_OFFSET_DATE_TIME'),
    pair('OffsetTime', parse('OffsetTime', 'parseTimeString', 'OffsetTime.parse'), 'ISO_OFFSET_TIME'),
    pair('LocalDate', 'LocalDate.parse(parser.getText())', 'ISO_LOCAL_DATE'),
  ].join('');
}

function javaEventTypes(pkg: string, context: AssembleContext, converter: string): string {
  const puts = context.events.map((e) => `types.put(${javaString(e.eventType)}, ${identifier(e.dataType)}.class);`);
  return `package ${pkg};

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.*;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.format.DateTimeFormatter;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** The event types of schemas/ and the classes of their data. */
public final class EventTypes {
    private EventTypes() {}

    /** Event type → class of its data ({@code JsonNode} when the data has no class). */
    public static final Map<String, Class<?>> DATA_TYPES;

    static {
        Map<String, Class<?>> types = new LinkedHashMap<>();
${indent(puts.join('\n'), '        ')}
        DATA_TYPES = Collections.unmodifiableMap(types);
    }

    /**
     * An ObjectMapper for the data classes and the envelopes: unknown properties ignored, dates and
     * times read with quicktype's Converter and written as ISO 8601 strings.
     */
    public static ObjectMapper objectMapper() {
        ObjectMapper mapper = new ObjectMapper();
        mapper.configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
        mapper.configure(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS, false);
        SimpleModule module = new SimpleModule();${javaTimeModule(converter)}
        mapper.registerModule(module);
        return mapper;
    }

    /** The data of an event as its class in {@link #DATA_TYPES}, or as it is when the event type is unknown. */
    public static Object readData(ObjectMapper mapper, String eventType, JsonNode data) throws JsonProcessingException {
        Class<?> type = DATA_TYPES.get(eventType);
        return type == null ? data : mapper.treeToValue(data, type);
    }
}`;
}

export const java: Target = {
  lang: 'java',
  language: () => new JavaTargetLanguage(),
  rendererOptions: (names) => ({ package: names.dotted, 'array-type': 'list' }),
  comment: javaComment,
  // Names the hand-rendered files use through on-demand imports, which a class of the package would shadow.
  reserved: [
    'EventGridEvent',
    'CloudEvent',
    'EventTypes',
    'JsonProperty',
    'JsonIgnoreProperties',
    'JsonInclude',
    'ObjectMapper',
    'JsonNode',
    'DeserializationFeature',
    'SerializationFeature',
    'JsonDeserializer',
    'JsonSerializer',
    'DeserializationContext',
    'SerializerProvider',
  ],
  memberNames: JAVA_MEMBERS,
  // Jackson reads @JsonProperty("") as "the field's own name".
  unnamable: (key) => key === '',
  lossless: (files) => new Map([...files].map(([name, text]) => [name, losslessJava(name, text)])),
  aliasesOtherData: false,
  anyType: 'JsonNode',
  declares: (files, name) => files.has(`${name}.java`),
  assemble: (context) => {
    const pkg = context.names.dotted;
    const dir = `src/main/java/${pkg.replace(/\./g, '/')}`;
    const out = new Map<string, string>();
    out.set(
      'pom.xml',
      withBanner(
        XML_BANNER,
        `<project xmlns="http://maven.apache.org/POM/4.0.0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://maven.apache.org/POM/4.0.0 https://maven.apache.org/xsd/maven-4.0.0.xsd">
  <modelVersion>4.0.0</modelVersion>
  <groupId>${xmlText(pkg)}</groupId>
  <artifactId>${xmlText(context.names.kebab)}</artifactId>
  <version>${xmlText(context.version)}</version>
  <properties>
    <maven.compiler.release>11</maven.compiler.release>
    <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
  </properties>
  <dependencies>
    <dependency>
      <groupId>com.fasterxml.jackson.core</groupId>
      <artifactId>jackson-databind</artifactId>
      <version>${JACKSON_VERSION}</version>
    </dependency>
    <dependency>
      <groupId>com.fasterxml.jackson.datatype</groupId>
      <artifactId>jackson-datatype-jsr310</artifactId>
      <version>${JACKSON_VERSION}</version>
    </dependency>
  </dependencies>
</project>`,
      ),
    );
    for (const [name, text] of [...context.quicktype].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      out.set(`${dir}/${name}`, withBanner(SLASH_BANNER, text));
    }
    const converter = context.quicktype.get('Converter.java') ?? '';
    out.set(
      `${dir}/EventGridEvent.java`,
      withBanner(SLASH_BANNER, javaEnvelope(pkg, 'EventGridEvent', EVENT_GRID_DOC, EVENT_GRID_FIELDS)),
    );
    out.set(
      `${dir}/CloudEvent.java`,
      withBanner(SLASH_BANNER, javaEnvelope(pkg, 'CloudEvent', CLOUD_EVENT_DOC, CLOUD_EVENT_FIELDS)),
    );
    out.set(`${dir}/EventTypes.java`, withBanner(SLASH_BANNER, javaEventTypes(pkg, context, converter)));
    return out;
  },
};

function kotlinEnvelope(name: string, doc: string, fields: readonly EnvelopeField[]): string {
  const params = fields.map((f) => {
    const type = f.isData ? 'T' : 'String';
    const json = kotlinString(f.json);
    return `/** ${f.doc} */\n@param:JsonProperty(${json}) @get:JsonProperty(${json})\nval ${camelWords(f.words)}: ${f.required ? type : `${type}? = null`},`;
  });
  return `/** ${doc} */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
data class ${name}<T>(
${indent(params.join('\n'), '    ')}
)`;
}

export const kotlin: Target = {
  lang: 'kotlin',
  language: () => new KotlinTargetLanguage(),
  rendererOptions: (names) => ({ package: names.dotted, framework: 'jackson' }),
  comment: plainComment,
  reserved: [
    'EventGridEvent',
    'CloudEvent',
    'eventDataTypes',
    'JsonProperty',
    'JsonIgnoreProperties',
    'JsonInclude',
    'JsonNode',
    'KClass',
  ],
  aliasesOtherData: false,
  anyType: 'JsonNode',
  declares: (files, name) => [...files.values()].some((text) => new RegExp(`^(data )?class ${name}\\b`, 'm').test(text)),
  assemble: (context) => {
    const pkg = context.names.dotted;
    const dir = `src/main/kotlin/${pkg.replace(/\./g, '/')}`;
    const entries = context.events.map((e) => `${kotlinString(e.eventType)} to ${identifier(e.dataType)}::class,`);
    const events = `package ${pkg}

import com.fasterxml.jackson.annotation.JsonIgnoreProperties
import com.fasterxml.jackson.annotation.JsonInclude
import com.fasterxml.jackson.annotation.JsonProperty
import com.fasterxml.jackson.databind.JsonNode
import kotlin.reflect.KClass

${kotlinEnvelope('EventGridEvent', EVENT_GRID_DOC, EVENT_GRID_FIELDS)}

${kotlinEnvelope('CloudEvent', CLOUD_EVENT_DOC, CLOUD_EVENT_FIELDS)}

/** Event type → class of its data (JsonNode when the data has no class). */
val eventDataTypes: Map<String, KClass<*>> = linkedMapOf(
${indent(entries.join('\n'), '    ')}
)`;
    return new Map([
      ['settings.gradle.kts', withBanner(SLASH_BANNER, `rootProject.name = ${kotlinString(context.names.kebab)}`)],
      [
        'build.gradle.kts',
        withBanner(
          SLASH_BANNER,
          `plugins {
    kotlin("jvm") version "1.9.24"
    \`java-library\`
}

group = ${kotlinString(pkg)}
version = ${kotlinString(context.version)}

repositories {
    mavenCentral()
}

dependencies {
    api("com.fasterxml.jackson.module:jackson-module-kotlin:${JACKSON_VERSION}")
}`,
        ),
      ],
      [`${dir}/Data.kt`, withBanner(SLASH_BANNER, [...context.quicktype.values()].join('\n'))],
      [`${dir}/Events.kt`, withBanner(SLASH_BANNER, events)],
    ]);
  },
};
