#!/bin/sh
# Installs a packed snapaudit for production, as the container image does (Dockerfile, stage "install";
# test/package/ runs this same script): the package's files, then exactly the versions of its shrinkwrap
# (the project's lockfile, shipped in the package), without dev dependencies and without install scripts.
#   sh scripts/install-package.sh <snapaudit-x.y.z.tgz> <target folder>
set -eu
tarball=$1
target=$2
mkdir -p "$target"
tar -xzf "$tarball" -C "$target" --strip-components=1
cd "$target"
npm ci --omit=dev --ignore-scripts --no-audit --no-fund --loglevel=error
