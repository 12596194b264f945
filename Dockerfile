# One image for proxy, adapter and agent (each service picks its entry point with `command`),
# plus the Flink template jobs jar the adapter uploads to the Flink cluster.

# Flink template jobs (templates/flink, Maven). Only the built jar goes into the final image.
FROM maven:3.9-eclipse-temurin-17 AS flink-jobs
WORKDIR /src/templates/flink
COPY templates/flink/ ./
RUN mvn -B -q -ntp package -DskipTests

FROM node:20-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

FROM node:20-slim
ENV NODE_ENV=production \
    RULESHIFT_DATA_DIR=/data \
    TEMPLATES_DIR=/app/templates
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/templates ./templates
COPY --from=flink-jobs /src/templates/flink/target/*.jar ./templates/flink/target/
# A named volume mounted on /data starts with this owner, so the agent can write its rules.
RUN mkdir -p /data && chown node:node /data
USER node
EXPOSE 3000 3001
CMD ["node", "dist/apps/standalone/src/main.js"]
