import { DataType, decodeModel, encodeModel, toNumber, type Int64, type ModelProto } from './onnx-proto';

/**
 * Widens a float16 ONNX model to float32: every float16 tensor (initializers, sparse initializers,
 * tensor attributes such as ConstantOfShape's `value`, also inside subgraphs) becomes a float32
 * tensor in raw_data, every Cast to float16 becomes a Cast to float32 (likewise a `dtype`
 * attribute), and every float16 value type (graph inputs, outputs, value_info) becomes float32.
 * Nothing else changes: names, order, shapes, doc strings and producer are kept.
 *
 * The widening of each value is exact (every float16 value is a float32 value, NaN payloads and
 * signed zeros kept), and the model is re-encoded in field-number order like the protobuf C++
 * library does, so widening `segmentation-3.0.fp16.onnx` gives byte for byte the file that the
 * `onnx` Python package (1.12) wrote for the same change: `segmentation-3.0.fp32-from-fp16.onnx`,
 * sha256 47cdf063… (tested in widen-fp16.test.ts).
 */
export function widenFp16Model(bytes: Uint8Array, what = 'the fp16 model'): { bytes: Uint8Array; stats: WideningStats } {
  const model = decodeModel(bytes, what) as WidenableModel;
  const stats: WideningStats = { tensors: 0, values: 0, casts: 0, valueTypes: 0 };
  if (!model.graph) throw new Error(`${what} has no graph`);
  widenGraph(model.graph, stats, what);
  for (const fn of model.functions ?? []) for (const node of fn.node) widenNode(node, stats, what);
  return { bytes: encodeModel(model as unknown as ModelProto), stats };
}

export interface WideningStats {
  /** float16 tensors widened (initializers and tensor attributes). */
  tensors: number;
  /** float16 values widened in those tensors. */
  values: number;
  /** Cast `to` (or `dtype`) attributes retargeted from float16 to float32. */
  casts: number;
  /** Value types (graph inputs, outputs, value_info) changed from float16 to float32. */
  valueTypes: number;
}

/** The float32 bit pattern of a float16 bit pattern: exact, like numpy's astype(np.float32). */
export function halfBitsToFloatBits(half: number): number {
  const sign = (half & 0x8000) << 16;
  const exponent = (half >> 10) & 0x1f;
  let mantissa = half & 0x3ff;
  if (exponent === 0x1f) return (sign | 0x7f800000 | (mantissa << 13)) >>> 0; // inf, NaN (payload kept)
  if (exponent === 0) {
    if (mantissa === 0) return sign >>> 0; // signed zero
    // subnormal half: normalise (every half subnormal is a normal float32)
    let shift = 0;
    while ((mantissa & 0x400) === 0) {
      mantissa <<= 1;
      shift += 1;
    }
    return (sign | ((113 - shift) << 23) | ((mantissa & 0x3ff) << 13)) >>> 0;
  }
  return (sign | ((exponent + 112) << 23) | (mantissa << 13)) >>> 0;
}

// The parts of onnx.proto this file touches beyond onnx-proto.ts's interfaces (protobufjs keepCase names).

interface WidenableTensor {
  name?: string;
  dims: Int64[];
  data_type?: number;
  raw_data?: Uint8Array;
  int32_data: number[];
  data_location?: number;
}

interface WidenableSparseTensor {
  values?: WidenableTensor;
}

interface WidenableType {
  tensor_type?: { elem_type?: number };
  sparse_tensor_type?: { elem_type?: number };
  sequence_type?: { elem_type?: WidenableType };
  optional_type?: { elem_type?: WidenableType };
  map_type?: { value_type?: WidenableType };
}

interface WidenableAttribute {
  name?: string;
  i?: Int64;
  t?: WidenableTensor;
  tensors: WidenableTensor[];
  g?: WidenableGraph;
  graphs: WidenableGraph[];
  sparse_tensor?: WidenableSparseTensor;
  sparse_tensors: WidenableSparseTensor[];
  tp?: WidenableType;
  type_protos: WidenableType[];
}

interface WidenableNode {
  op_type?: string;
  attribute: WidenableAttribute[];
}

