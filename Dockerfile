# vrrp-forensics as a container: `docker build -t vrrp-forensics:0.1.0 .`, then
#   docker run --rm -v /archive:/archive:ro -v "$PWD/reports:/reports" vrrp-forensics:0.1.0 batch /archive --out /reports
# Two stages: the build (TypeScript, dev dependencies) stays out of the image; the image runs as the unprivileged
# `node` user (uid 1000) of the official Node 20 slim image.
FROM node:20-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
# --ignore-scripts: `prepare` builds, and the sources are not copied yet
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY bin ./bin
# the build bundles the run path (esbuild) and writes oclif's command manifest
COPY scripts/bundle.js scripts/manifest.js ./scripts/
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

FROM node:20-slim
ENV NODE_ENV=production
WORKDIR /opt/vrrp-forensics
COPY --from=build /src/package.json ./
COPY --from=build /src/node_modules ./node_modules
COPY --from=build /src/dist ./dist
COPY --from=build /src/bin ./bin
COPY --from=build /src/oclif.manifest.json ./
COPY README.md ./
USER node
WORKDIR /work
ENTRYPOINT ["node", "/opt/vrrp-forensics/bin/run.js"]
CMD ["--help"]
