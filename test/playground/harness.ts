/**
 * What the playground's browser tests stand on: the production build (Vite's JS API, the
 * same config as `npm run build:playground`), a tiny static server on 127.0.0.1, and a
 * page that records every console error or warning, page error and request.
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { build, createLogger } from 'vite';

const ROOT = resolve('playground');

/** Builds the playground into `outDir`; returns the warnings Vite logged (a browser-unsafe import is one). */
export async function buildPlayground(outDir: string): Promise<string[]> {
  const warnings: string[] = [];
  const logger = createLogger('warn', { allowClearScreen: false });
  // How long the build's plugins took (vite.config.ts turns these off; kept out here too):
  // a loaded machine's slowness, not a problem with what the bundle holds.
  const keep = (msg: string) => {
    if (!msg.includes('[PLUGIN_TIMINGS]')) warnings.push(msg);
  };
  logger.warn = keep;
  logger.warnOnce = keep;
  await build({
    root: ROOT,
    configFile: join(ROOT, 'vite.config.ts'),
    customLogger: logger,
    logLevel: 'warn',
    build: { outDir, emptyOutDir: true },
  });
  return warnings;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
};

/** Serves a folder as any static host would (GET only, no headers beyond the type). */
export async function serveStatic(dir: string): Promise<{ origin: string; close(): Promise<void> }> {
  const root = resolve(dir);
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    let file = normalize(join(root, path));
    if (file !== root && !file.startsWith(root + sep)) {
      res.writeHead(403).end();
      return;
    }
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    if (!existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((ok) => server.close(() => ok())),
  };
}

/** A page and what it did: console errors and warnings, uncaught errors, every request. */
export interface Watched {
  page: Page;
  problems: string[];
  requests: string[];
}

/**
 * Lets a context reach 127.0.0.1 only. The shared launcher (test/report/browser.ts) starts
 * it offline, which blocks the loopback too; this turns that off and aborts every request
 * to anywhere else instead (each is still recorded, so a test can fail on it).
 */
export async function loopbackOnly(context: BrowserContext): Promise<void> {
  await context.setOffline(false);
  await context.route(
    (url) => url.hostname !== '127.0.0.1',
    (route) => route.abort('internetdisconnected'),
  );
}

/** Opens a new page that records its problems and requests (workers' included). */
export async function watchedPage(context: BrowserContext): Promise<Watched> {
  const page = await context.newPage();
  const problems: string[] = [];
  const requests: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`console.${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('request', (r) => requests.push(r.url()));
  page.on('worker', (w) => {
    w.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`worker console.${m.type()}: ${m.text()}`);
    });
  });
  return { page, problems, requests };
}
