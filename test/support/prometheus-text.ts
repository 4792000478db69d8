/**
 * A strict reader of the Prometheus text exposition format (version 0.0.4), for tests: every
 * line must be a HELP, a TYPE or a sample of a family declared before it; anything else throws.
 */
export interface PromSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface PromScrape {
  /** Family name → its TYPE (counter, gauge, histogram, summary, untyped). */
  types: Map<string, string>;
  samples: PromSample[];
}

const NAME = '[a-zA-Z_:][a-zA-Z0-9_:]*';
const LABEL = `([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\\\\n]|\\\\["\\\\n])*)"`;
const SAMPLE = new RegExp(`^(${NAME})(?:\\{((?:${LABEL})(?:,${LABEL})*,?)?\\})? (\\S+)(?: -?\\d+)?$`);
const HELP = new RegExp(`^# HELP (${NAME}) (.*)$`);
const TYPE = new RegExp(`^# TYPE (${NAME}) (counter|gauge|histogram|summary|untyped)$`);
// Prometheus reads values with Go's ParseFloat: Inf and NaN in any case (prom-client writes "Nan")
const VALUE = /^(?:[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?|[+-]?inf|nan)$/i;

/** The family a sample belongs to: histogram and summary samples carry a suffix. */
function familyOf(name: string, types: Map<string, string>): string | undefined {
  if (types.has(name)) return name;
  for (const suffix of ['_bucket', '_sum', '_count']) {
    const base = name.slice(0, -suffix.length);
    if (name.endsWith(suffix) && ['histogram', 'summary'].includes(types.get(base) ?? '')) return base;
  }
  return undefined;
}

export function parsePrometheusText(text: string): PromScrape {
  const types = new Map<string, string>();
  const samples: PromSample[] = [];
  text.split('\n').forEach((line, index) => {
    const fail = (why: string): never => {
      throw new Error(`line ${index + 1} of the scrape ${why}: ${JSON.stringify(line)}`);
    };
    if (line === '' || HELP.test(line)) return;
    const type = TYPE.exec(line);
    if (type) {
      if (types.has(type[1])) fail('declares a TYPE twice');
      types.set(type[1], type[2]);
      return;
    }
    if (line.startsWith('#')) fail('is a comment that is neither HELP nor TYPE');
    const sample = SAMPLE.exec(line);
    if (sample === null) fail('is not a sample');
    const [, name, labelText = ''] = sample as RegExpExecArray;
    const rawValue = (sample as RegExpExecArray)[(sample as RegExpExecArray).length - 1];
    if (!VALUE.test(rawValue)) fail('has a value that is not a number');
    if (familyOf(name, types) === undefined) fail('is a sample of a family with no TYPE before it');
    const labels: Record<string, string> = {};
    for (const match of labelText.matchAll(new RegExp(LABEL, 'g'))) {
      labels[match[1]] = match[2].replace(/\\n/g, '\n').replace(/\\"/g, '"').replace(/\\\\/g, '\\');
    }
    samples.push({ name, labels, value: /^nan$/i.test(rawValue) ? NaN : Number(rawValue.replace(/inf$/i, 'Infinity')) });
  });
  return { types, samples };
}

/** The value of the one sample with this name whose labels include `labels`; undefined when none. */
export function sampleValue(scrape: PromScrape, name: string, labels: Record<string, string> = {}): number | undefined {
  const found = scrape.samples.filter((sample) => sample.name === name && Object.entries(labels).every(([key, value]) => sample.labels[key] === value));
  if (found.length > 1) throw new Error(`${found.length} samples of ${name} match ${JSON.stringify(labels)}`);
  return found[0]?.value;
}

/** The sum over every sample with this name whose labels include `labels` (0 when none). */
export function sampleSum(scrape: PromScrape, name: string, labels: Record<string, string> = {}): number {
  return scrape.samples
    .filter((sample) => sample.name === name && Object.entries(labels).every(([key, value]) => sample.labels[key] === value))
    .reduce((sum, sample) => sum + sample.value, 0);
}
