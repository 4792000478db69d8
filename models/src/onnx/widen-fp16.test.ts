import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SHARED_MODELS } from '../../../test/shared-paths';
import { findModel, loadManifest } from '../manifest';
import { DataType, decodeModel, encodeModel, type ModelProto } from './onnx-proto';
import { halfBitsToFloatBits, widenFp16Model } from './widen-fp16';

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe('widenFp16Model', () => {
  it('turns the fp16 segmentation file into the manifest fp32 file, byte for byte', () => {
    const manifest = loadManifest();
    const fp32 = findModel(manifest, 'segmentation-3.0')!;
    const fp16 = findModel(manifest, 'segmentation-3.0-fp16')!;
    expect(fp32.derivedFrom).toEqual({ model: fp16.id, transform: 'widen-fp16' });
    const source = readFileSync(join(SHARED_MODELS, fp16.file));
    expect(sha256(source)).toBe(fp16.sha256);
    const { bytes, stats } = widenFp16Model(source);
    expect(bytes.length).toBe(fp32.bytes);
    expect(sha256(bytes)).toBe(fp32.sha256);
    expect(Buffer.from(bytes).equals(readFileSync(join(SHARED_MODELS, fp32.file)))).toBe(true);
    // 31 float16 initializers + ConstantOfShape's value; the input Cast (the output Cast is to float32 already)
    expect(stats).toMatchObject({ tensors: 32, casts: 1, values: 1493265 + 1 });
    expect(stats.valueTypes).toBeGreaterThan(40);
  });

  it('widens every float16 bit pattern exactly', () => {
    const out = new Float32Array(1);
    const bits = new Uint32Array(out.buffer);
    const wrong: number[] = [];
    for (let half = 0; half < 0x10000; half++) {
      bits[0] = halfBitsToFloatBits(half);
      const sign = half & 0x8000 ? -1 : 1;
      const exponent = (half >> 10) & 0x1f;
      const mantissa = half & 0x3ff;
      let right: boolean;
      if (exponent === 0x1f && mantissa !== 0) {
        right = bits[0] === ((((half & 0x8000) << 16) | 0x7f800000 | (mantissa << 13)) >>> 0); // NaN, payload kept
      } else {
        const expected =
          exponent === 0x1f
            ? sign * Infinity
            : exponent === 0
              ? sign * mantissa * 2 ** -24
              : sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
        right = Object.is(out[0], expected); // also tells -0 from +0
      }
      if (!right) wrong.push(half);
    }
    expect(wrong).toEqual([]);
  });

  it('widens int32_data tensors, tensor attributes, subgraphs and value types, and leaves other types alone', () => {
    const half = (value: number) => ({ 1: 0x3c00, 0.5: 0x3800, [-2]: 0xc000 })[value]!;
    const tensorType = (elem: number) => ({ tensor_type: { elem_type: elem, shape: { dim: [{ dim_value: 2 }] } } });
    const model = {
      ir_version: 8,
      opset_import: [{ domain: '', version: 17 }],
      producer_name: 'test',
      graph: {
        name: 'g',
        node: [
          { op_type: 'Cast', input: ['x'], output: ['xh'], attribute: [{ name: 'to', type: 2, i: DataType.FLOAT16 }] },
          {
            op_type: 'If',
            input: ['c'],
            output: ['y'],
            attribute: [
              {
                name: 'then_branch',
                type: 5,
                g: {
                  name: 'then',
                  node: [{ op_type: 'Cast', input: ['xh'], output: ['y'], attribute: [{ name: 'to', type: 2, i: DataType.FLOAT16 }] }],
                  output: [{ name: 'y', type: tensorType(DataType.FLOAT16) }],
                },
              },
            ],
          },
          {
            op_type: 'ConstantOfShape',
            input: ['s'],
            output: ['z'],
            attribute: [{ name: 'value', type: 4, t: { dims: [1], data_type: DataType.FLOAT16, int32_data: [half(-2)] } }],
          },
          { op_type: 'Cast', input: ['y'], output: ['i'], attribute: [{ name: 'to', type: 2, i: DataType.INT64 }] },
        ],
        initializer: [
          { name: 'w', dims: [2], data_type: DataType.FLOAT16, int32_data: [half(1), half(0.5)] },
          { name: 'k', dims: [2], data_type: DataType.INT64, int64_data: [3, 4] },
        ],
        input: [{ name: 'x', type: tensorType(DataType.FLOAT) }],
        output: [{ name: 'i', type: tensorType(DataType.INT64) }],
        value_info: [{ name: 'xh', type: tensorType(DataType.FLOAT16) }],
      },
    };
    const { bytes, stats } = widenFp16Model(encodeModel(model as unknown as ModelProto));
    expect(stats).toEqual({ tensors: 2, values: 3, casts: 2, valueTypes: 2 });
    const widened = decodeModel(bytes) as unknown as typeof model;
    const [w, k] = widened.graph.initializer as unknown as Array<{ data_type: number; raw_data: Uint8Array; int32_data: number[] }>;
    expect(w.data_type).toBe(DataType.FLOAT);
    expect(w.int32_data).toEqual([]);
    expect(Array.from(new Float32Array(Uint8Array.from(w.raw_data).buffer))).toEqual([1, 0.5]);
    expect(k.data_type).toBe(DataType.INT64);
    const nodes = widened.graph.node as unknown as Array<{ attribute: Array<{ i: unknown; g?: typeof model.graph; t?: { data_type: number; raw_data: Uint8Array } }> }>;
    expect(Number(nodes[0].attribute[0].i)).toBe(DataType.FLOAT);
    expect(Number(nodes[3].attribute[0].i)).toBe(DataType.INT64);
    const branch = nodes[1].attribute[0].g!;
    expect(Number((branch.node[0].attribute[0] as { i: unknown }).i)).toBe(DataType.FLOAT);
    expect(branch.output[0].type.tensor_type.elem_type).toBe(DataType.FLOAT);
    const value = nodes[2].attribute[0].t!;
    expect(value.data_type).toBe(DataType.FLOAT);
    expect(Array.from(new Float32Array(Uint8Array.from(value.raw_data).buffer))).toEqual([-2]);
    expect(widened.graph.value_info[0].type.tensor_type.elem_type).toBe(DataType.FLOAT);
    expect(widened.graph.input[0].type.tensor_type.elem_type).toBe(DataType.FLOAT);
  });

  it('says what is wrong with a file that is not a model', () => {
    expect(() => widenFp16Model(Buffer.from('not onnx'), 'segmentation-3.0-fp16')).toThrow(/segmentation-3.0-fp16 is not an ONNX model/);
  });
});
