#!/usr/bin/env bash
# Faultline's language server in Debian's Neovim (0.7.2), headless. Needs `npm run build` first.
# Prints "ok - ..." lines and a closing "nvim: N passed, N failed"; exit status 0 only if all passed.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
WS="${FL_WORKSPACE:-$ROOT/test/e2e/workspace}"
FILE="${FL_FILE:-$WS/drivers/misc/fl_demo.c}"
ART="${FL_ARTIFACTS:-$ROOT/test/e2e/artifacts}"
mkdir -p "$ART"
command -v nvim >/dev/null || { echo "not ok - nvim not installed (run test/e2e/setup.sh apt)"; echo "nvim: 0 passed, 1 failed"; exit 1; }
[ -f "$ROOT/dist/server.js" ] || { echo "not ok - dist/server.js missing (npm run build)"; echo "nvim: 0 passed, 1 failed"; exit 1; }
echo "# $(nvim --version | head -1), file $FILE"
# A fresh, empty HOME/XDG so no user config or shada is read or written.
TMPH="$(mktemp -d)"; trap 'rm -rf "$TMPH"' EXIT
HOME="$TMPH" XDG_CONFIG_HOME="$TMPH/config" XDG_DATA_HOME="$TMPH/data" XDG_STATE_HOME="$TMPH/state" XDG_CACHE_HOME="$TMPH/cache" \
FL_NODE="${FL_NODE:-node}" FL_SERVER="${FL_SERVER:-$ROOT/dist/server.js}" FL_OUT="$ART/nvim-result.json" FL_ROOT="$WS" \
FL_TARGETS="${FL_TARGETS:-6.12/x86_64,6.12/riscv64}" \
  timeout 90 nvim --headless --clean -n -i NONE -c "luafile $ROOT/test/e2e/nvim/lsp_test.lua" "$FILE" 2> "$ART/nvim-stderr.log" < /dev/null
rc=$?
if [ $rc -ne 0 ] && [ -s "$ART/nvim-stderr.log" ]; then echo "# nvim stderr:"; sed 's/^/#   /' "$ART/nvim-stderr.log" | head -20; fi
[ $rc -eq 124 ] && { echo "not ok - nvim timed out"; echo "nvim: 0 passed, 1 failed"; }
exit $rc
