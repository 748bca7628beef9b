# syntax=docker/dockerfile:1
# The production image (docs/deploy.md): built in one stage, run on Debian slim
# with the production dependencies only, as the unprivileged `node` user.
#
#   docker build -t django-questions .
#   docker run -p 3000:3000 -v dq-data:/data django-questions
ARG NODE_IMAGE=node:24-bookworm-slim

# 0. A toolchain for native modules: better-sqlite3 compiles itself where no prebuilt binary fits.
FROM ${NODE_IMAGE} AS toolchain
WORKDIR /app
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./

# 1. Build: every dependency, then the production build (build/).
FROM toolchain AS build
RUN npm ci
COPY . .
RUN npm run build

# 2. Production dependencies only.
FROM toolchain AS deps
RUN npm ci --omit=dev

# 3. Runtime: the build, the production dependencies, the bundled content.
FROM ${NODE_IMAGE} AS runtime
# git: the content checkout's live updates and local merges; tini: signals and child processes as PID 1.
RUN apt-get update \
 && apt-get install -y --no-install-recommends git ca-certificates tini \
 && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATA_DIR=/data \
    CONTENT_DIR=/app/content \
    NODE_OPTIONS=--max-semi-space-size=16
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/build ./build
COPY package.json server.mjs ./
COPY scripts/require-node.mjs scripts/container-entrypoint.mjs ./scripts/
COPY .github/proposal-template.md ./.github/proposal-template.md
COPY content ./content
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 3000
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz/live').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "scripts/container-entrypoint.mjs"]
