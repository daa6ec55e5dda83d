# migdiff for CI runners: build the release with Maven, ship only its jlinked runtime.
#   docker build -t migdiff .
#   docker run --rm -v "$PWD:/repo" -w /repo migdiff migdiff main feature-x
# The final image has git (CI jobs fetch with it) and /usr/local/bin/migdiff; no JDK, no Maven.
# It has no ENTRYPOINT, so GitLab jobs can use it as their image and run shell scripts.

# The build stage is the Debian release scripts/release is tested on (JDK 17 with its jmods,
# Maven, Python for the jar and wheel writers, binutils for strip).
FROM debian:bookworm-slim AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends openjdk-17-jdk-headless maven python3 git binutils \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY pom.xml ./
COPY src ./src
COPY scripts ./scripts
# The build context has no .git: pass the commit, --build-arg COMMIT=$(git rev-parse --short=12 HEAD).
ARG COMMIT=unknown
RUN mvn -B -q process-classes \
 && MIGDIFF_COMMIT="$COMMIT" SOURCE_DATE_EPOCH=1767225600 scripts/release --no-build --no-wheel --out /dist \
 && mkdir /opt/migdiff \
 && tar -xzf /dist/migdiff-*-linux-x86_64.tar.gz -C /opt/migdiff --strip-components=1

FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends git ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && git config --system --add safe.directory '*'
COPY --from=build /opt/migdiff /opt/migdiff
RUN ln -s /opt/migdiff/bin/migdiff /usr/local/bin/migdiff \
 && migdiff --version
ENV MANPATH=/opt/migdiff/share/man:
CMD ["migdiff", "--help"]
