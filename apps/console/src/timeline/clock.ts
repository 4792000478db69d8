/**
 * The playback position, shared by the player and the playhead without re-rendering the whole
 * result view sixty times a second: only subscribers (the playhead) redraw.
 */
export class PlaybackClock {
  private current = 0;
  private readonly listeners = new Set<(seconds: number) => void>();

  get time(): number {
    return this.current;
  }

  set(seconds: number): void {
    if (seconds === this.current) return;
    this.current = seconds;
    for (const listener of this.listeners) listener(seconds);
  }

  subscribe(listener: (seconds: number) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
