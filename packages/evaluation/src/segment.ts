/** A half-open stretch of time [start, end), in seconds. */
export interface TimeRange {
  start: number;
  end: number;
}

/** One speaker turn, in seconds. */
export interface Segment extends TimeRange {
  speaker: string;
}
