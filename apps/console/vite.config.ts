import { defineConfig } from 'vite';

/**
 * Built by `npm run build` (`vite build apps/console`) into dist/console, which the proxy serves
 * at `/`. The console imports only types from @ruleshift/contracts, so no alias is needed here.
 * `npm run console:dev` serves it with hot reload and forwards /api to a running `npm start`.
 */
export default defineConfig({
  base: '/',
  oxc: { jsx: { runtime: 'automatic' } },
  build: {
    outDir: '../../dist/console',
    emptyOutDir: true,
    sourcemap: false,
    rolldownOptions: {
      // React Query marks its modules "use client" (for server components); irrelevant here.
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
    },
  },
  server: {
    proxy: { '/api': 'http://127.0.0.1:3000' },
  },
});
