/** A cursor of GET /jobs that this service did not issue (or that was damaged on the way). */
export class InvalidCursorError extends Error {
  constructor() {
    super('cursor: not a cursor this service issued (pass next_cursor from the previous page unchanged)');
    this.name = 'InvalidCursorError';
  }
}

/** Where a listing stopped: the last index entry it walked (creation time in epoch ms, job id). */
export interface ListingPosition {
  score: string;
  id: string;
}

const POSITION = /^(\d{1,16}):([A-Za-z0-9_.-]{1,128})$/;

/** Opaque to clients: base64url of `score:id`. */
export function encodeListingCursor(position: ListingPosition): string {
  return Buffer.from(`${position.score}:${position.id}`, 'utf8').toString('base64url');
}

export function decodeListingCursor(cursor: string): ListingPosition {
  // Node decodes base64 leniently: re-encoding must give the cursor back
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(cursor)) throw new InvalidCursorError();
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const match = POSITION.exec(text);
  if (match === null || encodeListingCursor({ score: match[1], id: match[2] }) !== cursor) throw new InvalidCursorError();
  return { score: match[1], id: match[2] };
}
