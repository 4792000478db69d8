import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { SHARED_MODELS, WESPEAKER_WEIGHTED_FIXTURES } from '../../../test/shared-paths';
import { decodeModel, encodeModel } from './onnx-proto';
import { GraphMismatchError, HEAD_INPUT, HEAD_OUTPUT, splitWespeaker, TRUNK_INPUT, TRUNK_OUTPUT } from './wespeaker-parts';

const FIXTURE_MODEL = join(WESPEAKER_WEIGHTED_FIXTURES, 'resnet34-random.onnx');
const BENCH_MODEL = join(SHARED_MODELS, 'bench/wespeaker-resnet34-arch.random-weights.onnx');

function noise(length: number, seed: number): Float32Array {
  let state = seed;
  return Float32Array.from({ length }, () => {
    state = (state * 1103515245 + 12345) >>> 0;
    return state / 2 ** 31 - 1;
  });
}

/**
 * Unweighted pooling (what the whole network does inside) from the trunk's output, then the head:
 * must give the whole network's embedding.
 */
async function wholeVersusParts(file: string): Promise<number> {
  const bytes = readFileSync(file);
  const parts = splitWespeaker(bytes, file);
  const whole = await ort.InferenceSession.create(bytes);
  const trunk = await ort.InferenceSession.create(parts.trunk);
  const head = await ort.InferenceSession.create(parts.head);
  const frames = 200;
  const feats = new ort.Tensor('float32', noise(frames * 80, 7), [1, frames, 80]);
  const expected = (await whole.run({ feats })).embs.data as Float32Array;
  const trunkOut = (await trunk.run({ [TRUNK_INPUT]: feats }))[TRUNK_OUTPUT];
  const time = trunkOut.dims[trunkOut.dims.length - 1];
  const data = trunkOut.data as Float32Array;
  const stats = new Float32Array(2 * parts.pooledFeatures);
  for (let f = 0; f < parts.pooledFeatures; f++) {
    const row = data.subarray(f * time, (f + 1) * time);
    const mean = row.reduce((a, b) => a + b, 0) / time;
    const variance = row.reduce((a, b) => a + (b - mean) ** 2, 0) / (time - 1);
    stats[f] = mean;
    stats[parts.pooledFeatures + f] = Math.sqrt(variance + 1e-7);
  }
  const embs = (await head.run({ [HEAD_INPUT]: new ort.Tensor('float32', stats, [1, stats.length]) }))[HEAD_OUTPUT].data as Float32Array;
  await Promise.all([whole.release(), trunk.release(), head.release()]);
  expect(embs.length).toBe(expected.length);
  return Math.max(...Array.from(embs, (v, i) => Math.abs(v - expected[i])));
}

describe('splitWespeaker', () => {
  it.each([
    ['the fixture (torch 1.13 export, Flatten, zero mean_vec)', FIXTURE_MODEL],
    ['the bench model (Reshape before pooling, no final Sub)', BENCH_MODEL],
  ])('cuts %s where pooling starts: trunk + pooling + head = the whole network', async (_name, file) => {
    expect(await wholeVersusParts(file)).toBeLessThan(1e-4);
  });

  it('finds the cut by structure and reports what it dropped', () => {
    const fixture = splitWespeaker(readFileSync(FIXTURE_MODEL));
    expect(fixture.pooledFeatures).toBe(2560);
    expect(fixture.dimension).toBe(256);
    expect(fixture.notes.join('\n')).toMatch(/dropped the final Sub of an all-zero vector \(mean_vec\)/);
    expect(fixture.notes.join('\n')).toMatch(/trunk output \/model\/layer4\/layer4\.2\/Relu_1_output_0/);
    const trunk = decodeModel(fixture.trunk);
    expect(trunk.graph!.node.some((n) => n.op_type === 'ReduceMean' || n.op_type === 'Gemm')).toBe(false);
    expect(trunk.graph!.initializer.some((t) => t.name === 'model.seg_1.weight')).toBe(false);
    const head = decodeModel(fixture.head);
    expect(head.graph!.node.map((n) => n.op_type)).toEqual(['Gemm']);
  });

  it('keeps a non-zero final offset, since dropping it would change the embeddings', () => {
    const model = decodeModel(readFileSync(FIXTURE_MODEL));
    const meanVec = model.graph!.initializer.find((t) => t.name === 'mean_vec')!;
    meanVec.raw_data = new Uint8Array(Float32Array.from({ length: 256 }, () => 0.5).buffer);
    const parts = splitWespeaker(encodeModel(model));
    expect(parts.notes.join('\n')).toMatch(/kept the final Sub of a non-zero constant vector/);
    expect(decodeModel(parts.head).graph!.node.map((n) => n.op_type)).toEqual(['Gemm', 'Sub']);
  });

  it.each([
    ['a segmentation model', join(SHARED_MODELS, 'segmentation-3.0.fp32-from-fp16.onnx'), /does not have a WeSpeaker graph \(expected Gemm before logits, found Cast\)/],
    ['a waveform speaker encoder', join(SHARED_MODELS, 'speaker-embedding.openvoice-refenc.onnx'), /does not have a WeSpeaker graph/],
  ])('refuses %s with one line naming the file', (_name, file, message) => {
    let error: unknown;
    try {
      splitWespeaker(readFileSync(file), file);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(GraphMismatchError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).toContain(file);
    expect((error as Error).message).not.toContain('\n');
  });

  it('refuses bytes that are not an ONNX model', () => {
    expect(() => splitWespeaker(new Uint8Array([1, 2, 3, 4]), 'junk.onnx')).toThrow(/junk.onnx is not an ONNX model/);
  });
});
