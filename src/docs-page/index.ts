/**
 * GET /__sandbox/docs: a page rendering the OpenAPI documents (one per vendor, and the control plane's)
 * with Swagger UI, every file of it served from here (swagger-ui-dist and js-md5 from node_modules, our
 * own page from docs-page/): nothing is fetched from another origin, so it works offline. Mounted before
 * the admin-token guard: the page holds no secret (it asks the person for the token, and its calls to
 * the control plane carry it), and an unknown file under /docs is the control plane's JSON 404.
 */
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { RequestHandler, Router } from 'express';
import { SandboxError } from '../core/errors.js';
import { withoutDirectories } from '../core/masking.js';
import type { Runtime } from '../core/runtime.js';
import { CONTROL_PLANE } from '../openapi/control.js';
import { PACKAGE_ROOT } from '../openapi/document.js';

/** The page's own files (shipped in the package, beside dist/). */
export const DOCS_PAGE_DIR = join(PACKAGE_ROOT, 'docs-page');
export const ASSETS_PATH = '/__sandbox/docs/assets';

const require = createRequire(import.meta.url);
function packageDir(name: string): string | undefined {
  try {
    return dirname(require.resolve(`${name}/package.json`));
  } catch {
    return undefined;
  }
}

/** The only files served under /docs/assets: name → file (undefined where its package is missing). */
function assetFiles(): Record<string, string | undefined> {
  const swagger = packageDir('swagger-ui-dist');
  const md5 = packageDir('js-md5');
  return {
    'swagger-ui-bundle.js': swagger && join(swagger, 'swagger-ui-bundle.js'),
    'swagger-ui.css': swagger && join(swagger, 'swagger-ui.css'),
    'favicon-32x32.png': swagger && join(swagger, 'favicon-32x32.png'),
    'md5.min.js': md5 && join(md5, 'build/md5.min.js'),
    'docs-page.js': join(DOCS_PAGE_DIR, 'docs-page.js'),
    'docs-page.css': join(DOCS_PAGE_DIR, 'docs-page.css'),
  };
}

/**
 * Everything the page loads is on this origin; Swagger UI needs inline styles (React's style attributes)
 * and data: images (its icons). The policy also stops a request to another origin that a renderer
 * update might add.
 */
const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Registers the page's routes on the control plane's router, ahead of its admin-token guard. */
export function docsPageRoutes(router: Router, rt: Runtime): void {
  const assets = assetFiles();
  const documents = [...rt.vendors.map((v) => ({ slug: v.slug, title: v.title })), { slug: CONTROL_PLANE, title: 'card-sandbox control plane' }];
  // Read on first use: an install without the page's files still serves everything else.
  let html: string | undefined;
  const render = (): string =>
    (html ??= readFileSync(join(DOCS_PAGE_DIR, 'index.html'), 'utf8')
      .replace('<!-- documents -->', documents.map((d) => `<option value="${escape(d.slug)}">${escape(d.title)}</option>`).join(''))
      .replace('data-admin-token=""', `data-admin-token="${rt.config.adminToken ? 'required' : 'none'}"`));

  const page: RequestHandler = (_req, res) => {
    let body: string;
    try {
      body = render();
    } catch (error) {
      throw missing('docs-page/index.html', error);
    }
    res.setHeader('Content-Security-Policy', CSP);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.type('html').send(body);
  };
  // The control plane's router is not strict: this also answers /docs/.
  router.get('/docs', page);
  router.get('/docs/assets/:name', (req, res, next) => {
    const name = req.params.name;
    if (!Object.hasOwn(assets, name)) return next(unknown(req.originalUrl, Object.keys(assets)));
    const file = assets[name];
    if (!file) return next(missing(name, new Error('its package is not installed')));
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.sendFile(file, { dotfiles: 'deny' }, (err) => {
      if (err && !res.headersSent) next(missing(name, err));
    });
  });
  // Anything else under /docs answers here, not past the admin-token guard (a 401 would mislead).
  router.use('/docs', (req, _res, next) => next(unknown(req.originalUrl, Object.keys(assets))));
}

function unknown(url: string, names: string[]): SandboxError {
  return new SandboxError('route_not_found', {
    diagnostic: `no docs page file at ${url}; the page is GET /__sandbox/docs, its files ${names.map((n) => `${ASSETS_PATH}/${n}`).join(', ')}`,
  });
}

function missing(name: string, error: unknown): SandboxError {
  return new SandboxError('resource_not_found', {
    field: 'path',
    diagnostic: `the docs page's ${name} is missing from this install (${withoutDirectories((error as Error).message)}); reinstall card-sandbox`,
  });
}

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
