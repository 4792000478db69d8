/** 75.25 → "1:15.3"; 3725 → "1:02:05.0" (tenths: turns are often shorter than a second). */
export function formatClock(seconds: number, decimals = 1): string {
  const safe = Math.max(0, seconds);
  const hours = Math.floor(safe / 3600);
  const minutes = Math.floor((safe % 3600) / 60);
  const rest = (safe % 60).toFixed(decimals).padStart(decimals > 0 ? 3 + decimals : 2, '0');
  const mm = hours > 0 ? String(minutes).padStart(2, '0') : String(minutes);
  return hours > 0 ? `${hours}:${mm}:${rest}` : `${mm}:${rest}`;
}

const TICK_STEPS = [0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600];

/** The axis step that keeps labels at least `minGapPx` apart at this zoom. */
export function tickStep(pixelsPerSecond: number, minGapPx = 70): number {
  return TICK_STEPS.find((step) => step * pixelsPerSecond >= minGapPx) ?? TICK_STEPS[TICK_STEPS.length - 1];
}
