import { DataType, decodeModel, encodeModel, floatValues, int64Values, toNumber, type GraphProto, type ModelProto, type NodeProto, type TensorProto } from './onnx-proto';

/**
 * A WeSpeaker-format embedding model (`feats` [B, T, 80] -> `embs` [B, D], unweighted statistics
 * pooling inside) split where pyannote 3.1 / community-1 need it: the trunk, whose output is the
 * frame-level tensor the pooling reads, and the linear head that turns pooled statistics into
 * the embedding. pyannote pools with the speaker's mask as weights in between.
 */
export interface WespeakerParts {
  /** ONNX model: `feats` -> `frames` [B, ..., T'] (features row-major before the last, time, axis). */
  trunk: Uint8Array;
  /** ONNX model: `stats` [N, 2F] (F means, then F standard deviations) -> `embs` [N, D]. */
  head: Uint8Array;
  /** F, the number of pooled features per frame. */
  pooledFeatures: number;
  dimension: number;
  /** What was checked or dropped on the way (one line each). */
  notes: string[];
}

export const TRUNK_INPUT = 'feats';
export const TRUNK_OUTPUT = 'frames';
export const HEAD_INPUT = 'stats';
export const HEAD_OUTPUT = 'embs';

/** The graph does not have the structure of a WeSpeaker export. */
export class GraphMismatchError extends Error {}

interface GraphIndex {
  producer: Map<string, NodeProto>;
  initializer: Map<string, TensorProto>;
}

function indexGraph(graph: GraphProto): GraphIndex {
  const producer = new Map<string, NodeProto>();
  for (const node of graph.node) for (const output of node.output) producer.set(output, node);
  return { producer, initializer: new Map(graph.initializer.map((t) => [t.name ?? '', t])) };
}

function attribute(node: NodeProto, name: string): number | number[] | undefined {
  const found = node.attribute.find((a) => a.name === name);
  if (!found) return undefined;
  // AttributeProto.type: FLOAT 1, INT 2, INTS 7 (unset fields read as defaults, so go by the type)
  if (found.type === 7) return found.ints.map(toNumber);
  if (found.type === 2) return toNumber(found.i);
  return found.type === 1 ? found.f : undefined;
}

/** A constant operand: an initializer, or the output of a Constant node. */
function constantTensor(index: GraphIndex, name: string): TensorProto | undefined {
  const initializer = index.initializer.get(name);
  if (initializer) return initializer;
  const node = index.producer.get(name);
  return node?.op_type === 'Constant' ? node.attribute.find((a) => a.name === 'value')?.t : undefined;
}

/**
 * Finds the cut by the graph's structure, walking back from the embedding output:
 * [Sub/Add constant] <- Gemm <- Concat(mean, std) <- [Flatten] <- ReduceMean(last axis, keepdims 0) <- trunk.
 */
export function splitWespeaker(bytes: Uint8Array, what = 'the model', outputName = 'embs'): WespeakerParts {
  const model = decodeModel(bytes, what);
  const graph = model.graph!;
  const index = indexGraph(graph);
  const misfit = (reason: string) => new GraphMismatchError(`${what} does not have a WeSpeaker graph (${reason})`);
  const notes: string[] = [];

  const output = graph.output.find((o) => o.name === outputName) ?? (graph.output.length === 1 ? graph.output[0] : undefined);
  if (!output?.name) throw misfit(`no output named ${outputName}`);
  let node = index.producer.get(output.name);
  let offsetNode: NodeProto | undefined;
  if (node && (node.op_type === 'Sub' || node.op_type === 'Add')) {
    const constant = constantTensor(index, node.input[1]);
    const offset = constant?.data_type === DataType.FLOAT ? floatValues(constant) : undefined;
    if (!offset) throw misfit(`the final ${node.op_type} does not apply a constant`);
    if (offset.some((v) => v !== 0)) {
      offsetNode = node;
      notes.push(`kept the final ${node.op_type} of a non-zero constant vector (pyannote's model has none)`);
    } else {
      notes.push(`dropped the final ${node.op_type} of an all-zero vector (${node.input[1]})`);
    }
    node = index.producer.get(node.input[0]);
  }
  if (node?.op_type !== 'Gemm') throw misfit(`expected Gemm before ${output.name}, found ${node?.op_type ?? 'nothing'}`);
  const gemm = node;
  const weight = index.initializer.get(gemm.input[1]);
  const bias = gemm.input[2] ? index.initializer.get(gemm.input[2]) : undefined;
  if (!weight || weight.dims.length !== 2) throw misfit('the Gemm weight is not a 2-d initializer');
  if (gemm.input[2] && !bias) throw misfit('the Gemm bias is not an initializer');
  if ((attribute(gemm, 'transA') ?? 0) !== 0) throw misfit('the Gemm transposes its input');
  for (const scale of ['alpha', 'beta'] as const) {
    const value = attribute(gemm, scale);
    if (value !== undefined && value !== 1) throw misfit(`the Gemm has ${scale} ${String(value)}`);
  }
  const transB = attribute(gemm, 'transB') === 1;
  const [rows, columns] = weight.dims.map(toNumber);
  const statsWidth = transB ? columns : rows;
  const dimension = transB ? rows : columns;

  const concat = index.producer.get(gemm.input[0]);
  if (concat?.op_type !== 'Concat' || concat.input.length !== 2) throw misfit('the Gemm does not read a Concat of two statistics');
  let mean = index.producer.get(concat.input[0]);
  if (mean?.op_type === 'Flatten') mean = index.producer.get(mean.input[0]);
  if (mean?.op_type !== 'ReduceMean') throw misfit('the first pooled statistic is not a mean');
  // opset 18 moved ReduceMean's axes from an attribute to an input
  const axesInput = mean.input[1] ? constantTensor(index, mean.input[1]) : undefined;
  const axes = attribute(mean, 'axes') ?? (axesInput ? int64Values(axesInput) : undefined);
  const overLastAxis = Array.isArray(axes) && axes.length === 1 && axes[0] === -1;
  if (!overLastAxis || attribute(mean, 'keepdims') !== 0) throw misfit('the mean is not taken over the last (time) axis');
  const frames = mean.input[0];
  if (!dependsOn(index, concat.input[1], frames, 'Sqrt')) throw misfit('the second pooled statistic is not a standard deviation of the same frames');
  if (statsWidth % 2 !== 0) throw misfit(`the linear layer reads ${statsWidth} values, not two equal halves`);
  notes.push(`trunk output ${frames}; linear layer ${gemm.name ?? gemm.op_type} ${statsWidth} -> ${dimension}`);

  return {
    trunk: encodeModel(trunkModel(model, frames)),
    head: encodeModel(headModel(model, gemm, offsetNode, statsWidth, dimension)),
    pooledFeatures: statsWidth / 2,
    dimension,
    notes,
  };
}

