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

export default defineConfig({
  plugins: [react(), preloadApp()],
  worker: { format: 'es' },
  build: { target: 'es2022' },
});
