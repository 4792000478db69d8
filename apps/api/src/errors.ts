/** An error whose message is meant for the client, with the HTTP status that fits it. */
export class HttpError extends Error {
  constructor(
    readonly status: 400 | 401 | 404 | 409 | 413 | 415 | 422 | 500 | 503,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export const badRequest = (message: string): HttpError => new HttpError(400, message);
export const notFound = (message = 'no such job (it may have expired, or belong to another token)'): HttpError =>
  new HttpError(404, message);
export const payloadTooLarge = (maxBytes: number): HttpError =>
  new HttpError(413, `the audio is larger than the limit of ${maxBytes} bytes (MAX_UPLOAD_BYTES)`);
