import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

/**
 * The page's entry (src/ui/main.tsx) is tiny and imports the app (src/ui/mount.tsx) dynamically,
 * after starting the worker. This adds a modulepreload of the app's chunk to index.html, so the
 * browser fetches and parses it from the start rather than once the entry has run.
 */
function preloadApp(): Plugin {
  let base = '/';
  return {
    name: 'vmscope-preload-app',
    apply: 'build',
    configResolved(config) {
      base = config.base;
    },
    transformIndexHtml: {
      order: 'post',
      handler(_html, ctx) {
        const app = Object.values(ctx.bundle ?? {}).find(
          (c) => c.type === 'chunk' && c.facadeModuleId?.endsWith('/src/ui/mount.tsx') === true,
        );
        if (!app) return [];
        return [
          {
            tag: 'link',
            attrs: { rel: 'modulepreload', crossorigin: true, href: `${base}${app.fileName}` },
            injectTo: 'head',
          },
        ];
      },
    },
  };
}

/**
 * Served cross-origin isolated (everything the app loads is its own). Isolation gives the page a
 * 5 us performance.now() instead of a 100 us one with jitter, so `npm run bench:ui` can tell a
 * 16.7 ms frame from a late one: without it an idle page measures intervals of 16.6 to 16.8 ms.
 */
const ISOLATED = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  plugins: [react(), preloadApp()],
  server: { headers: ISOLATED },
  preview: { headers: ISOLATED },
  worker: { format: 'es' },
  build: { target: 'es2022' },
});
