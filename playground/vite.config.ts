/**
 * The playground's build: a static site (relative URLs, so any static host and any
 * subpath serve it) whose page, worker and chunks are plain files. `npm run playground`
 * serves it with hot reload; `npm run build:playground` writes dist/playground.
 */
import { defineConfig, type Plugin } from 'vite';

/**
 * The page's Content-Security-Policy. Built: scripts and styles from the page's own
 * origin only, workers from Blob URLs only (their code is inlined, see runner.ts), and no
 * connection at all (connect-src 'none'), so the page cannot reach the network even by
 * mistake. Vega compiles its expressions with
 * `new Function` (hence 'unsafe-eval') and sets style attributes (hence 'unsafe-inline'
 * for styles). The dev server also needs its hot-reload socket.
 */
const CSP = {
  build: "default-src 'none'; script-src 'self' 'unsafe-eval'; worker-src blob:; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'none'; base-uri 'none'; form-action 'none'",
  serve: "default-src 'none'; script-src 'self' 'unsafe-eval'; worker-src 'self' blob:; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self' ws: wss:; base-uri 'none'; form-action 'none'",
};

function csp(): Plugin {
  let policy = CSP.build;
  return {
    name: 'servesim-csp',
    configResolved(config) {
      policy = config.command === 'serve' ? CSP.serve : CSP.build;
    },
    transformIndexHtml: { order: 'pre', handler: (html) => html.replace('__CSP__', policy) },
  };
}

export default defineConfig({
  base: './',
  plugins: [csp()],
  build: {
    target: 'es2022',
    // A slow build (a loaded machine) is not a problem with the bundle: no timing warnings,
    // so the build test's "no warnings" stays about what the bundle contains.
    rolldownOptions: { checks: { bundlerTimings: false } },
    outDir: '../dist/playground',
    emptyOutDir: true,
    // The page needs no polyfill that fetches modules: Chromium, Firefox and Safari preload natively.
    modulePreload: { polyfill: false },
    // Vega is one 0.6 MB chunk, loaded after the controls; a warning would say nothing new.
    chunkSizeWarningLimit: 1200,
  },
  worker: { format: 'es', rolldownOptions: { checks: { bundlerTimings: false } } },
  // The playground imports the engine from ../src.
  server: { fs: { allow: ['..'] } },
});
