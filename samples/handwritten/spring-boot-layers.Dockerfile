# Hand-written equivalent of samples/spring-boot-layers.ship.
FROM maven:3.9-eclipse-temurin-21 AS build
WORKDIR /app
COPY pom.xml ./
RUN --mount=type=cache,target=/root/.m2/repository mvn -B dependency:go-offline
COPY . .
RUN --mount=type=cache,target=/root/.m2/repository \
    mvn -B package -DskipTests \
    && java -Djarmode=tools -jar target/payments.jar extract --layers --launcher --destination /out/layers

FROM eclipse-temurin:21-jre
WORKDIR /app
COPY --from=build /out/layers/dependencies/ ./
COPY --from=build /out/layers/spring-boot-loader/ ./
COPY --from=build /out/layers/snapshot-dependencies/ ./
COPY --from=build /out/layers/application/ ./
USER 65532:65532
EXPOSE 8080
CMD ["java", "org.springframework.boot.loader.launch.JarLauncher"]
