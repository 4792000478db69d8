import { request as httpRequest, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { assertPublicLiteral, guardedLookup, parseHttpUrl, UnsafeUrlError } from './url-guard';

export interface GuardedRequestOptions {
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Aborts the whole exchange, body included. */
  signal?: AbortSignal;
  allowPrivate: boolean;
  /** Redirects to follow (GET only); each hop is checked like the first. 0 = none. */
  maxRedirects?: number;
  /** Names the URL in error messages ("webhook_url", "audio_url"). */
  label: string;
}

export interface GuardedResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: IncomingMessage;
  url: string;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

function once(url: URL, options: GuardedRequestOptions): Promise<IncomingMessage> {
  if (!options.allowPrivate) assertPublicLiteral(url, options.label);
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const request = send(url, {
      method: options.method ?? 'GET',
      headers: options.headers,
      signal: options.signal,
      lookup: options.allowPrivate ? undefined : guardedLookup(options.label),
      // A fresh connection per request, so every connection goes through the guarded lookup.
      agent: false,
    });
    request.on('response', resolve);
    request.on('error', reject);
    request.end(options.body);
  });
}

/**
 * An HTTP(S) request that refuses private destinations at every hop unless allowed, with
 * redirects followed by hand so each target is checked.
 */
export async function guardedRequest(rawUrl: string, options: GuardedRequestOptions): Promise<GuardedResponse> {
  let url = parseHttpUrl(rawUrl, options.label);
  const maxRedirects = options.method === 'POST' ? 0 : (options.maxRedirects ?? 0);
  for (let hop = 0; ; hop++) {
    const response = await once(url, options);
    const status = response.statusCode ?? 0;
    const location = response.headers.location;
    if (!REDIRECTS.has(status) || location === undefined || maxRedirects === 0) {
      return { status, headers: response.headers, body: response, url: url.toString() };
    }
    response.resume();
    if (hop >= maxRedirects) throw new UnsafeUrlError(`${options.label}: more than ${maxRedirects} redirects`);
    url = parseHttpUrl(new URL(location, url).toString(), `${options.label} (redirect)`);
  }
}

/** Reads at most `limit` bytes of a response body as text (for error messages). */
export async function readBodySnippet(body: IncomingMessage, limit = 512): Promise<string> {
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of body) {
    const buffer = chunk as Buffer;
    if (length < limit) chunks.push(buffer.subarray(0, limit - length));
    length += buffer.length;
    if (length >= 64 * 1024) {
      body.destroy();
      break;
    }
  }
  return Buffer.concat(chunks).toString('utf8');
}
