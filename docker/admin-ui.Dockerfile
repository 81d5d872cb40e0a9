# syntax=docker/dockerfile:1
# nginx image: the built Angular console plus the nginx config from nginx/ (serves the console,
# proxies /api, /webhooks, /health to the api replicas). Build from the repository root:
#   docker build -f docker/admin-ui.Dockerfile -t amocrm-integration/nginx .

ARG NODE_IMAGE=node:20-bookworm-slim
# nginx >= 1.27.3 is required: upstream "server ... resolve" (nginx.conf) and "http2 on".
ARG NGINX_IMAGE=nginx:stable-alpine

# ---- build the console
FROM ${NODE_IMAGE} AS build
ENV NG_CLI_ANALYTICS=false \
    CI=true
WORKDIR /app
COPY package.json package-lock.json ./
COPY backend/package.json backend/
COPY admin-ui/package.json admin-ui/
RUN --mount=type=cache,target=/root/.npm \
    npm ci --workspace admin-ui --include-workspace-root=false \
      --ignore-scripts --no-audit --no-fund
COPY admin-ui/ admin-ui/
RUN npm run build --workspace admin-ui

# ---- serve it
FROM ${NGINX_IMAGE}
RUN rm -rf /etc/nginx/conf.d/* /usr/share/nginx/html/* \
 && mkdir -p /var/www/acme
COPY nginx/nginx.conf /etc/nginx/nginx.conf
COPY nginx/snippets/ /etc/nginx/snippets/
COPY nginx/servers/ /etc/nginx/servers/
# Default when the selection script does not run (e.g. a custom command): plain HTTP.
COPY nginx/servers/http.conf /etc/nginx/conf.d/http.conf
# Enables HTTPS when certificates are mounted at /etc/nginx/certs (see the script).
COPY --chmod=0755 nginx/docker-entrypoint.d/40-select-servers.sh /docker-entrypoint.d/40-select-servers.sh
COPY --from=build /app/admin-ui/dist/admin-ui/browser/ /usr/share/nginx/html/
EXPOSE 80 443
HEALTHCHECK --interval=15s --timeout=5s --start-period=10s --retries=3 \
  CMD ["wget", "-q", "-O", "/dev/null", "http://127.0.0.1:8081/nginx-health"]
