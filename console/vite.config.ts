/**
 * The console's build (`npx vite build` → dist/, served by the province at /console/) and its dev
 * server (`npx vite`), which sends the API's paths and the local identity provider (`/_local`) to a
 * running province (CONSOLE_PROVINCE, default http://127.0.0.1:3000). The dev server serves
 * public/config.json when there is one, else the province's /console/config.json.
 */
import { existsSync } from 'node:fs';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const province = process.env.CONSOLE_PROVINCE ?? 'http://127.0.0.1:3000';
const apiPaths = ['/openapi.json', '/storefronts', '/sellers', '/products', '/county-shows', '/shows', '/channels', '/orders', '/refunds', '/payouts', '/reconciliation', '/reports', '/_local'];
const ownConfig = existsSync(new URL('./public/config.json', import.meta.url));

export default defineConfig({
  base: '/console/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
  },
  server: {
    host: '127.0.0.1',
    port: 5173,
    proxy: Object.fromEntries([...apiPaths, ...(ownConfig ? [] : ['/console/config.json'])].map((p) => [p, { target: province, changeOrigin: false }])),
  },
});
