import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { inlineGraphqlDocuments, preloadConsoleChunk } from './buildPlugins';

// Served by the host at /console (host/Omct.Platform.Host/Console/ConsoleEndpoints.cs). No inline script in
// index.html (the CSP has script-src 'self'): Vite emits the entry as an external module.
export default defineConfig({
  base: '/console/',
  // Each GraphQL document in the chunk of the module that declares it (buildPlugins.ts), not all in the main chunk.
  // index.html preloads the console's chunk (src/start.tsx), which the small entry (src/main.tsx) imports after starting
  // the first requests.
  plugins: [inlineGraphqlDocuments(import.meta.dirname), preloadConsoleChunk('/src/start.tsx'), react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsDir: 'assets',
    sourcemap: false,
    // A small entry (main.tsx), the console (start.tsx: React, Mantine, urql, i18next, the shell) and its shared chunks;
    // screens (and their GraphQL documents) are split off by route.
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
