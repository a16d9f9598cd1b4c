# amigo in a container: built on the Swift image, run on slim Debian with only the three
# system libraries amigo links (libcurl, libxml2, libsqlite3, RE2) and the CA certificates TLS needs.
#   docker build -t amigo .
#   docker run --rm amigo scan --demo                 # exits 1: the demo has findings
#   docker run --rm -v ~/.aws:/root/.aws:ro -v "$PWD/reports:/reports" \
#     -e AWS_PROFILE=audit amigo scan --org --output /reports
FROM swift:6.3-bookworm AS build
RUN apt-get update -qq \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libcurl4-openssl-dev libxml2-dev libsqlite3-dev libre2-dev pkg-config \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN scripts/package && mkdir /out && tar -xzf dist/amigo-*-linux-*.tar.gz -C /out --strip-components=1

FROM debian:bookworm-slim
RUN apt-get update -qq \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends libcurl4 libxml2 libsqlite3-0 libre2-9 ca-certificates \
 && rm -rf /var/lib/apt/lists/*
COPY --from=build /out/bin/amigo /usr/local/bin/amigo
COPY --from=build /out/share/amigo /usr/local/share/amigo
RUN useradd --create-home amigo && mkdir /reports && chown amigo /reports
USER amigo
WORKDIR /reports
ENTRYPOINT ["amigo"]
CMD ["--help"]
