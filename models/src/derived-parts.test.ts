import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir, type TempDir } from '../../test/support/temp-dir';
import { WESPEAKER_WEIGHTED_FIXTURES } from '../../test/shared-paths';
import { ensureEmbeddingParts } from './derived-parts';

describe('ensureEmbeddingParts', () => {
  let dir: TempDir;
  let source: string;
  beforeEach(() => {
    dir = makeTempDir();
    source = join(dir.path, 'model.onnx');
    copyFileSync(join(WESPEAKER_WEIGHTED_FIXTURES, 'resnet34-random.onnx'), source);
  });
  afterEach(() => dir.remove());

  const record = () => JSON.parse(readFileSync(join(dir.path, 'derived.json'), 'utf8')) as Record<string, { sourceSha256: string; trunk: { file: string; sha256: string } }>;

  it('derives the trunk and head beside the model once, recording their sha256', async () => {
    const first = await ensureEmbeddingParts(source, { outDir: dir.path });
    expect(first.built).toBe(true);
    expect(first.trunk).toBe(join(dir.path, 'model.trunk.onnx'));
    expect(first.head).toBe(join(dir.path, 'model.head.onnx'));
    expect(record()['model.onnx'].sourceSha256).toBe('ef8dba40df61e7c12343cf7df0ffcc78ad2254dba77187bcfbcedaac52807d9f');
    const again = await ensureEmbeddingParts(source, { outDir: dir.path });
    expect(again.built).toBe(false);
    expect(again.pooledFeatures).toBe(2560);
  });

  it('rebuilds a missing or damaged part, and parts of a replaced source', async () => {
    await ensureEmbeddingParts(source, { outDir: dir.path });
    writeFileSync(join(dir.path, 'model.trunk.onnx'), 'damaged');
    expect((await ensureEmbeddingParts(source, { outDir: dir.path })).built).toBe(true);
    expect(readFileSync(join(dir.path, 'model.trunk.onnx')).length).toBeGreaterThan(1_000_000);
    expect((await ensureEmbeddingParts(source, { outDir: dir.path, sourceSha256: 'f'.repeat(64) })).built).toBe(true);
    expect(record()['model.onnx'].sourceSha256).toBe('f'.repeat(64));
  });

  it('keeps the parts in memory when there is no folder to write to', async () => {
    const parts = await ensureEmbeddingParts(source, { outDir: join(dir.path, 'missing', 'folder') });
    expect(parts.trunk).toBeInstanceOf(Uint8Array);
    const inMemory = await ensureEmbeddingParts(source);
    expect(inMemory.head).toBeInstanceOf(Uint8Array);
  });
});
