import { RealFft } from '../../test-support/real-fft';
import { designPolyphaseFilter, kaiserBeta } from './polyphase-filter';
import { Resampler } from './resample';

function tone(frequency: number, rate: number, length: number, amplitude = 0.5, phase = 0.3): Float32Array {
  return new Float32Array(length).map((_, n) => amplitude * Math.sin((2 * Math.PI * frequency * n) / rate + phase));
}

/** Least-squares amplitude of a sinusoid at `frequency` over signal[from, to). */
function fittedAmplitude(signal: Float32Array, frequency: number, rate: number, from: number, to: number): number {
  let ss = 0;
  let cc = 0;
  let sc = 0;
  let ys = 0;
  let yc = 0;
  for (let n = from; n < to; n++) {
    const s = Math.sin((2 * Math.PI * frequency * n) / rate);
    const c = Math.cos((2 * Math.PI * frequency * n) / rate);
    ss += s * s;
    cc += c * c;
    sc += s * c;
    ys += signal[n] * s;
    yc += signal[n] * c;
  }
  const det = ss * cc - sc * sc;
  const a = (ys * cc - yc * sc) / det;
  const b = (yc * ss - ys * sc) / det;
  return Math.hypot(a, b);
}

/**
 * Power spectrum of signal[from, from + size) under a 4-term Blackman-Harris
 * window (sidelobes below -92 dB), indexed by FFT bin.
 */
function windowedPowerSpectrum(signal: Float32Array, from: number, size: number): Float64Array {
  const frame = new Float64Array(size);
  for (let n = 0; n < size; n++) {
    const x = (2 * Math.PI * n) / size;
    const window = 0.35875 - 0.48829 * Math.cos(x) + 0.14128 * Math.cos(2 * x) - 0.01168 * Math.cos(3 * x);
    frame[n] = signal[from + n] * window;
  }
  const fft = new RealFft(size);
  const power = new Float64Array(fft.numBins);
  fft.powerSpectrum(frame, power);
  return power;
}

/** Power within +-halfWidth bins of `frequency` and the rest, in dB relative to each other. */
function bandEnergy(power: Float64Array, frequency: number, rate: number, size: number, halfWidth: number) {
  const centre = Math.round((frequency * size) / rate);
  let inside = 0;
  let outside = 0;
  let worstOutside = 0;
  power.forEach((value, bin) => {
    if (Math.abs(bin - centre) <= halfWidth) inside += value;
    else {
      outside += value;
      worstOutside = Math.max(worstOutside, value);
    }
  });
  return { inside, outsideDb: 10 * Math.log10(outside / inside), worstBinDb: 10 * Math.log10(worstOutside / inside) };
}

function powerNear(power: Float64Array, frequency: number, rate: number, size: number, halfWidth: number): number {
  const centre = Math.round((frequency * size) / rate);
  let sum = 0;
  for (let bin = centre - halfWidth; bin <= centre + halfWidth; bin++) sum += power[bin];
  return sum;
}

