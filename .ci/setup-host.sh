#!/bin/sh
# Installs the Debian/Ubuntu packages consh-book needs on this host, as the
# README's commands do: `sh .ci/setup-host.sh` for the book, `--tests` adds
# what the tests need (tmux, less, chromium). Runs apt-get directly as root (a fresh
# container has no sudo) and through sudo as an ordinary user.
# --print: only print the command it would run.
set -eu

packages="busybox-static util-linux iproute2 procps sudo"
print=false
for arg in "$@"; do
  case "$arg" in
    --tests) packages="$packages tmux less chromium" ;;
    --print) print=true ;;
    *) echo "setup-host.sh: unknown option '$arg' (use --tests, --print)" >&2; exit 2 ;;
  esac
done

if [ "$(id -u)" -eq 0 ]; then
  as_root=""
elif command -v sudo > /dev/null 2>&1; then
  as_root="sudo"
else
  echo "setup-host.sh: installing packages needs root, and sudo is not installed." >&2
  echo "  run this script as root (e.g. su -c 'sh .ci/setup-host.sh'), or install sudo first" >&2
  exit 1
fi

if ! command -v apt-get > /dev/null 2>&1; then
  echo "setup-host.sh: this is not a Debian or Ubuntu host (no apt-get)." >&2
  echo "  install these with your package manager: $packages (busybox must be statically linked)" >&2
  exit 1
fi

run() {
  if $print; then echo "$*"; else "$@"; fi
}
run $as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
run $as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $packages
