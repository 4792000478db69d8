import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SHARED_MODELS } from '../../../../test/shared-paths';
import { loadNpy, toFloat32 } from '../numpy';
import { FLOAT32_EPSILON, KaldiFbank, torchHammingWindow } from './fbank';
import { subtractFrameMean } from './frame-mean';

const FIXTURES = join(SHARED_MODELS, 'fixtures/fbank');
const TOLERANCE = 1e-3;

interface FbankManifest {
  cases: Record<string, { num_samples: number; frames: number }>;
}

function differences(actual: Float32Array, expected: Float32Array): { max: number; rms: number } {
  let max = 0;
  let squares = 0;
  for (let i = 0; i < expected.length; i++) {
    const difference = Math.abs(actual[i] - expected[i]);
    max = Math.max(max, difference);
    squares += difference * difference;
  }
  return { max, rms: Math.sqrt(squares / expected.length) };
}

const describeFixtures = existsSync(join(FIXTURES, 'manifest.json')) ? describe : describe.skip;

describeFixtures('KaldiFbank parity with torchaudio.compliance.kaldi.fbank', () => {
  const manifest = JSON.parse(readFileSync(join(FIXTURES, 'manifest.json'), 'utf8')) as FbankManifest;
  const fbank = new KaldiFbank();

  it.each(Object.keys(manifest.cases))('%s matches raw and mean-normalised features within 1e-3', (name) => {
    const wave = toFloat32(loadNpy(join(FIXTURES, `${name}.wave.npy`)));
    const rawExpected = loadNpy(join(FIXTURES, `${name}.fbank.npy`));
    const cmnExpected = toFloat32(loadNpy(join(FIXTURES, `${name}.fbank_cmn.npy`)));
    const numFrames = fbank.numFrames(wave.length);
    expect(numFrames).toBe(manifest.cases[name].frames);
    expect(rawExpected.shape).toEqual([numFrames, 80]);

    const features = fbank.compute(wave);
    const raw = differences(features, toFloat32(rawExpected));
    subtractFrameMean(features, numFrames, 80);
    const cmn = differences(features, cmnExpected);
    expect(raw.max).toBeLessThan(TOLERANCE);
    expect(cmn.max).toBeLessThan(TOLERANCE);
    // Replaying torch's float32 rounding keeps the typical error at float32
    // output resolution (~1e-6); a float64 pipeline sits near 1e-5.
    expect(raw.rms).toBeLessThan(4e-6);
    expect(cmn.rms).toBeLessThan(4e-6);
  });
});

describe('KaldiFbank', () => {
  const fbank = new KaldiFbank();

  it('uses 400-sample frames, a 160-sample shift and a 512-point FFT at 16 kHz', () => {
    expect([fbank.frameLength, fbank.frameShift, fbank.fftSize]).toEqual([400, 160, 512]);
  });

  it('counts frames like snip_edges', () => {
    expect(fbank.numFrames(0)).toBe(0);
    expect(fbank.numFrames(399)).toBe(0);
    expect(fbank.numFrames(400)).toBe(1);
    expect(fbank.numFrames(559)).toBe(1);
    expect(fbank.numFrames(560)).toBe(2);
    expect(fbank.numFrames(160000)).toBe(998);
  });

  it('returns an empty array for input shorter than one frame', () => {
    expect(fbank.compute(new Float32Array(100))).toHaveLength(0);
  });

  it('floors silence at log(float32 epsilon)', () => {
    const features = fbank.compute(new Float32Array(800));
    expect(features).toHaveLength(3 * 80);
    for (const value of features) expect(value).toBeCloseTo(Math.log(FLOAT32_EPSILON), 6);
  });

  it('writes into a caller buffer and gives the same result on reuse', () => {
    const wave = new Float32Array(4000).map((_, i) => 0.3 * Math.sin(i * 0.05) + 0.01 * Math.cos(i * 1.3));
    const first = fbank.compute(wave);
    const buffer = new Float32Array(first.length + 10);
    expect(fbank.compute(wave, buffer)).toBe(buffer);
    expect(Array.from(buffer.subarray(0, first.length))).toEqual(Array.from(first));
    expect(() => fbank.compute(wave, new Float32Array(5))).toThrow(/buffer/);
  });

  it('gives the same features for float64 input as for its float32 copy', () => {
    const wave64 = new Float64Array(3200).map((_, i) => 0.2 * Math.sin(i * 0.37) + 0.05 * Math.sin(i * 2.1));
    expect(Array.from(fbank.compute(wave64))).toEqual(Array.from(fbank.compute(Float32Array.from(wave64))));
  });

  it('puts a tone in the mel bin that covers its frequency', () => {
    const wave = new Float32Array(1600).map((_, i) => 0.5 * Math.sin((2 * Math.PI * 1000 * i) / 16000));
    const features = fbank.compute(wave);
    const firstFrame = Array.from(features.subarray(0, 80));
    const loudest = firstFrame.indexOf(Math.max(...firstFrame));
    // Bin centres are evenly spaced in Kaldi mel from mel(20) to mel(8000).
    const mel = (f: number) => 1127 * Math.log(1 + f / 700);
    const centre = (m: number) => mel(20) + ((m + 1) * (mel(8000) - mel(20))) / 81;
    expect(Math.abs(centre(loudest) - mel(1000))).toBeLessThan((mel(8000) - mel(20)) / 81);
  });

  it('builds the symmetric Kaldi hamming window', () => {
    const window = torchHammingWindow(400);
    expect(window[0]).toBeCloseTo(0.08, 7);
    expect(window[399]).toBeCloseTo(0.08, 7);
    expect(window[200]).toBeCloseTo(window[199], 6);
    expect(window[200]).toBeCloseTo(0.54 + 0.46 * Math.cos(Math.PI / 399), 6);
  });
});

describe('subtractFrameMean', () => {
  it('removes each bin mean over frames', () => {
    const features = Float32Array.from([1, 10, 3, 20, 5, 60]);
    subtractFrameMean(features, 3, 2);
    expect(Array.from(features)).toEqual([-2, -20, 0, -10, 2, 30]);
  });

  it('accepts zero frames and rejects a short buffer', () => {
    expect(() => subtractFrameMean(new Float32Array(0), 0, 80)).not.toThrow();
    expect(() => subtractFrameMean(new Float32Array(10), 2, 80)).toThrow(/need/);
  });
});