describe('Resampler 16 kHz -> 22,050 Hz', () => {
  const resampler = new Resampler(16000, 22050);
  const margin = 1000; // output samples skipped at each end (edge taper)

  it('reduces the ratio to 441/320 and sizes the output as ceil(n * 441 / 320)', () => {
    expect([resampler.up, resampler.down]).toEqual([441, 320]);
    expect(resampler.outputLength(16000)).toBe(22050);
    expect(resampler.outputLength(1)).toBe(2);
    expect(resampler.outputLength(321)).toBe(Math.ceil((321 * 441) / 320));
    expect(resampler.process(new Float32Array(12345))).toHaveLength(Math.ceil((12345 * 441) / 320));
    expect(resampler.process(new Float32Array(0))).toHaveLength(0);
  });

  it.each([440, 3000])('reproduces a %i Hz sine sample for sample at the new rate (time-aligned)', (frequency) => {
    const output = resampler.process(tone(frequency, 16000, 16000));
    const expected = tone(frequency, 22050, output.length);
    let worst = 0;
    for (let k = margin; k < output.length - margin; k++) worst = Math.max(worst, Math.abs(output[k] - expected[k]));
    expect(worst).toBeLessThan(1e-4);
    const amplitude = fittedAmplitude(output, frequency, 22050, margin, output.length - margin);
    expect(Math.abs(amplitude / 0.5 - 1)).toBeLessThan(0.01);
  });

  it('keeps DC exactly', () => {
    const output = resampler.process(new Float32Array(8000).fill(0.25));
    let worst = 0;
    for (let k = margin; k < output.length - margin; k++) worst = Math.max(worst, Math.abs(output[k] - 0.25));
    expect(worst).toBeLessThan(1e-6);
  });

  it('passes a 7.9 kHz tone within 1 dB and keeps its image (8.1 kHz) below -60 dB', () => {
    const output = resampler.process(tone(7900, 16000, 32000));
    const amplitude = fittedAmplitude(output, 7900, 22050, margin, output.length - margin);
    expect(Math.abs(20 * Math.log10(amplitude / 0.5))).toBeLessThan(1);
    const size = 32768;
    const power = windowedPowerSpectrum(output, margin, size);
    const toneDb = 10 * Math.log10(powerNear(power, 7900, 22050, size, 6));
    const imageDb = 10 * Math.log10(powerNear(power, 8100, 22050, size, 6));
    expect(imageDb - toneDb).toBeLessThan(-60);
  });

  it('still passes 7.95 kHz (inside the 7.9-8.1 kHz transition band) within 1 dB', () => {
    const output = resampler.process(tone(7950, 16000, 16000));
    const amplitude = fittedAmplitude(output, 7950, 22050, margin, output.length - margin);
    expect(Math.abs(20 * Math.log10(amplitude / 0.5))).toBeLessThan(1);
  });

  it('leaves no energy above -60 dB away from a 1 kHz tone (no images folded back)', () => {
    const output = resampler.process(tone(1000, 16000, 32000));
    const size = 32768;
    const power = windowedPowerSpectrum(output, margin, size);
    const { outsideDb, worstBinDb } = bandEnergy(power, 1000, 22050, size, 6);
    expect(outsideDb).toBeLessThan(-60);
    expect(worstBinDb).toBeLessThan(-80);
  });

  it('writes into a caller buffer and rejects one that is too short', () => {
    const input = tone(440, 16000, 1000);
    const buffer = new Float32Array(resampler.outputLength(1000) + 3);
    expect(resampler.process(input, buffer)).toBe(buffer);
    expect(Array.from(buffer.subarray(0, resampler.outputLength(1000)))).toEqual(Array.from(resampler.process(input)));
    expect(() => resampler.process(input, new Float32Array(10))).toThrow(/buffer/);
  });
});

describe('Resampler (general rates)', () => {
  it('is the identity for equal rates', () => {
    const input = tone(1234, 16000, 5000);
    const output = new Resampler(16000, 16000).process(input);
    expect(output).not.toBe(input);
    expect(Array.from(output)).toEqual(Array.from(input));
  });

  it('downsamples 22,050 -> 16,000 Hz, keeping 1 kHz and removing a 10 kHz tone that would alias to 6 kHz', () => {
    const down = new Resampler(22050, 16000);
    expect([down.up, down.down]).toEqual([320, 441]);
    const kept = down.process(tone(1000, 22050, 22050));
    const expected = tone(1000, 16000, kept.length);
    let worst = 0;
    for (let k = 1000; k < kept.length - 1000; k++) worst = Math.max(worst, Math.abs(kept[k] - expected[k]));
    expect(worst).toBeLessThan(1e-4);

    // Compare the 6,050 Hz alias with a genuine 6,050 Hz tone of the same amplitude.
    const size = 16384;
    const aliased = windowedPowerSpectrum(down.process(tone(10000, 22050, 44100)), 1000, size);
    const genuine = windowedPowerSpectrum(tone(6050, 16000, 32000), 1000, size);
    const ratioDb = 10 * Math.log10(powerNear(aliased, 6050, 16000, size, 6) / powerNear(genuine, 6050, 16000, size, 6));
    expect(ratioDb).toBeLessThan(-70);
  });

  it('rejects rates that are not positive integers', () => {
    expect(() => new Resampler(16000.5, 22050)).toThrow(/positive integers/);
    expect(() => new Resampler(0, 22050)).toThrow(/positive integers/);
  });
});

describe('designPolyphaseFilter', () => {
  it('gives every phase unit DC gain and sizes the filter by the Kaiser formula', () => {
    const filter = designPolyphaseFilter(441, 320);
    expect(filter.tapsPerPhase % 4).toBe(0);
    expect(filter.tapsPerPhase).toBeGreaterThanOrEqual((80 - 7.95) / (14.36 * 0.0125));
    for (let phase = 0; phase < 441; phase += 55) {
      let sum = 0;
      for (let j = 0; j < filter.tapsPerPhase; j++) sum += filter.taps[phase * filter.tapsPerPhase + j];
      expect(sum).toBeCloseTo(1, 5);
    }
  });

  it('uses Kaiser beta 0.1102 (A - 8.7) above 50 dB', () => {
    expect(kaiserBeta(80)).toBeCloseTo(7.857, 3);
    expect(kaiserBeta(10)).toBe(0);
  });
});
