# Sourced by scripts/demo.sh and scripts/test.sh: install what Trust Box needs, once.
#   bootstrap_system PKG...   Debian packages (apt-get, as root or through sudo)
#   bootstrap_python          .venv with the pinned Python packages, and compiled translations
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VENV="$ROOT/.venv"
PY="$VENV/bin/python"

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

bootstrap_system() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "Please install as root: apt-get install ${missing[*]}" >&2; exit 1; }
    sudo="sudo"
  fi
  say "Installing Debian packages: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

find_python311() {
  for candidate in python3.11 python3; do
    if command -v "$candidate" >/dev/null && \
       "$candidate" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' 2>/dev/null; then
      command -v "$candidate"; return 0
    fi
  done
  return 1
}

bootstrap_python() {
  local python
  if ! python=$(find_python311); then
    bootstrap_system python3.11 python3.11-venv
    python=$(find_python311)
  fi
  if [ ! -x "$PY" ]; then
    say "Creating the virtual environment in .venv"
    "$python" -m venv "$VENV" || { bootstrap_system python3.11-venv; "$python" -m venv "$VENV"; }
  fi
  local stamp="$VENV/.trustbox-installed" want
  want=$(sha256sum "$ROOT/pyproject.toml" | cut -d' ' -f1)
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    say "Installing the Python packages pinned in pyproject.toml"
    "$PY" -m pip install -q --disable-pip-version-check -e "$ROOT[dev]"
    echo "$want" > "$stamp"
  fi
  bootstrap_system gettext
  local po mo
  for po in "$ROOT"/trustbox/locale/*/LC_MESSAGES/django.po; do
    [ -f "$po" ] || continue
    mo="${po%.po}.mo"
    if [ ! -f "$mo" ] || [ "$po" -nt "$mo" ]; then
      msgfmt --check-format -o "$mo" "$po"
    fi
  done
}
