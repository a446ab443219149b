# nsscope's image: built with the Maven wrapper (Java 17 source, Spring AOT), run on a Java 25 runtime from Spring
# Boot's extracted jar, with a JDK AOT cache (JEP 483/514/515) made by a training run at build time. Run it with the
# node's PID namespace and /proc:
#   docker run --pid=host -v /proc:/host/proc:ro -e NSSCOPE_PROCFS_ROOT=/host/proc -p 8080:8080 nsscope
# (Kubernetes: the Helm chart in helm/nsscope.) The base images are arguments, so that a locally made base can stand
# in where no registry serves them (scripts/image-smoke.sh does that). docs/image.md explains every setting.
ARG BUILDER_IMAGE=eclipse-temurin:17-jdk
ARG RUNTIME_IMAGE=eclipse-temurin:25-jre

FROM ${BUILDER_IMAGE} AS build
WORKDIR /src
# Dependencies first, in a layer of their own: a code change does not download them again.
COPY mvnw pom.xml ./
COPY .mvn .mvn
RUN ./mvnw -B -q dependency:go-offline
COPY src src
# `package` also runs Spring AOT (the POM's process-aot execution): the bean definitions, worked out at build time,
# are compiled into the jar and used when the JVM runs with -Dspring.aot.enabled=true. Extracted without Spring Boot's
# launcher: nsscope.jar and lib/*.jar on the class path (its manifest's Class-Path), so that the JVM's application
# class loader loads every class, which the AOT cache serves whole (linked, lambdas included); classes of the
# launcher's own class loader it serves only in part (docs/image.md, start-up).
RUN ./mvnw -B -q -DskipTests package \
    && java -Djarmode=tools -jar target/nsscope-*.jar extract --layers --destination /layers \
    && mv /layers/application/nsscope-*.jar /layers/application/nsscope.jar

FROM ${RUNTIME_IMAGE}
ARG VERSION=0.1.0-SNAPSHOT
ARG REVISION=unknown
LABEL org.opencontainers.image.title="nsscope" \
      org.opencontainers.image.description="The Linux namespaces of a host (lsns, pstree -N, /proc/PID/ns) over HTTP and as Prometheus metrics" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.licenses="Apache-2.0"
WORKDIR /app
# From the least to the most often changed: a code change rebuilds the thin application layer and the AOT cache
# below; the JRE and the dependencies stay cached.
COPY --from=build /layers/dependencies/ ./
COPY --from=build /layers/spring-boot-loader/ ./
COPY --from=build /layers/snapshot-dependencies/ ./
COPY --from=build /layers/application/ ./
# The footprint of a per-node agent (docs/image.md; measured in docs/benchmarks.md): C1 only (C2's compiler threads
# and profiled code cost a 2-core node memory and start-up for no throughput this I/O-bound service shows), a small
# serial-collected heap of a quarter of the container's memory limit (MinRAMPercentage too: below 504 MiB of limit the
# JVM otherwise takes MinRAMPercentage's half, or its 126 MiB default, not MaxRAMPercentage's share) that gives back
# what its live objects don't need after a full collection (Min/MaxHeapFreeRatio: 10-20 % free, not 40-70 %), the
# native heap trimmed and in two arenas. Valid on
# Java 17 and later; the Helm chart's javaOpts (which replace JAVA_TOOL_OPTIONS) are the same.
ENV JAVA_TOOL_OPTIONS="-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:MinRAMPercentage=25 -XX:MaxRAMPercentage=25 -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=20 -XX:TrimNativeHeapInterval=5000 -XX:+ExitOnOutOfMemoryError" \
    MALLOC_ARENA_MAX=2
# The training run (src/main/docker/train.sh): the application starts with the options of the ENTRYPOINT below, on
# 127.0.0.1 and a port of its own, makes its first scan, answers a workload (the lists, a tree, the metrics, a
# refresh), and is stopped with SIGTERM; the JVM then writes what it loaded, linked and profiled to nsscope.aot, which
# every later start maps instead of doing it again (the build fails if it is not written). An option that differs
# between the two (a collector, an object header layout) makes the JVM ignore the cache: docs/image.md says how to
# check.
COPY src/main/docker/train.sh /app/train.sh
RUN ["bash", "/app/train.sh", "java", "-XX:AOTCacheOutput=/app/nsscope.aot", "-Dspring.aot.enabled=true", \
     "-Dspring.main.banner-mode=off", "-Dlogging.level.root=warn", "-jar", "/app/nsscope.jar"]
# Every interface of the container (the application alone listens on 127.0.0.1): docs/security.md.
ENV SERVER_ADDRESS=0.0.0.0
EXPOSE 8080
ENTRYPOINT ["java", "-XX:AOTCache=/app/nsscope.aot", "-Dspring.aot.enabled=true", "-jar", "/app/nsscope.jar"]
