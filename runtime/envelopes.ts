/**
 * An event in the Event Grid event schema.
 * https://learn.microsoft.com/azure/event-grid/event-schema
 *
 * Publishers send the publish form; Event Grid adds `topic` and `metadataVersion`
 * when it delivers, so both are optional here.
 */
export interface EventGridEvent<TType extends string = string, TData = unknown> {
  /** Unique identifier for the event. */
  id: string;
  /** Full resource path to the event source. Set by Event Grid on delivery. */
  topic?: string;
  /** Publisher-defined path to the event subject. */
  subject: string;
  /** One of the registered event types for this event source. */
  eventType: TType;
  /** The time the event is generated, RFC 3339 date-time, sent as a string. */
  eventTime: string;
  /** Event data specific to the event type. */
  data: TData;
  /** The schema version of the data object, defined by the publisher. */
  dataVersion: string;
  /** The schema version of the event metadata, "1". Set by Event Grid on delivery. */
  metadataVersion?: string;
}

/**
 * An event in the CloudEvents 1.0 JSON format.
 * https://github.com/cloudevents/spec/blob/v1.0.2/cloudevents/spec.md
 */
export interface CloudEvent<TType extends string = string, TData = unknown> {
  /** The version of the CloudEvents specification: exactly "1.0". */
  specversion: '1.0';
  /** Identifies the event; non-empty, unique within the scope of `source`. */
  id: string;
  /** Identifies the context in which the event happened (a URI-reference, non-empty). */
  source: string;
  /** The type of the event. */
  type: TType;
  /** Content type of `data` (RFC 2046), for example "application/json". */
  datacontenttype?: string;
  /** URI of the schema `data` adheres to. */
  dataschema?: string;
  /** The subject of the event in the context of the producer. */
  subject?: string;
  /** When the occurrence happened, RFC 3339 timestamp, sent as a string. */
  time?: string;
  /** The event payload. */
  data?: TData;
  /** The event payload as base64, for binary data; never together with `data`. */
  data_base64?: string;
  /** Extension attributes: names of lower-case letters and digits. */
  [extension: string]: unknown;
}
