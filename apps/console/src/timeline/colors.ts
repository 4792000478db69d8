/** Speaker colours that stay apart for common colour blindness (Okabe–Ito, then Tol's). */
const PALETTE = ['#0072b2', '#e69f00', '#009e73', '#cc79a7', '#56b4e9', '#d55e00', '#a08c00', '#882255', '#44aa99', '#999933'];

export function speakerColor(index: number): string {
  return PALETTE[index % PALETTE.length];
}
