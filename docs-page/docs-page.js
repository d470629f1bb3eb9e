/* The docs page: Swagger UI over the sandbox's OpenAPI documents, trying requests against this sandbox. */
/* global SwaggerUIBundle, md5 */
(() => {
  'use strict';

  /** Credentials that never go into a request body (they only sign or verify). */
  const NOT_SENT = new Set(['secret', 'webhookSecret']);

  const select = document.getElementById('sandbox-document');
  const form = document.getElementById('sandbox-token');
  const input = document.getElementById('sandbox-token-input');
  const statusLine = document.getElementById('sandbox-status');

  let token = ''; // the admin token: in memory only, never in a URL or in storage
  let tenants = [];
  let signFields = {}; // operation path → the body fields its MD5 `sign` covers (`x-sign-fields`), for the document shown

  if (document.body.dataset.adminToken === 'required') form.hidden = false;

  const say = (text) => {
    statusLine.textContent = text;
  };

  function controlPlaneUrl(url) {
    const u = new URL(url, location.href);
    return u.origin === location.origin && u.pathname.startsWith('/__sandbox/');
  }

  function control(path) {
    return fetch(path, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
  }

  async function loadTenants() {
    const res = await control('/__sandbox/tenants');
    tenants = res.ok ? (await res.json()).tenants : [];
  }

  /** The vendor's default merchant (the default scenario's), else its first. */
  function merchant(vendor) {
    const own = tenants.filter((t) => t.vendor === vendor);
    return own.find((t) => t.id === `${vendor}-default`) ?? own[0];
  }

  /** Sets each body credential's example (e.g. OPEN-API's customer_id, app_id, key) to the default merchant's. */
  function prefillBodies(spec, credentials) {
    const schemas = spec.components?.schemas ?? {};
    for (const schema of Object.values(schemas)) {
      for (const [field, value] of Object.entries(credentials)) {
        const ref = schema.properties?.[field]?.$ref;
        const name = typeof ref === 'string' && ref.startsWith('#/components/schemas/') ? ref.slice(21) : undefined;
        if (name && schemas[name] && !NOT_SENT.has(field)) schemas[name].example = value;
      }
    }
  }

  /** A header credential (Onerway's ApiKey, Finext's authorization) for the renderer's Authorize dialog. */
  function headerCredentials(spec, credentials) {
    const found = [];
    for (const [scheme, def] of Object.entries(spec.components?.securitySchemes ?? {})) {
      if (def.type !== 'apiKey' || def.in !== 'header') continue;
      const key = Object.keys(credentials).find((k) => k.toLowerCase() === def.name.toLowerCase());
      // INFERRED (src/vendors/finext/auth.ts): Finext's authorization is an opaque token; any value passes unless pinned.
      const value = key ? credentials[key] : def.name === 'authorization' ? 'card-sandbox-docs' : undefined;
      if (value) found.push([scheme, value]);
    }
    return found;
  }

  async function sandboxNow() {
    const res = await fetch('/__sandbox/health');
    const health = await res.json();
    return health.clock.now;
  }

  function requestId() {
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  }

  /**
   * Stamps a request to an operation whose document gives `x-sign-fields` (Finext's) as the server checks
   * it: fresh timestamp (sandbox clock) and request_id, then the MD5 sign over those fields.
   */
  async function signRequest(req) {
    const path = new URL(req.url).pathname;
    const match = Object.keys(signFields)
      .filter((p) => path.endsWith(p))
      .sort((a, b) => b.length - a.length)[0];
    if (!match || typeof req.body !== 'string') return req;
    let body;
    try {
      body = JSON.parse(req.body);
    } catch {
      return req;
    }
    if (!body || typeof body !== 'object' || Array.isArray(body)) return req;
    const fallback = merchant(select.value);
    if ((!body.api_key || body.api_key === 'string') && fallback) body.api_key = fallback.credentials.api_key;
    const signer = tenants.find((t) => t.vendor === select.value && t.credentials.api_key === body.api_key);
    if (!signer) {
      say('No merchant of this vendor has this api_key, so the page cannot sign (with an admin token, enter it above).');
      return req;
    }
    body.timestamp = String(await sandboxNow());
    body.request_id = requestId();
    const values = { ...body, secret: signer.credentials.secret };
    body.sign = md5(signFields[match].map((f) => (values[f] === undefined ? '' : String(values[f]))).join(''));
    req.body = JSON.stringify(body);
    return req;
  }

  async function intercept(req) {
    if (token && controlPlaneUrl(req.url) && !req.headers.Authorization && !req.headers.authorization) req.headers.Authorization = `Bearer ${token}`;
    if (Object.keys(signFields).length > 0) return signRequest(req);
    return req;
  }

  async function show(slug) {
    say('');
    const res = await control(`/__sandbox/openapi/${encodeURIComponent(slug)}`);
    if (res.status === 401) {
      say('This sandbox has an admin token: enter it above to load the documents.');
      input.focus();
      return;
    }
    if (!res.ok) {
      say(`The document ${slug} did not load (HTTP ${res.status}).`);
      return;
    }
    const spec = await res.json();
    const owner = merchant(slug);
    const credentials = owner ? owner.credentials : {};
    prefillBodies(spec, credentials);
    signFields = {};
    for (const [path, item] of Object.entries(spec.paths ?? {})) {
      const fields = item.post?.['x-sign-fields'];
      if (Array.isArray(fields)) signFields[path] = fields;
    }
    const ui = SwaggerUIBundle({
      dom_id: '#swagger-ui',
      spec,
      validatorUrl: null, // the default sends the document to validator.swagger.io
      deepLinking: false,
      docExpansion: 'list',
      defaultModelsExpandDepth: -1,
      displayRequestDuration: true,
      presets: [SwaggerUIBundle.presets.apis],
      layout: 'BaseLayout',
      // Every theme offered (agate the default, monokai, …) has token colours under 4.5:1 on its background.
      syntaxHighlight: { activated: false },
      requestInterceptor: intercept,
      onComplete: () => {
        for (const [scheme, value] of headerCredentials(spec, credentials)) ui.preauthorizeApiKey(scheme, value);
      },
    });
  }

  // Swagger UI leaves some fields without an accessible name (axe: select-name, label): the server
  // picker and its variables, the example and media-type pickers, parameters, the request body.
  function nameOf(field) {
    if (field.matches('select#servers')) return 'Server';
    if (field.matches('select.examples-select-element')) return 'Example';
    if (field.matches('select.content-type')) return 'Media type';
    if (field.matches('textarea.body-param__text')) return 'Request body';
    const variable = field.getAttribute('data-variable');
    if (variable) return `Server variable ${variable}`;
    const parameter = field.closest('tr[data-param-name]')?.getAttribute('data-param-name');
    if (parameter) return `Parameter ${parameter}`;
    return undefined;
  }
  new MutationObserver(() => {
    for (const field of document.querySelectorAll('#swagger-ui :is(select, textarea, input):not([aria-label])')) {
      if (field.type === 'hidden' || field.type === 'checkbox') continue;
      const name = nameOf(field);
      if (name) field.setAttribute('aria-label', name);
    }
    // A code block that scrolls (a long answer) must be reachable by keyboard (axe: scrollable-region-focusable).
    for (const block of document.querySelectorAll('#swagger-ui pre.microlight:not([tabindex])')) block.setAttribute('tabindex', '0');
  }).observe(document.getElementById('swagger-ui'), { childList: true, subtree: true });

  select.addEventListener('change', () => {
    const url = new URL(location.href);
    url.searchParams.set('doc', select.value);
    history.replaceState(null, '', url);
    void show(select.value);
  });

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    token = input.value.trim();
    void loadTenants().then(() => show(select.value));
  });

  const wanted = new URLSearchParams(location.search).get('doc');
  if (wanted && Array.from(select.options).some((o) => o.value === wanted)) select.value = wanted;
  void loadTenants().then(() => show(select.value));
})();
