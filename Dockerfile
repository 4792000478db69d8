# CPU image for the API, the worker and the one-shot model installer; for the API and one worker
# in one container, run `node apps/all-in-one/dist/main.js` (what `npm start` runs).
# Build: docker build -t diarization .   (the GPU worker uses Dockerfile.gpu)
FROM node:22-bookworm-slim AS build
WORKDIR /app
COPY . .
# CPU only: onnxruntime-node must not fetch its CUDA binaries. `npm ci` runs `prepare` (tsc -b).
ENV ONNXRUNTIME_NODE_INSTALL=skip
RUN npm ci && npm prune --omit=dev

FROM node:22-bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends ffmpeg tini ca-certificates \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app /app
RUN mkdir -p /data /models && chown node:node /data /models
ENV NODE_ENV=production \
    DIARIZATION_HOST=0.0.0.0 \
    DIARIZATION_PORT=5000 \
    MODELS_DIR=/models \
    STORAGE_DIR=/data \
    FFMPEG_PATH=/usr/bin/ffmpeg
USER node
EXPOSE 5000
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "apps/api/dist/main.js"]
