/**
 * The files uploaded from this tab, by job id. The server deletes a job's audio once it
 * succeeds, so the browser's own copy is what the result view plays. Gone on reload.
 */
const files = new Map<string, { name: string; blob: Blob }>();

export const localFiles = {
  remember(jobId: string, name: string, blob: Blob): void {
    files.set(jobId, { name, blob });
  },
  get(jobId: string): { name: string; blob: Blob } | undefined {
    return files.get(jobId);
  },
  forget(jobId: string): void {
    files.delete(jobId);
  },
};
