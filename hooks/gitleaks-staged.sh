#!/bin/sh
# Scans the staged changes for secrets with the same gitleaks version, config (.gitleaks.toml) and
# allowlist (.gitleaksignore) as the dpra pipeline. Used by the pre-commit framework hooks in
# .pre-commit-hooks.yaml and by husky (see docs/pre-commit.md). Extra arguments go to gitleaks,
# e.g. --config path/to/gitleaks.toml when dpra.yaml sets security.gitleaks.config.
set -eu

# Keep in step with GITLEAKS_DEFAULT_VERSION and GITLEAKS_DIGESTS in modules/gitleaks/src/gitleaks.ts
# (test/modules/precommit.test.ts fails when they differ).
GITLEAKS_VERSION="v8.30.1"
GITLEAKS_IMAGE="zricethezav/gitleaks:v8.30.1@sha256:c00b6bd0aeb3071cbcb79009cb16a60dd9e0a7c60e2be9ab65d25e6bc8abbb7f"

cd "$(git rev-parse --show-toplevel)"

if [ "${DPRA_GITLEAKS:-auto}" != "docker" ] && command -v gitleaks >/dev/null 2>&1; then
  installed="$(gitleaks version 2>/dev/null || true)"
  if [ "v${installed#v}" = "$GITLEAKS_VERSION" ]; then
    exec gitleaks git --pre-commit --staged --redact --no-banner --verbose "$@" .
  fi
  echo "gitleaks ${installed:-unknown} is installed but the pipeline runs $GITLEAKS_VERSION: using the pinned image." >&2
fi

if command -v docker >/dev/null 2>&1; then
  exec docker run --rm --user "$(id -u):$(id -g)" -v "$PWD:/repo" -w /repo "$GITLEAKS_IMAGE" \
    git --pre-commit --staged --redact --no-banner --verbose "$@" /repo
fi

echo "gitleaks-staged: neither gitleaks $GITLEAKS_VERSION nor docker is available." >&2
echo "Install gitleaks $GITLEAKS_VERSION (https://github.com/gitleaks/gitleaks/releases) or docker, then commit again." >&2
exit 2
