import { freePort } from './ports';
import { makeTempDir } from './temp-dir';

interface S3rverInstance {
  run(): Promise<unknown>;
  close(): Promise<unknown>;
}
type S3rverConstructor = new (options: {
  port: number;
  address: string;
  directory: string;
  silent: boolean;
  configureBuckets: { name: string }[];
}) => S3rverInstance;

export interface TestS3 {
  endpoint: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
  stop(): Promise<void>;
}

/** An s3rver on a free port with its own temporary directory. */
export async function startS3(options: { createBucket?: boolean; bucket?: string } = {}): Promise<TestS3> {
  // s3rver ships no type declarations.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const S3rver = require('s3rver') as S3rverConstructor;
  const port = await freePort();
  const dir = makeTempDir('s3rver-');
  const bucket = options.bucket ?? 'test-bucket';
  const server = new S3rver({
    port,
    address: '127.0.0.1',
    directory: dir.path,
    silent: true,
    configureBuckets: options.createBucket === false ? [] : [{ name: bucket }],
  });
  await server.run();
  return {
    endpoint: `http://127.0.0.1:${port}`,
    bucket,
    // s3rver's fixed credentials.
    accessKeyId: 'S3RVER',
    secretAccessKey: 'S3RVER',
    stop: async () => {
      await server.close().catch(() => undefined);
      dir.remove();
    },
  };
}
