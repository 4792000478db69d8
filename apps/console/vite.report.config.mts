import { defineConfig } from 'vite';

/** The same result view as one IIFE with its CSS inside, which the CLI inlines into an HTML report. */
export default defineConfig({
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  publicDir: false,
  build: {
    outDir: 'dist/report',
    emptyOutDir: true,
    target: 'es2022',
    lib: {
      entry: 'src/report/main.tsx',
      formats: ['iife'],
      name: 'DiarizationReport',
      fileName: () => 'report.js',
    },
  },
});
