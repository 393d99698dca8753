# Builds the server from source with the Maven wrapper, then runs it on a JRE.
FROM eclipse-temurin:17-jdk AS build
WORKDIR /src
COPY . .
RUN ./mvnw -B -q -DskipTests package

FROM eclipse-temurin:17-jre
RUN apt-get update && apt-get install -y --no-install-recommends wget && rm -rf /var/lib/apt/lists/* \
    && useradd --system --home /app caravan && mkdir -p /data && chown caravan /data
WORKDIR /app
COPY --from=build /src/server/target/caravan-server.jar /app/caravan-server.jar
USER caravan
ENV CARAVAN_DATA_DIR=/data
EXPOSE 8080
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-jar", "/app/caravan-server.jar"]
