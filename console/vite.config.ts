import { defineConfig } from 'vite';

// The console is served by the service under /console (src/console-static.ts); only the public
// API is called, same origin. JSX is compiled by Vite's own transform (no React plugin needed
// for a production build; the dev server is not used).
export default defineConfig({
  base: '/console/',
  oxc: { jsx: { runtime: 'automatic' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // One bundle for an internal tool on a local network; its size is reported by the build script.
    chunkSizeWarningLimit: 4096,
    rolldownOptions: {
      // antd and rjsf mark their modules "use client" for React Server Components; meaningless in
      // a client-only bundle, and one warning per module would bury real ones.
      onLog(level, log, handler) {
        if (log.code === 'MODULE_LEVEL_DIRECTIVE') return;
        handler(level, log);
      },
    },
  },
});
