/**
 * The QA dashboard's files at /__sandbox/ui: the page (dist/ui/index.html, built from src/ui by
 * `npm run build`), its scripts and stylesheet, and the few library files its import map names, served
 * from this package's own node_modules (the page works offline and asks nothing of another origin).
 * Mounted before the admin-token guard: the files hold no data, and the page itself asks for the token
 * and sends it with every control-plane call. An unknown file is the control plane's JSON 404.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type Response, type Router } from 'express';
import { SandboxError } from '../core/errors.js';

/** The package root, from src/control (tests) or dist/control (the package). */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const UI_DIR = join(ROOT, 'dist', 'ui');

const require = createRequire(import.meta.url);
const preact = dirname(require.resolve('preact/package.json'));
const md5 = dirname(dirname(require.resolve('js-md5')));

/** The libraries' ES modules, by the name the page's import map gives them. */
const LIBRARIES: Record<string, string> = {
  'preact.mjs': join(preact, 'dist/preact.mjs'),
  'preact-hooks.mjs': join(preact, 'hooks/dist/hooks.mjs'),
  'preact-jsx-runtime.mjs': join(preact, 'jsx-runtime/dist/jsxRuntime.mjs'),
  'md5.mjs': join(md5, 'build/md5.min.mjs'),
};

export function uiRoutes(router: Router): void {
  router.use('/ui', (_req, res, next) => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Cache-Control', 'no-cache');
    next();
  });
  router.get('/ui', (_req, res) => sendPage(res));
  router.get('/ui/vendor/:file', (req, res) => {
    const file = Object.hasOwn(LIBRARIES, req.params.file) ? LIBRARIES[req.params.file] : undefined;
    if (!file) throw notFound(req.originalUrl);
    res.type('text/javascript; charset=utf-8').sendFile(file);
  });
  router.use('/ui', express.static(UI_DIR, { index: false, redirect: false, dotfiles: 'ignore', fallthrough: true }));
  router.use('/ui', (req) => {
    throw notFound(req.originalUrl);
  });
}

let page: { html: string; csp: string } | undefined;

/**
 * The page with a Content-Security-Policy that lets it reach its own origin only; its one inline
 * script (the import map, which cannot be a file) is allowed by its hash.
 */
function sendPage(res: Response): void {
  const file = join(UI_DIR, 'index.html');
  if (!page) {
    if (!existsSync(file)) throw new SandboxError('route_not_found', { diagnostic: `the dashboard is not built (no ${file}); run npm run build` });
    const html = readFileSync(file, 'utf8');
    const importMap = /<script type="importmap">([\s\S]*?)<\/script>/.exec(html)?.[1] ?? '';
    const hash = createHash('sha256').update(importMap).digest('base64');
    const csp = [
      "default-src 'self'",
      `script-src 'self' 'sha256-${hash}'`,
      "style-src 'self'",
      "img-src 'self' data:",
      "connect-src 'self'",
      "base-uri 'none'",
      "form-action 'none'",
      "frame-ancestors 'none'",
    ].join('; ');
    page = { html, csp };
  }
  res.setHeader('Content-Security-Policy', page.csp);
  res.type('text/html; charset=utf-8').send(page.html);
}

function notFound(url: string): SandboxError {
  return new SandboxError('route_not_found', { diagnostic: `no dashboard file at ${url}; the dashboard is at /__sandbox/ui` });
}
