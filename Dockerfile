# nats-firehose-ingest container image.
#   build:  docker build -t nats-firehose-ingest:dev .
#   run:    docker run --rm -p 8080:8080 -e NATS_URL=nats://nats:4222 nats-firehose-ingest:dev
# The runtime stage is also read by src/test/java/dev/firehose/ingest/deploy/ImageLayoutIT.java, which lays out
# its COPY lines on disk and starts the service with its ENV and ENTRYPOINT as the image's user: keep COPY
# sources under /build/target/ (build stage) or routes/ (context), and ENTRYPOINT/CMD/HEALTHCHECK in exec form.

# ---- build: the thin jar and its runtime dependencies ----
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /build
# Dependencies and plugins first, from the POM alone: this layer is reused until pom.xml changes.
COPY pom.xml ./
RUN mvn -B --no-transfer-progress dependency:go-offline
COPY src ./src
RUN mvn -B --no-transfer-progress -DskipTests package

# ---- runtime: a JRE, the jar, its lib/ and the routes; no build tools, no sources ----
FROM eclipse-temurin:17-jre

# A fixed non-root identity; k8s/deployment.yaml runs as the same UID/GID (checked by ManifestTest).
RUN groupadd --system --gid 10001 firehose \
 && useradd --system --uid 10001 --gid 10001 --no-create-home --home-dir /nonexistent \
        --shell /usr/sbin/nologin firehose

# Everything under /app belongs to root and is only read: the service writes nothing but to stdout and /tmp.
WORKDIR /app
COPY --from=build /build/target/lib/ /app/lib/
COPY --from=build /build/target/nats-firehose-ingest.jar /app/nats-firehose-ingest.jar
# Read at start from the working directory (routes/health.yaml and routes/<FIREHOSE_SOURCE>.yaml); a volume or a
# ConfigMap can replace /app/routes.
COPY routes/ /app/routes/
# The launcher holds the JVM settings the service is measured with (a heap sized for the pipeline's own bounds, the
# serial collector, C1 only; BENCHMARKS.md); JAVA_OPTS, set by a Deployment, comes after them and wins.
COPY bin/ /app/bin/
# A class-data archive of the classes a real run loads (bin/nats-firehose-ingest.classlist), dumped by this image's
# JDK: start-up reads them mapped instead of parsing and verifying each jar's classes again.
RUN /app/bin/nats-firehose-ingest --cds-train

USER 10001:10001
EXPOSE 8080

# The JRE image is not guaranteed to ship curl or wget, and a second JVM every 30 s would be heavy: bash's
# /dev/tcp and builtins only (bash is part of the base image). Liveness only (/health), as Kubernetes does;
# the port follows HEALTH_CHECK_PORT, and the service listens on every address by default (HEALTH_CHECK_HOST).
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/${HEALTH_CHECK_PORT:-8080} && printf 'GET /health HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n' >&3 && read -r -t 4 status <&3 && [[ $status == *' 200 '* ]]"]

# The launcher execs java, which is then PID 1 and gets SIGTERM itself: camel-main publishes the open batch and
# stores the cursor on the way out.
ENTRYPOINT ["/app/bin/nats-firehose-ingest"]
