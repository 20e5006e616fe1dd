# Switchyard's image: built in one stage, run in another as the unprivileged `node` user.
#   docker build -t switchyard .
#   docker run -p 8080:8080 -v switchyard-data:/data switchyard
# SQLite in the /data volume by default; set DATABASE_URL=postgres://… for PostgreSQL
# (deploy/compose.yaml runs both). Configuration is by environment (docs/configuration.md).

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY tsconfig.json ./
COPY bin ./bin
COPY src ./src
# The console's build reads the typed client and the server's table of states (docs/console.md).
COPY clients ./clients
COPY console ./console
# The API reference's request examples are the ready files of examples/ (src/http/openapi-examples.ts).
COPY examples ./examples
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8080 \
    DATABASE_URL=sqlite:/data/switchyard.db
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
RUN mkdir /data && chown node:node /data
USER node
VOLUME /data
EXPOSE 8080
# /health answers 200 while the database answers (503 otherwise).
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT}/health`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# SIGTERM (docker stop) lets the requests in flight finish, then the process exits.
STOPSIGNAL SIGTERM
CMD ["node", "--enable-source-maps", "--max-semi-space-size=8", "dist/main.js", "serve"]
