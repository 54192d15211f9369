# One image recipe for both nodes: --build-arg PROJECT=Api (the HTTP API) or PROJECT=Silo (a silo).
# Build from the repository root: docker build --build-arg PROJECT=Silo -t assistance-router-silo .

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
ARG PROJECT=Api
WORKDIR /source
# Restore first, from the project files alone, so that the layer survives code changes.
COPY global.json Directory.Build.props Directory.Packages.props ./
COPY src/Grains/Grains.csproj src/Grains/
COPY src/ServiceDefaults/ServiceDefaults.csproj src/ServiceDefaults/
COPY src/Api/Api.csproj src/Api/
COPY src/Silo/Silo.csproj src/Silo/
RUN dotnet restore src/${PROJECT}/${PROJECT}.csproj
COPY src/ src/
RUN dotnet publish src/${PROJECT}/${PROJECT}.csproj -c Release --no-restore -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
ARG PROJECT=Api
# curl for the health checks docker-compose runs inside the container.
RUN apt-get update \
    && apt-get install -y --no-install-recommends curl \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app .
ENV APP_ASSEMBLY=AssistanceRouter.${PROJECT}.dll
# The image's unprivileged user (uid 1654), never root.
USER $APP_UID
ENTRYPOINT ["sh", "-c", "exec dotnet \"$APP_ASSEMBLY\" \"$@\"", "--"]
