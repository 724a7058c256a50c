#!/usr/bin/env bash
# Prints the path of a Python >= 3.12 (Django 6 needs it), or explains what is missing.
# Order: $PYTHON, python3.13, python3.12, python3, then pyenv's installed versions.
set -u
ok() { "$1" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' >/dev/null 2>&1; }
candidates=("${PYTHON:-}" python3.13 python3.12 python3)
pyenv_root=$(pyenv root 2>/dev/null || echo "$HOME/.pyenv")
for v in "$pyenv_root"/versions/3.1[3-9]* "$pyenv_root"/versions/3.12*; do
  [ -x "$v/bin/python3" ] && candidates+=("$v/bin/python3")
done
for c in "${candidates[@]}"; do
  [ -n "$c" ] || continue
  path=$(command -v "$c" 2>/dev/null) || continue
  if ok "$path"; then
    # Resolve pyenv shims to the real interpreter, so the venv does not depend on them.
    "$path" -c 'import sys; print(sys.executable)'
    exit 0
  fi
done
echo "error: no Python >= 3.12 found (Django 6 needs it)." >&2
echo "  Install one, e.g. 'apt-get install python3.12 python3.12-venv' or 'pyenv install 3.13'," >&2
echo "  or point PYTHON=/path/to/python3.12 at it." >&2
exit 1
