import { once } from 'node:events';
import { connect, type Socket } from 'node:net';

const BOUNDARY = 'stalled-upload-boundary';

/** Starts a multipart upload of a (declared) 50 MB file over a raw socket and stops after 256 kB. */
export async function stalledUpload(port: number, token: string): Promise<Socket> {
  const socket = connect({ port, host: '127.0.0.1' });
  await once(socket, 'connect');
  socket.on('error', () => undefined);
  socket.write(
    `POST /jobs HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAuthorization: Bearer ${token}\r\n` +
      `Content-Type: multipart/form-data; boundary=${BOUNDARY}\r\nContent-Length: ${50 * 1024 * 1024}\r\n\r\n` +
      `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="big.wav"\r\nContent-Type: audio/wav\r\n\r\n`,
  );
  socket.write(Buffer.alloc(256 * 1024, 3));
  return socket;
}
