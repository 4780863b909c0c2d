# syntax=docker/dockerfile:1
# EnvCase application image: one build, two runtime targets.
#   docker build -f docker/app.Dockerfile --target api    -t envcase-api .
#   docker build -f docker/app.Dockerfile --target worker -t envcase-worker .
# The build context is the repository root (see .dockerignore).

ARG NODE_IMAGE=node:20.19.4-bookworm-slim

# ---------------------------------------------------------------------------------------------
# build: full dependency tree, TypeScript compiled to dist/
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
# puppeteer-core never downloads a browser, but keep every install step offline-safe.
ENV PUPPETEER_SKIP_DOWNLOAD=true
RUN npm ci --no-audit --no-fund
COPY . .
# templates/ may be empty (git does not keep empty folders); the runtime stages copy it from here.
RUN npm run build && mkdir -p templates

# ---------------------------------------------------------------------------------------------
# runtime-base: production dependencies only, compiled code and templates, non-root user
FROM ${NODE_IMAGE} AS runtime-base
ENV NODE_ENV=production \
    PUPPETEER_SKIP_DOWNLOAD=true
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY --from=build /app/templates ./templates
# The node image ships an unprivileged "node" user (uid 1000). /app stays root-owned and
# read-only to it; anything the app writes goes to /tmp.
USER node

# ---------------------------------------------------------------------------------------------
# api: Express server on PORT (3000)
FROM runtime-base AS api
ENV PORT=3000
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=5 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "dist/api/server.js"]

# ---------------------------------------------------------------------------------------------
# worker: Temporal worker; renders PDFs with Debian Chromium and TrueType CJK fonts
# (Arphic/WQY embed as CID TrueType; Noto CJK would embed as Type 3, see TECH.md section 3).
FROM runtime-base AS worker
USER root
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      chromium \
      fonts-arphic-uming \
      fonts-arphic-ukai \
      fonts-wqy-zenhei \
      fontconfig \
      ca-certificates \
 && fc-cache -f \
 && rm -rf /var/lib/apt/lists/*
ENV CHROMIUM_PATH=/usr/bin/chromium \
    PUPPETEER_EXECUTABLE_PATH=/usr/bin/chromium \
    PUPPETEER_SKIP_DOWNLOAD=true \
    PUPPETEER_SKIP_CHROMIUM_DOWNLOAD=true
USER node
CMD ["node", "dist/worker/main.js"]
