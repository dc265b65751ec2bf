import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/**
 * The console builds to web/dist, served at the API's origin by `npm start` (infra/local/console.ts)
 * and from static hosting in AWS. Every page is its own chunk (React.lazy in src/app/routes.tsx) so
 * the first route loads only the shell and the sign-in page. `npm run dev` proxies the API to a
 * platform started with `npm start` (API_PORT, default 3000).
 */
const api = `http://127.0.0.1:${process.env.API_PORT ?? 3000}`;
const API_PREFIXES = [
  '/me',
  '/local',
  '/officers',
  '/agencies',
  '/units',
  '/processes',
  '/inbox',
  '/notifications',
  '/audit',
  '/rules',
  '/calendar',
  '/cases',
  '/evidence',
  '/openapi.json',
  '/health',
  '/config.json',
];

export default defineConfig({
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // no inline scripts or data: URLs in the output: the console runs under a strict CSP
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    sourcemap: false,
    // dist/.vite/manifest.json: which chunks each page needs (scripts/route-sizes.ts)
    manifest: true,
    reportCompressedSize: true,
    chunkSizeWarningLimit: 700,
  },
  server: {
    port: 5173,
    strictPort: true,
    proxy: Object.fromEntries(API_PREFIXES.map((p) => [p, { target: api, changeOrigin: false }])),
  },
});
