import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// Served by the host at /console (host/Omct.Platform.Host/Console/ConsoleEndpoints.cs). No inline script in
// index.html (the CSP has script-src 'self'): Vite emits the entry as an external module.
export default defineConfig({
  base: '/console/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsDir: 'assets',
    sourcemap: false,
    // Mantine + React + urql + i18next in one entry chunk (~180 kB gzipped); screens are split off by route.
    chunkSizeWarningLimit: 700,
    // No inline data: module preload polyfill script.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
  },
  server: {
    proxy: {
      '/graphql': 'http://127.0.0.1:5080',
      '/account': 'http://127.0.0.1:5080',
    },
  },
});
