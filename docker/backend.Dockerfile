# syntax=docker/dockerfile:1
# Backend image: the NestJS API and the worker are the same image, APP_ROLE picks the role.
# Build from the repository root (npm workspaces, one root lockfile):
#   docker build -f docker/backend.Dockerfile -t amocrm-integration/backend .
# Run: docker run --env-file .env -e APP_ROLE=api -p 3000:3000 amocrm-integration/backend
# Migrations run at start under a DB lock; to run them alone:
#   docker run --rm --env-file .env amocrm-integration/backend node backend/dist/src/cli.js migrate

ARG NODE_IMAGE=node:20-bookworm-slim

# ---- build: every backend dependency (dev included), then compile the service (backend/src) to backend/dist
FROM ${NODE_IMAGE} AS build
WORKDIR /app
# Manifests first: the npm ci layer is reused until a manifest or the lockfile changes.
# Both workspace manifests, so the workspace tree matches the root lockfile.
COPY package.json package-lock.json ./
COPY backend/package.json backend/
COPY admin-ui/package.json admin-ui/
# --ignore-scripts: no dependency needs its install script (see "allowScripts" in package.json).
RUN --mount=type=cache,target=/root/.npm \
    npm ci --workspace backend --include-workspace-root=false \
      --ignore-scripts --no-audit --no-fund
# Only what the service is built from: the sandbox, the benchmarks and the tests never enter the image
# (.dockerignore leaves them out of the context too).
COPY backend/tsconfig.json backend/tsconfig.build.json backend/
COPY backend/src/ backend/src/
RUN npm run build:service --workspace backend

# ---- prod-deps: production dependencies of the backend only
FROM ${NODE_IMAGE} AS prod-deps
WORKDIR /app
COPY package.json package-lock.json ./
COPY backend/package.json backend/
COPY admin-ui/package.json admin-ui/
RUN --mount=type=cache,target=/root/.npm \
    npm ci --omit=dev --workspace backend --include-workspace-root=false \
      --ignore-scripts --no-audit --no-fund

# ---- runtime
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    PORT=3000 \
    SERVE_CONSOLE=false
# Same layout as the repository (root node_modules + backend/), working directory = repo root.
WORKDIR /app
COPY --from=prod-deps /app ./
COPY --from=build /app/backend/dist backend/dist
# The code stays root-owned: the app (user node) cannot modify it.
USER node
EXPOSE 3000
# /health/live answers on PORT in both roles (the worker runs a small health/metrics server).
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/health/live', { signal: AbortSignal.timeout(4000) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# node directly (not npm): it receives SIGTERM and shuts down gracefully. The flags are
# backend/src/bootstrap/runtime-flags.ts's (a unit test keeps them the same).
CMD ["node", "--max-semi-space-size=32", "backend/dist/src/main.js"]
