export type { Segment, TimeRange } from './segment';
export { parseRttm } from './rttm';
export { parseUem } from './uem';
export { computeDer, aggregateDer, errorRate, type DerOptions, type DerComponents, type DerResult } from './der';
