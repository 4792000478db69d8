import { defineConfig } from 'vite';

/** The console, served by the API at / (hashed assets under /assets, long-cached). */
export default defineConfig({
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  // `npm run dev -w @diarization/console`: the page with hot reload, the API (npm start) behind it
  server: { proxy: { '/jobs': 'http://127.0.0.1:5000', '/health': 'http://127.0.0.1:5000' } },
  build: {
    outDir: 'dist/app',
    emptyOutDir: true,
    target: 'es2022',
    // nothing inline: the API's Content-Security-Policy allows scripts from 'self' only
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
  },
});
