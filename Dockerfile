# Banyan gateway image. Node 24 runs the TypeScript sources directly (type stripping), like
# `npm start`; the optional IBM drivers' install scripts are skipped because they download IBM
# client libraries at install time (bridges load them lazily and say so when absent).
FROM node:24-bookworm-slim

WORKDIR /app
ENV NODE_ENV=production

COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
# IBM_MQ_CLIENT=true (docker-compose.yml sets it): build the ibmmq driver's native part, whose
# install also downloads IBM's redistributable MQ C client into node_modules/ibmmq/redist.
ARG IBM_MQ_CLIENT=false
RUN if [ "$IBM_MQ_CLIENT" = "true" ]; then \
      apt-get update && apt-get install -y --no-install-recommends python3 make g++ curl ca-certificates && \
      npm rebuild ibmmq && \
      apt-get purge -y python3 make g++ && apt-get autoremove -y && rm -rf /var/lib/apt/lists/*; \
    fi

COPY tsconfig.json banyan.yaml ./
COPY bin ./bin
COPY src ./src
# bridges/ and mappings/ are what a migration team edits: docker-compose.yml mounts them read-only.
RUN mkdir -p bridges mappings

USER node
EXPOSE 9464
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.BANYAN_HTTP_PORT||9464)+'/health/live').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"

# exec form: node is PID 1 and receives SIGTERM from `docker stop`, so the gateway stops cleanly.
CMD ["node", "src/cli.ts", "start", "--config", "banyan.yaml"]
