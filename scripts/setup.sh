#!/usr/bin/env bash
# Prepare a machine to run (and, with --dev, test) the program:
#   - Debian packages listed in scripts/apt-packages.txt (fonts, a virtual screen, PDF tools),
#     installed only when missing and only when we may (root, or sudo without a password);
#   - a virtual environment in .venv with the pinned Python packages.
# Safe to run again: it does only what is missing.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"

requirements=requirements.txt
[ "${1:-}" = "--dev" ] && requirements=requirements-dev.txt

if [ -f scripts/apt-packages.txt ] && command -v dpkg-query >/dev/null 2>&1; then
    missing=()
    while read -r pkg; do
        pkg="${pkg%%#*}"; pkg="${pkg// /}"
        [ -n "$pkg" ] || continue
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" \
            || missing+=("$pkg")
    done < scripts/apt-packages.txt
    if [ "${#missing[@]}" -gt 0 ]; then
        sudo=""
        [ "$(id -u)" -eq 0 ] || sudo="sudo -n"
        echo "Cài gói hệ thống: ${missing[*]}" >&2
        $sudo apt-get update -qq >&2 && \
            DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >&2 \
            || echo "Không cài được gói hệ thống (${missing[*]}); hãy cài bằng tay." >&2
    fi
fi

python="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
    "$python" -m venv .venv
fi
stamp=".venv/.installed-$(cat requirements*.txt | sha256sum | cut -c1-16)-$(basename $requirements .txt)"
if [ ! -f "$stamp" ]; then
    .venv/bin/python -m pip install -q --upgrade pip >&2
    .venv/bin/python -m pip install -q -r "$requirements" >&2
    touch "$stamp"
fi
