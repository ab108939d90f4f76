# syntax=docker/dockerfile:1
# Ferry's image: a Maven build stage, then a JRE-only runtime that runs the service.
# Settings come from the mounted config/ and FERRY_* environment variables; the password from
# FERRY_DB_PASSWORD or a secret file named by FERRY_DB_PASSWORD_FILE (e.g. /run/secrets/ferry_db_password).

FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /build
# dependencies first, so a source change does not download them again
COPY pom.xml .
RUN mvn -B -q dependency:go-offline
COPY src src
COPY routes routes
COPY config config
RUN mvn -B -q package -DskipTests

FROM eclipse-temurin:17-jre
RUN groupadd --system ferry && useradd --system --gid ferry --home-dir /app ferry
WORKDIR /app
COPY --from=build /build/target/ferry.jar /app/ferry.jar
# the launcher picks JVM options per command (full JIT for serve, C1 for one-shot jobs)
COPY --chmod=755 bin/ferry /app/bin/ferry
# routes and config are read from the working directory at run time; mount over them to change either
COPY routes /app/routes
COPY config /app/config
RUN mkdir -p /app/data/inbox /app/data/done /app/data/error /app/data/reports && chown -R ferry:ferry /app/data
USER ferry
ENV JAVA_OPTS="-Xmx512m" \
    FERRY_INBOX=/app/data/inbox \
    FERRY_DONE=/app/data/done \
    FERRY_ERROR=/app/data/error \
    FERRY_REPORTS=/app/data/reports
# the management server (Jolokia for Hawtio, metrics, health), when enabled with a users file mounted in /app/config
EXPOSE 9876
VOLUME ["/app/data/inbox", "/app/data/done", "/app/data/error", "/app/data/reports", "/app/config", "/app/routes"]
# the launcher execs java for serve, so java is PID 1 and SIGTERM from `docker stop` reaches
# Camel's graceful shutdown; /app is not writable by ferry, so no class-data archive is recorded
ENTRYPOINT ["/app/bin/ferry"]
CMD ["serve"]