/** True when `name` is computed from `source` through a node of type `through`. */
function dependsOn(index: GraphIndex, name: string, source: string, through: string): boolean {
  const seen = new Set<string>();
  const visit = (tensor: string, passed: boolean): boolean => {
    if (tensor === source) return passed;
    const key = `${tensor}:${passed}`;
    if (seen.has(key)) return false;
    seen.add(key);
    const node = index.producer.get(tensor);
    if (!node) return false;
    const now = passed || node.op_type === through;
    return node.input.some((input) => input !== '' && visit(input, now));
  };
  return visit(name, false);
}

/** A float tensor type; without `dims` the rank is left open (the trunk's output rank varies by export). */
function floatTensorType(dims?: Array<number | string>): unknown {
  const shape = dims && { dim: dims.map((d) => (typeof d === 'number' ? { dim_value: d } : { dim_param: d })) };
  return { tensor_type: { elem_type: DataType.FLOAT, ...(shape ? { shape } : {}) } };
}

/** The nodes needed for `frames`, renamed `frames` at the end; everything else dropped. */
function trunkModel(model: ModelProto, frames: string): ModelProto {
  const graph = model.graph!;
  const index = indexGraph(graph);
  const needed = new Set<NodeProto>();
  const stack = [frames];
  const usedTensors = new Set<string>();
  while (stack.length > 0) {
    const tensor = stack.pop()!;
    if (usedTensors.has(tensor)) continue;
    usedTensors.add(tensor);
    const node = index.producer.get(tensor);
    if (node && !needed.has(node)) {
      needed.add(node);
      stack.push(...node.input.filter((input) => input !== ''));
    }
  }
  const nodes = graph.node
    .filter((n) => needed.has(n))
    .map((n) => ({ ...n, output: n.output.map((o) => (o === frames ? TRUNK_OUTPUT : o)) }));
  const inputs = graph.input.filter((i) => usedTensors.has(i.name ?? '') && !index.initializer.has(i.name ?? ''));
  if (inputs.length !== 1 || inputs[0].name !== TRUNK_INPUT) {
    throw new GraphMismatchError(`the trunk should read only ${TRUNK_INPUT} (it reads ${inputs.map((i) => i.name).join(', ')})`);
  }
  return withGraph(model, {
    node: nodes,
    keepInitializer: (name) => usedTensors.has(name),
    input: inputs,
    output: [{ name: TRUNK_OUTPUT, type: floatTensorType() }],
    value_info: graph.value_info.filter((v) => usedTensors.has(v.name ?? '') && v.name !== frames),
  });
}

/** Gemm (and a kept constant offset) reading `stats`. */
function headModel(model: ModelProto, gemm: NodeProto, offset: NodeProto | undefined, statsWidth: number, dimension: number): ModelProto {
  const graph = model.graph!;
  const index = indexGraph(graph);
  const gemmOutput = offset ? gemm.output[0] : HEAD_OUTPUT;
  const nodes: NodeProto[] = [{ ...gemm, input: [HEAD_INPUT, ...gemm.input.slice(1)], output: [gemmOutput] }];
  const constants = [...gemm.input.slice(1)];
  if (offset) {
    const constantNode = index.producer.get(offset.input[1]);
    if (constantNode) nodes.unshift(constantNode);
    nodes.push({ ...offset, input: [gemmOutput, offset.input[1]], output: [HEAD_OUTPUT] });
    constants.push(offset.input[1]);
  }
  return withGraph(model, {
    node: nodes,
    keepInitializer: (name) => constants.includes(name),
    input: [{ name: HEAD_INPUT, type: floatTensorType(['count', statsWidth]) }],
    output: [{ name: HEAD_OUTPUT, type: floatTensorType(['count', dimension]) }],
    value_info: [],
  });
}

/** The model with its graph cut down to `node`, the initializers they use and new inputs and outputs. */
function withGraph(
  model: ModelProto,
  parts: Pick<GraphProto, 'node' | 'input' | 'output' | 'value_info'> & { keepInitializer: (name: string) => boolean },
): ModelProto {
  const { keepInitializer, ...graphParts } = parts;
  const graph = model.graph!;
  return { ...model, graph: { ...graph, ...graphParts, initializer: graph.initializer.filter((t) => keepInitializer(t.name ?? '')) } };
}
