# Hand-written equivalent of samples/shared-base.ship, in the layout of Next.js's example:
# one base stage under the build and the runner.
FROM node:20-alpine3.22 AS base
RUN apk add --no-cache libc6-compat=1.1.0-r4

FROM base AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci
COPY . .
RUN npm run build

FROM base
ENV NODE_ENV=production PORT=3000 HOSTNAME=0.0.0.0
WORKDIR /app
COPY --from=build /app/.next/standalone ./
COPY --from=build /app/.next/static ./.next/static
COPY --from=build /app/public ./public
USER node
EXPOSE 3000
CMD ["node", "server.js"]
