# nsscope's image: built with the Maven wrapper, run on a JRE from Spring Boot's layered jar, with a class-data
# sharing archive made at build time. Run it with the node's PID namespace and /proc:
#   docker run --pid=host -v /proc:/host/proc:ro -e NSSCOPE_PROCFS_ROOT=/host/proc -p 8080:8080 nsscope
# (Kubernetes: the Helm chart in helm/nsscope.) The base images are arguments, so that a locally made base can stand
# in where no registry serves them (scripts/image-smoke.sh does that).
ARG BUILDER_IMAGE=eclipse-temurin:17-jdk
ARG RUNTIME_IMAGE=eclipse-temurin:17-jre

FROM ${BUILDER_IMAGE} AS build
WORKDIR /src
# Dependencies first, in a layer of their own: a code change does not download them again.
COPY mvnw pom.xml ./
COPY .mvn .mvn
RUN ./mvnw -B -q dependency:go-offline
COPY src src
RUN ./mvnw -B -q -DskipTests package \
    && java -Djarmode=tools -jar target/nsscope-*.jar extract --layers --launcher --destination /layers

FROM ${RUNTIME_IMAGE}
ARG VERSION=0.1.0-SNAPSHOT
ARG REVISION=unknown
LABEL org.opencontainers.image.title="nsscope" \
      org.opencontainers.image.description="The Linux namespaces of a host (lsns, pstree -N, /proc/PID/ns) over HTTP and as Prometheus metrics" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.licenses="Apache-2.0"
WORKDIR /app
# From the least to the most often changed: a code change rebuilds the thin application layer and the CDS archive
# below (about 40 MB in all, docs/image.md); the JRE and the dependencies stay cached.
COPY --from=build /layers/dependencies/ ./
COPY --from=build /layers/spring-boot-loader/ ./
COPY --from=build /layers/snapshot-dependencies/ ./
COPY --from=build /layers/application/ ./
# A training run that stops once the application context is up, to record the classes it loads (Java 17+ CDS):
# later starts map them instead of loading and verifying them again.
RUN java -XX:ArchiveClassesAtExit=/app/nsscope.jsa -Dspring.context.exit=onRefresh \
        -Dspring.main.banner-mode=off -Dlogging.level.root=warn \
        org.springframework.boot.loader.launch.JarLauncher
# Heap sized from the container's memory limit; a small-footprint collector for a small, steady heap.
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=70 -XX:+UseSerialGC -XX:+ExitOnOutOfMemoryError"
# Every interface of the container (the application alone listens on 127.0.0.1): docs/security.md.
ENV SERVER_ADDRESS=0.0.0.0
EXPOSE 8080
ENTRYPOINT ["java", "-XX:SharedArchiveFile=/app/nsscope.jsa", "-Xshare:auto", "org.springframework.boot.loader.launch.JarLauncher"]
