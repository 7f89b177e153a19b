# syntax=docker/dockerfile:1
# better-authz: multi-stage build (Maven, JDK 17) -> a JRE 17 runtime as a non-root user.

FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
RUN mvn -B -q dependency:go-offline
COPY src/main ./src/main
RUN mvn -B -q -Dmaven.test.skip=true -Dspotless.check.skip=true package

FROM eclipse-temurin:17-jre
RUN groupadd --system --gid 10001 authz \
 && useradd --system --uid 10001 --gid authz --no-create-home --shell /usr/sbin/nologin authz
WORKDIR /app
COPY --from=build /src/target/better-authz.jar /app/better-authz.jar
ENV AUTHZ_GRPC_PORT=9191 \
    AUTHZ_HTTP_PORT=8181 \
    AUTHZ_POLICY_FILE=/etc/better-authz/policy.yaml
USER 10001:10001
EXPOSE 9191 8181
# No curl in the image: bash's /dev/tcp asks /readyz and wants a 200.
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8181 && printf 'GET /readyz HTTP/1.0\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -q ' 200 '"]
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError", "-jar", "/app/better-authz.jar"]
