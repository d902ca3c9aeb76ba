# syntax=docker/dockerfile:1
# Build stage: full install (TypeScript) and compile.
FROM node:24-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm ci
RUN npm run build

# Runtime stage: production dependencies only, non-root.
FROM node:24-slim
ENV NODE_ENV=production \
    PORT=3000 \
    DATA_DIR=/var/lib/attest
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY bin ./bin
COPY drizzle ./drizzle
RUN mkdir -p /var/lib/attest && chown node:node /var/lib/attest
USER node
EXPOSE 3000
VOLUME ["/var/lib/attest"]
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# On Postgres, run `migrate --grant-to attest_app` once per upgrade with the owner's DATABASE_URL and
# `serve` with the restricted role's (README: "Two database roles"; compose.yaml).
ENTRYPOINT ["node", "bin/attest.js"]
CMD ["serve"]
