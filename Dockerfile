# snapaudit as a container image: built from this checkout, run on distroless Node 24 as a non-root user, with a
# read-only root filesystem. Writes go to the working directory (mount a volume there) and to /tmp.
#   docker build -t snapaudit .
#   docker run --rm --read-only --tmpfs /tmp -v "$PWD/out:/var/lib/snapaudit" --user "$(id -u)" snapaudit scan --demo

# 1. pack: the dev toolchain builds dist/ and packs the package exactly as `npm pack` does (prepack).
FROM node:24-slim AS pack
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error
COPY . .
RUN npm pack --pack-destination /pkg --loglevel=error && mv /pkg/snapaudit-*.tgz /pkg/snapaudit.tgz

# 2. install: the packed package with its shrinkwrap's runtime dependencies only (no dev dependencies, no install
#    scripts). test/package/ runs this same script on the same tarball.
FROM node:24-slim AS install
COPY --from=pack /pkg/snapaudit.tgz /src/scripts/install-package.sh /tmp/
RUN sh /tmp/install-package.sh /tmp/snapaudit.tgz /opt/snapaudit && mkdir /data

# 3. runtime: Node 24 and the installed package; no shell, no npm, no compiler.
FROM gcr.io/distroless/nodejs24-debian13:nonroot
COPY --from=install /opt/snapaudit /opt/snapaudit
# The working directory, where the default ./snapaudit-out and ./.snapaudit/state.sqlite land: owned by the runtime
# user, and the place to mount a volume (with a read-only root filesystem, a volume is the only writable place).
COPY --from=install --chown=65532:65532 /data /var/lib/snapaudit
WORKDIR /var/lib/snapaudit
USER 65532:65532
ENTRYPOINT ["/nodejs/bin/node", "/opt/snapaudit/bin/snapaudit.js"]
CMD ["--help"]
