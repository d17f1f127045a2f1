# syntax=docker/dockerfile:1
# dlrgate: the gateway (and the simulator, same jar). Build stage with Maven, run stage with a JRE only.
#   docker build -t dlrgate .          (docker-compose.yml does this for you)

# ---- build ---------------------------------------------------------------------------------------------
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
# Poms first, so the dependency download is cached until a pom changes.
COPY pom.xml ./
COPY config/pom.xml config/
COPY reporting/pom.xml reporting/
COPY gateway/pom.xml gateway/
COPY simulator/pom.xml simulator/
COPY dist/pom.xml dist/
COPY bench/pom.xml bench/
COPY config/src config/src
COPY reporting/src reporting/src
COPY gateway/src gateway/src
COPY simulator/src simulator/src
COPY dist/src dist/src
RUN --mount=type=cache,target=/root/.m2 \
    mvn -B -q -ntp -DskipTests -pl dist -am package \
 && cp dist/target/dlrgate.jar /dlrgate.jar

# ---- run -----------------------------------------------------------------------------------------------
FROM eclipse-temurin:17-jre-jammy
# curl: the HEALTHCHECK and the simulator's traffic loop (ops/compose/simulate.sh).
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 dlrgate \
 && useradd --system --uid 10001 --gid dlrgate --home-dir /app --shell /usr/sbin/nologin dlrgate
WORKDIR /app
COPY --from=build /dlrgate.jar /app/dlrgate.jar
COPY simulator/scenarios /app/scenarios
COPY ops/compose/simulate.sh /app/bin/simulate.sh
COPY ops/compose/demo-user.sh /app/bin/demo-user.sh
RUN mkdir -p /app/data && chown -R dlrgate:dlrgate /app/data
USER dlrgate:dlrgate
# Listen on every interface inside the container (the shipped config listens on 127.0.0.1 only).
ENV DLRGATE_HTTP_HOST=0.0.0.0 \
    DLRGATE_SMPP_HOST=0.0.0.0 \
    DLRGATE_HTTP_PORT=8080 \
    DLRGATE_SMPP_PORT=2775 \
    JAVA_OPTS="-XX:MaxRAMPercentage=75"
EXPOSE 8080 2775
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 \
  CMD curl -fsS "http://127.0.0.1:${DLRGATE_HTTP_PORT}/ready" || exit 1
ENTRYPOINT ["sh", "-c", "exec java $JAVA_OPTS -jar /app/dlrgate.jar \"$@\"", "dlrgate"]
CMD ["serve"]