interface WidenableGraph {
  node: WidenableNode[];
  initializer: WidenableTensor[];
  sparse_initializer: WidenableSparseTensor[];
  input: Array<{ type?: WidenableType }>;
  output: Array<{ type?: WidenableType }>;
  value_info: Array<{ type?: WidenableType }>;
}

interface WidenableModel {
  graph?: WidenableGraph;
  functions?: Array<{ node: WidenableNode[] }>;
}

const EXTERNAL_DATA = 1;

function widenGraph(graph: WidenableGraph, stats: WideningStats, what: string): void {
  for (const tensor of graph.initializer) widenTensor(tensor, stats, what);
  for (const sparse of graph.sparse_initializer ?? []) if (sparse.values) widenTensor(sparse.values, stats, what);
  for (const list of [graph.input, graph.output, graph.value_info]) {
    for (const value of list) if (value.type) widenType(value.type, stats);
  }
  for (const node of graph.node) widenNode(node, stats, what);
}

function widenNode(node: WidenableNode, stats: WideningStats, what: string): void {
  for (const attribute of node.attribute) {
    const retarget = (node.op_type === 'Cast' && attribute.name === 'to') || attribute.name === 'dtype';
    if (retarget && attribute.i !== undefined && toNumber(attribute.i) === DataType.FLOAT16) {
      attribute.i = DataType.FLOAT;
      stats.casts += 1;
    }
    if (attribute.t) widenTensor(attribute.t, stats, what);
    for (const tensor of attribute.tensors ?? []) widenTensor(tensor, stats, what);
    if (attribute.sparse_tensor?.values) widenTensor(attribute.sparse_tensor.values, stats, what);
    for (const sparse of attribute.sparse_tensors ?? []) if (sparse.values) widenTensor(sparse.values, stats, what);
    if (attribute.g) widenGraph(attribute.g, stats, what);
    for (const graph of attribute.graphs ?? []) widenGraph(graph, stats, what);
    if (attribute.tp) widenType(attribute.tp, stats);
    for (const type of attribute.type_protos ?? []) widenType(type, stats);
  }
}

function widenType(type: WidenableType, stats: WideningStats): void {
  for (const tensorType of [type.tensor_type, type.sparse_tensor_type]) {
    if (tensorType?.elem_type === DataType.FLOAT16) {
      tensorType.elem_type = DataType.FLOAT;
      stats.valueTypes += 1;
    }
  }
  if (type.sequence_type?.elem_type) widenType(type.sequence_type.elem_type, stats);
  if (type.optional_type?.elem_type) widenType(type.optional_type.elem_type, stats);
  if (type.map_type?.value_type) widenType(type.map_type.value_type, stats);
}

/** float16 values are in raw_data (2 bytes each, little-endian) or, one per element, in int32_data. */
function widenTensor(tensor: WidenableTensor, stats: WideningStats, what: string): void {
  if (tensor.data_type !== DataType.FLOAT16) return;
  if (tensor.data_location === EXTERNAL_DATA) {
    throw new Error(`${what}: tensor ${tensor.name ?? ''} keeps its data in an external file, which is not supported`);
  }
  const raw = tensor.raw_data;
  const halves =
    raw && raw.length > 0
      ? Array.from({ length: raw.length >> 1 }, (_, i) => raw[2 * i] | (raw[2 * i + 1] << 8))
      : tensor.int32_data.map((value) => value & 0xffff);
  const expected = tensor.dims.reduce<number>((product, d) => product * toNumber(d), 1);
  if (halves.length !== expected) {
    throw new Error(`${what}: tensor ${tensor.name ?? ''} has ${halves.length} float16 values, its shape says ${expected}`);
  }
  const widened = new Uint8Array(halves.length * 4);
  const view = new DataView(widened.buffer);
  halves.forEach((half, i) => view.setUint32(i * 4, halfBitsToFloatBits(half), true));
  tensor.raw_data = widened;
  tensor.int32_data = [];
  tensor.data_type = DataType.FLOAT;
  stats.tensors += 1;
  stats.values += halves.length;
}
