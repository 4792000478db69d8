import { resolve } from 'node:path';
import * as protobuf from 'protobufjs';

/**
 * ONNX files read and written with protobufjs and ONNX's own schema (`models/proto/onnx.proto`,
 * copied unchanged from the onnx repository), so every field, known or not to this code,
 * survives a decode/encode round trip.
 */

/** protobufjs represents int64 fields as Long objects (or numbers); both convert with Number(). */
export type Int64 = number | { toNumber(): number };

export interface TensorProto {
  name?: string;
  dims: Int64[];
  data_type?: number;
  raw_data?: Uint8Array;
  float_data: number[];
  int32_data: number[];
  int64_data: Int64[];
  double_data: number[];
  data_location?: number;
}

export interface AttributeProto {
  name?: string;
  type?: number;
  i?: Int64;
  f?: number;
  ints: Int64[];
  t?: TensorProto;
}

export interface NodeProto {
  input: string[];
  output: string[];
  name?: string;
  op_type?: string;
  domain?: string;
  attribute: AttributeProto[];
}

export interface ValueInfoProto {
  name?: string;
  type?: unknown;
}

export interface GraphProto {
  node: NodeProto[];
  name?: string;
  initializer: TensorProto[];
  input: ValueInfoProto[];
  output: ValueInfoProto[];
  value_info: ValueInfoProto[];
}

export interface OperatorSetIdProto {
  domain?: string;
  version?: Int64;
}

export interface ModelProto {
  ir_version?: Int64;
  opset_import: OperatorSetIdProto[];
  producer_name?: string;
  producer_version?: string;
  doc_string?: string;
  graph?: GraphProto;
  metadata_props: Array<{ key?: string; value?: string }>;
}

/** TensorProto.DataType values used here. */
export const DataType = { FLOAT: 1, INT64: 7, FLOAT16: 10, DOUBLE: 11 } as const;

const SCHEMA_PATH = resolve(__dirname, '..', '..', 'proto', 'onnx.proto');

let schema: protobuf.Type | undefined;

function modelType(): protobuf.Type {
  // keepCase: the schema's own field names (op_type, raw_data), not camelCase
  schema ??= new protobuf.Root().loadSync(SCHEMA_PATH, { keepCase: true }).lookupType('onnx.ModelProto');
  return schema;
}

/** Parses an ONNX file's bytes; throws with `what` in the message when they are not a model. */
export function decodeModel(bytes: Uint8Array, what = 'the file'): ModelProto {
  let model: ModelProto;
  try {
    model = modelType().decode(bytes) as unknown as ModelProto;
  } catch (error) {
    throw new Error(`${what} is not an ONNX model (${error instanceof Error ? error.message : String(error)})`);
  }
  if (!model.graph || model.graph.node.length === 0) throw new Error(`${what} is not an ONNX model (it has no graph)`);
  return model;
}

export function encodeModel(model: ModelProto): Uint8Array {
  return modelType().encode(modelType().fromObject(model as unknown as Record<string, unknown>)).finish();
}

export function toNumber(value: Int64 | undefined): number {
  if (value === undefined) return 0;
  return typeof value === 'number' ? value : value.toNumber();
}

/** A float32 or float16 tensor's values (raw_data or float_data), widened to float32. */
export function floatValues(tensor: TensorProto): Float32Array {
  const count = tensor.dims.reduce<number>((product, d) => product * toNumber(d), 1);
  if (tensor.data_type === DataType.FLOAT) {
    if (tensor.raw_data && tensor.raw_data.length > 0) {
      const raw = tensor.raw_data;
      const copy = new Uint8Array(raw.length);
      copy.set(raw);
      return new Float32Array(copy.buffer, 0, count);
    }
    return Float32Array.from(tensor.float_data);
  }
  throw new Error(`tensor ${tensor.name ?? ''} has data type ${tensor.data_type}, expected float32`);
}

/** An int64 tensor's values (raw_data or int64_data). */
export function int64Values(tensor: TensorProto): number[] {
  if (tensor.data_type !== DataType.INT64) throw new Error(`tensor ${tensor.name ?? ''} has data type ${tensor.data_type}, expected int64`);
  const raw = tensor.raw_data;
  if (raw && raw.length > 0) {
    const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    return Array.from({ length: raw.length / 8 }, (_, i) => Number(view.getBigInt64(i * 8, true)));
  }
  return tensor.int64_data.map(toNumber);
}
