import { roundHalfEven } from '../math/round-half-even';

/**
 * Time geometry of the sliding-window segmentation, following pyannote.core's SlidingWindow:
 * chunks of `chunkDuration` every `chunkStep` seconds, each holding `framesPerChunk` frames of
 * `frameDuration` every `frameStep` seconds.
 */
export interface ChunkGeometry {
  chunkDuration: number;
  chunkStep: number;
  frameDuration: number;
  frameStep: number;
  framesPerChunk: number;
}

/** SlidingWindow.closest_frame for frames starting at 0. */
export function closestFrame(geometry: ChunkGeometry, time: number): number {
  return roundHalfEven((time - 0 - 0.5 * geometry.frameDuration) / geometry.frameStep);
}

/** First global frame covered by chunk `chunk` (Inference.aggregate's start_frame). */
export function chunkStartFrame(geometry: ChunkGeometry, chunk: number): number {
  return closestFrame(geometry, chunk * geometry.chunkStep + 0.5 * geometry.frameDuration);
}

/** Number of global frames covered by `numChunks` chunks (Inference.aggregate's num_frames). */
export function totalFrames(geometry: ChunkGeometry, numChunks: number): number {
  return (
    closestFrame(
      geometry,
      0 + geometry.chunkDuration + (numChunks - 1) * geometry.chunkStep + 0.5 * geometry.frameDuration,
    ) + 1
  );
}

/** Middle of global frame `frame`, in seconds. */
export function frameMiddle(geometry: ChunkGeometry, frame: number): number {
  return 0 + frame * geometry.frameStep + geometry.frameDuration / 2;
}
