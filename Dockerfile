# syntax=docker/dockerfile:1

# ---- build: install all deps (incl. dev) and compile TypeScript -> dist/ ----
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json tsconfig.ui.json ./
COPY src ./src
RUN npm run build

# ---- runtime: production deps + compiled output + runtime data only ----
# It listens on all interfaces, so the control plane needs an admin token, given at run time (never
# baked in): without SANDBOX_ADMIN_TOKEN the sandbox refuses to start (exit 2).
#   docker run -e SANDBOX_ADMIN_TOKEN=<secret> -p 4010:4010 -v sandbox-data:/data card-sandbox
# Vendor routes and GET /__sandbox/health stay open, so HEALTHCHECK needs no token.
FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=4010 \
    SANDBOX_DB=/data/sandbox.json
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY contracts ./contracts
COPY fixtures ./fixtures
COPY openapi ./openapi
COPY docs-page ./docs-page
COPY collections ./collections
# State store lives on a volume writable by the unprivileged `node` user (uid 1000).
RUN mkdir -p /data && chown node:node /data
VOLUME ["/data"]
USER node
EXPOSE 4010
# Slim images ship without curl/wget: probe with node's built-in fetch.
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
    CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||4010)+'/__sandbox/health',{signal:AbortSignal.timeout(4000)}).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "dist/main.js"]
