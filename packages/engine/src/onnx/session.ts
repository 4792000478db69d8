import * as ort from 'onnxruntime-node';
import { DiarizationError } from '../errors';
import type { ExecutionProvider } from '../types';

export interface SessionSettings {
  providers: ExecutionProvider[];
  graphOptimizationLevel: 'disabled' | 'basic' | 'extended' | 'all';
  /** 0 lets onnxruntime choose. */
  intraOpThreads: number;
}

export interface LoadedSession {
  session: ort.InferenceSession;
  /** Providers actually in use (CUDA falls back to CPU when its libraries are missing). */
  providers: ExecutionProvider[];
  notice?: string;
}

function options(settings: SessionSettings, providers: ExecutionProvider[]): ort.InferenceSession.SessionOptions {
  return {
    executionProviders: providers,
    graphOptimizationLevel: settings.graphOptimizationLevel,
    executionMode: 'sequential',
    interOpNumThreads: 1,
    // The arena alone reuses freed activations; a memory pattern on top keeps a second, planned
    // block per input shape: measured 20 MiB more for the ResNet34 trunk, and no faster.
    enableMemPattern: false,
    ...(settings.intraOpThreads > 0 ? { intraOpNumThreads: settings.intraOpThreads } : {}),
    // Two sessions run at once (segmentation in its own thread, embeddings here): threads that
    // spin while waiting for work would take cores from the other session. Measured faster.
    extra: { session: { intra_op: { allow_spinning: '0' } } },
  };
}

/** Opens an ONNX model (a file, or its bytes), checking that it has the tensors the manifest promises. */
export async function openSession(
  model: string | Uint8Array,
  modelId: string,
  settings: SessionSettings,
  expected: { inputs: string[]; outputs: string[] },
): Promise<LoadedSession> {
  const path = typeof model === 'string' ? model : 'derived in memory';
  let loaded: LoadedSession;
  try {
    loaded = { session: await create(model, options(settings, settings.providers)), providers: settings.providers };
  } catch (error) {
    if (!settings.providers.includes('cuda')) throw corrupt(modelId, path, error);
    // The CUDA provider needs CUDA/cuDNN libraries; without them, run on the CPU and say so.
    try {
      loaded = {
        session: await create(model, options(settings, ['cpu'])),
        providers: ['cpu'],
        notice: `CUDA is unavailable (${firstLine(error)}); ${modelId} runs on the CPU`,
      };
    } catch (cpuError) {
      throw corrupt(modelId, path, cpuError);
    }
  }
  const missing = [
    ...expected.inputs.filter((name) => !loaded.session.inputNames.includes(name)),
    ...expected.outputs.filter((name) => !loaded.session.outputNames.includes(name)),
  ];
  if (missing.length > 0) {
    await loaded.session.release();
    throw new DiarizationError(
      'MODEL_CORRUPT',
      `model "${modelId}" (${path}) does not have the expected tensor(s) ${missing.join(', ')} (it has inputs ${loaded.session.inputNames.join(', ')} and outputs ${loaded.session.outputNames.join(', ')})`,
    );
  }
  return loaded;
}

function create(model: string | Uint8Array, sessionOptions: ort.InferenceSession.SessionOptions): Promise<ort.InferenceSession> {
  return typeof model === 'string' ? ort.InferenceSession.create(model, sessionOptions) : ort.InferenceSession.create(model, sessionOptions);
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0].slice(0, 200);
}

function corrupt(modelId: string, path: string, error: unknown): DiarizationError {
  return new DiarizationError('MODEL_CORRUPT', `model "${modelId}" (${path}) could not be loaded: ${firstLine(error)}`, {
    cause: error,
  });
}

export function floatTensor(data: Float32Array, dims: number[]): ort.Tensor {
  return new ort.Tensor('float32', data, dims);
}

/** Reads a float32 output, whatever realm or type it came back as. */
export function outputData(outputs: ort.InferenceSession.OnnxValueMapType, name: string): { data: Float32Array; dims: readonly number[] } {
  const tensor = outputs[name] as ort.Tensor | undefined;
  if (!tensor) throw new Error(`model output ${name} is missing`);
  return { data: tensor.data as Float32Array, dims: tensor.dims };
}
