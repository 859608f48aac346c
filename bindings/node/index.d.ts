// Type definitions for shardline: decode AWS Lambda Kinesis and DynamoDB Streams events.

/// <reference types="node" />

/** Raw JSON text: a Buffer, any typed array / DataView over UTF-8 bytes, an ArrayBuffer, or a string. */
export type RawJson = string | Buffer | Uint8Array | ArrayBufferView | ArrayBuffer;

/** A Lambda stream event as the runtime hands it over (already parsed). */
export interface LambdaStreamEvent {
  Records: unknown[];
  [key: string]: unknown;
}

/** A DynamoDB AttributeValue as stream events carry it (B and BS as base64 text). */
export type AttributeValue =
  | { S: string }
  | { N: string }
  | { B: string | Uint8Array }
  | { BOOL: boolean }
  | { NULL: true }
  | { M: Record<string, AttributeValue> }
  | { L: AttributeValue[] }
  | { SS: string[] }
  | { NS: string[] }
  | { BS: Array<string | Uint8Array> };

/** util-dynamodb's NumberValue: the exact text of an N (wrapNumbers: true). */
export declare class NumberValue {
  constructor(value: string | number | { N: string });
  static from(value: string | number | { N: string }): NumberValue;
  readonly value: string;
  toAttributeValue(): { N: string };
  toBigInt(): bigint;
  toString(): string;
  valueOf(): string;
}

/** A native value unmarshalled from an AttributeValue. B is decoded to bytes. */
export type NativeAttributeValue =
  | string
  | number
  | bigint
  | boolean
  | null
  | Uint8Array
  | NumberValue
  | Set<string>
  | Set<number | bigint | NumberValue>
  | Set<Uint8Array>
  | NativeAttributeValue[]
  | { [key: string]: NativeAttributeValue }
  | unknown; // whatever a wrapNumbers function returns

export type NativeImage = Record<string, NativeAttributeValue>;

export interface UnmarshallOptions {
  /**
   * false (default): N becomes a number when Number(text) is within the safe
   * integer range, a BigInt for integers beyond it, and a ParseError
   * (SHARDLINE_ERR_ATTR_NUMBER) for non-integers beyond it.
   * true: every N becomes a NumberValue. A function: called with each N's text.
   */
  wrapNumbers?: boolean | ((value: string) => unknown);
  /** unmarshall() takes one AttributeValue ({S: "x"}) instead of a map of them. */
  convertWithoutMapWrapper?: boolean;
}

export type ParseOptions = Pick<UnmarshallOptions, 'wrapNumbers'>;

/** One Kinesis Data Streams record: the event's fields, flattened from record and record.kinesis. */
export declare class KinesisRecord {
  readonly eventSource: 'aws:kinesis';
  readonly eventVersion: string;
  readonly eventID: string;
  readonly eventName: string;
  readonly invokeIdentityArn: string;
  readonly awsRegion: string;
  readonly eventSourceARN: string;
  /** kinesis.kinesisSchemaVersion, e.g. "1.0" */
  readonly kinesisSchemaVersion: string;
  readonly partitionKey: string;
  /** Decimal digits, kept as text. */
  readonly sequenceNumber: string;
  /** "NONE" or "KMS" when the record has it. */
  readonly encryptionType: string | undefined;
  /** Seconds since the epoch. */
  readonly approximateArrivalTimestamp: number;
  /** The payload, base64-decoded: a slice of one ArrayBuffer shared by the batch. */
  readonly data: Buffer;
  /** The payload parsed as strict RFC 8259 JSON (ParseError when it is not). */
  json(): unknown;
  /** The payload as UTF-8 text. */
  text(): string;
}

/** One DynamoDB Streams record: the event's fields, flattened from record and record.dynamodb. */
export declare class DynamoDBRecord {
  readonly eventSource: 'aws:dynamodb';
  readonly eventVersion: string;
  readonly eventID: string;
  readonly eventName: 'INSERT' | 'MODIFY' | 'REMOVE';
  readonly awsRegion: string;
  readonly eventSourceARN: string;
  /** dynamodb.SequenceNumber (decimal digits). */
  readonly sequenceNumber: string;
  /** dynamodb.StreamViewType. */
  readonly streamViewType: 'KEYS_ONLY' | 'NEW_IMAGE' | 'OLD_IMAGE' | 'NEW_AND_OLD_IMAGES';
  /** The record's userIdentity (TTL deletions), or undefined. */
  readonly userIdentity: { type: string; principalId: string } | undefined;
  /** Only in change records delivered through Kinesis. */
  readonly tableName: string | undefined;
  readonly recordFormat: string | undefined;
  /** dynamodb.ApproximateCreationDateTime (seconds); NaN when absent. */
  readonly approximateCreationDateTime: number;
  /** dynamodb.SizeBytes. */
  readonly sizeBytes: number | undefined;
  /** dynamodb.Keys, NewImage, OldImage unmarshalled; undefined when the stream does not send them. */
  readonly keys: NativeImage | undefined;
  readonly newImage: NativeImage | undefined;
  readonly oldImage: NativeImage | undefined;
}

export type StreamRecord = KinesisRecord | DynamoDBRecord;

/** Every failure to decode: bad JSON, bad base64, a schema violation, a bad AttributeValue. */
export declare class ParseError extends Error {
  readonly name: 'ParseError';
  /** The C library's status name, e.g. "SHARDLINE_ERR_UTF8", "SHARDLINE_ERR_BASE64_CHAR". */
  readonly code: string;
  /**
   * Byte offset in the raw input where the problem was found. For payload JSON errors
   * (kinesisJson, KinesisRecord.json) it is inside the decoded payload; for events
   * given as objects it is 0, except base64 errors (the offset inside the string).
   */
  readonly offset: number;
  /** Field path such as "Records[3].kinesis.data" or "address.M.zip.N"; "" when none. */
  readonly path: string;
  /** The C library's message, without offset and path. */
  readonly detail: string;
  /** For errors about one record's payload: the record's index. */
  readonly index?: number;
}

/** Every record of a Lambda stream event (raw JSON or the runtime's object), decoded. */
export declare function parse(event: RawJson | LambdaStreamEvent, options?: ParseOptions): StreamRecord[];
/** The Kinesis payloads, base64-decoded: zero-copy Buffers over one ArrayBuffer. */
export declare function kinesisData(event: RawJson | LambdaStreamEvent): Buffer[];
/** The Kinesis payloads parsed as strict JSON. */
export declare function kinesisJson(event: RawJson | LambdaStreamEvent): unknown[];
/**
 * @aws-sdk/util-dynamodb's unmarshall: an AttributeValue map (object, or its raw JSON
 * text) to native values, with B and BS base64-decoded to Uint8Array.
 */
export declare function unmarshall(image: Record<string, AttributeValue> | RawJson, options?: UnmarshallOptions): NativeImage;
export declare function unmarshall(value: AttributeValue, options: UnmarshallOptions & { convertWithoutMapWrapper: true }): NativeAttributeValue;
/** @aws-sdk/util-dynamodb's convertToNative: one AttributeValue to its native value. */
export declare function convertToNative(value: AttributeValue, options?: UnmarshallOptions): NativeAttributeValue;
/** Strict RFC 8259 JSON (leading BOM skipped). */
export declare function loads(text: RawJson): unknown;

/** The library version, e.g. "0.1.0". */
export declare const version: string;
/** The kernel set in use, e.g. "avx2" or "scalar". */
export declare const implementation: string;
