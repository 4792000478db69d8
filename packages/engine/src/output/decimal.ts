/**
 * Formats like Python's `f"{x:.{digits}f}"`: the exact binary value rounded half to even
 * (JavaScript's toFixed rounds exact ties up, e.g. 0.0625 -> "0.063" where Python writes "0.062").
 */
export function formatFixed(value: number, digits: number): string {
  if (!Number.isFinite(value)) return String(value);
  const exact = Math.abs(value).toFixed(100); // the double's full decimal expansion
  const [whole, fraction] = exact.split('.');
  const kept = fraction.slice(0, digits);
  const rest = fraction.slice(digits);
  const half = '5'.padEnd(rest.length, '0');
  let roundUp = rest > half;
  if (rest === half) roundUp = Number((digits > 0 ? kept[kept.length - 1] : whole[whole.length - 1]) ?? '0') % 2 === 1;
  let digitsText = whole + kept;
  if (roundUp) digitsText = (BigInt(digitsText) + 1n).toString().padStart(digitsText.length, '0');
  const integerPart = digitsText.slice(0, digitsText.length - digits) || '0';
  const fractionPart = digitsText.slice(digitsText.length - digits);
  const text = digits > 0 ? `${integerPart}.${fractionPart}` : integerPart;
  return value < 0 && /[1-9]/.test(text) ? `-${text}` : text;
}

/** Python's round(x, 3) for display in JSON (half to even on the exact value). */
export function roundMillis(value: number): number {
  return Number(formatFixed(value, 3));
}
