#!/usr/bin/env bash
# Installs the Debian packages Contam needs, only those that are missing.
#   scripts/setup.sh          build and run: libxxhash-dev zlib1g-dev libzstd-dev libisal-dev libssl-dev libsnappy-dev pkg-config
#   scripts/setup.sh --test   also the tools the tests compare against: xxhash gzip pigz zstd xz, and
#                             what the cluster tests run: a single-node Slurm (slurmctld slurmd
#                             slurm-client munge) and Python's kubernetes models (pip)
set -euo pipefail
packages=(libxxhash-dev zlib1g-dev libzstd-dev libisal-dev libssl-dev libsnappy-dev pkg-config)
if [[ "${1:-}" == "--test" ]]; then packages+=(xxhash gzip pigz zstd xz-utils time slurmctld slurmd slurm-client munge python3-yaml); fi
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
if [[ "${1:-}" == "--test" ]] && ! python3 -c "import kubernetes, yaml" 2>/dev/null; then
  # The batch/v1 Job models for the offline check of docs/cluster/kubernetes.yaml; the test
  # that needs them says it was skipped if this fails.
  python3 -m pip install --quiet --disable-pip-version-check kubernetes pyyaml >/dev/null 2>&1 ||
    echo "setup: could not install Python's kubernetes package; the Kubernetes manifest check will be skipped" >&2
fi
