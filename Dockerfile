# syntax=docker/dockerfile:1
#
# Defender Relay container image: `docker build -t defender-relay:0.1.0 .`
#
# Node 20 pinned by exact tag (the Node version CI runs). Add the tag's digest
# (`node:20.20.2-bookworm-slim@sha256:…`) once it is resolved from your registry mirror; it could
# not be resolved from the build machine, which has no registry access.
ARG NODE_IMAGE=node:20.20.2-bookworm-slim

# ---- build: all dependencies, bundle the relay only ---------------------------------------
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
# No package needs an install script (the only one, @scarf/scarf, is swagger-ui-dist's analytics).
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY nest-cli.json tsconfig.json tsconfig.build.json ./
COPY libs ./libs
COPY apps/relay ./apps/relay
# One file, dist/apps/relay/main.js (package.json's `main`): the relay, its libraries and most of
# its dependencies (apps/relay/webpack.config.js), with its source map.
RUN npx nest build relay

# ---- runtime: production dependencies and the compiled relay -------------------------------
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production PORT=9090
WORKDIR /app
# package.json also gives the relay its version (/version, User-Agent).
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist/apps/relay ./dist/apps/relay
# The image's `node` user, by number so that Kubernetes' runAsNonRoot can verify it. The files
# above stay owned by root: the relay cannot modify its own code.
USER 1000:1000
EXPOSE 9090
# C-81: /watchdog echoes the Health-Check header. The slim image has no curl, so node asks.
HEALTHCHECK --interval=30s --timeout=5s --start-period=15s --retries=3 \
  CMD ["node", "-e", "const h=process.env.HOST;require('http').get({host:!h||h==='0.0.0.0'||h==='::'?'127.0.0.1':h,port:process.env.PORT||9090,path:'/watchdog',headers:{'Health-Check':'docker'},timeout:4000},r=>{let b='';r.setEncoding('utf8');r.on('data',c=>b+=c);r.on('end',()=>{let ok=false;try{ok=r.statusCode===200&&JSON.parse(b).data==='docker'}catch{}process.exit(ok?0:1)})}).on('timeout',()=>process.exit(1)).on('error',()=>process.exit(1))"]
# The command of `npm run start:prod` (package.json), flags included: 4 MB semi-spaces and an old
# generation grown by 50 % over what survives each full GC keep the heap near the relay's live
# data for a few per cent more CPU on /observe (docs/performance.md has the figures). `node .`
# runs package.json's `main`, the built relay.
CMD ["node", "--max-semi-space-size=4", "--heap-growing-percent=50", "."]
