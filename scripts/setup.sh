#!/usr/bin/env bash
# Installs the Debian packages Contam needs, only those that are missing.
#   scripts/setup.sh          build and run: libxxhash-dev zlib1g-dev libzstd-dev libisal-dev libssl-dev libsnappy-dev pkg-config
#   scripts/setup.sh --test   also the tools the tests compare against: xxhash gzip pigz zstd
set -euo pipefail
packages=(libxxhash-dev zlib1g-dev libzstd-dev libisal-dev libssl-dev libsnappy-dev pkg-config)
if [[ "${1:-}" == "--test" ]]; then packages+=(xxhash gzip pigz zstd time); fi
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  sudo=""
  if [[ $(id -u) -ne 0 ]]; then sudo="sudo"; fi
  echo "setup: installing ${missing[*]}" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi
