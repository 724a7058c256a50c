#!/usr/bin/env bash
# Checks the system tools and libraries the portal needs and names each one missing,
# with the Debian package that provides it. Exit 1 if anything is missing.
set -u
missing=()
command -v msgfmt >/dev/null 2>&1 || missing+=("msgfmt (translations): apt-get install gettext")
# WeasyPrint (receipts and permits as PDF) loads Pango and HarfBuzz at run time.
for lib in libpango-1.0.so.0 libpangoft2-1.0.so.0 libharfbuzz.so.0; do
  ldconfig -p 2>/dev/null | grep -q "$lib" || missing+=("$lib (PDF rendering): apt-get install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b")
done
if [ "${1:-}" = "--test" ]; then
  command -v npm >/dev/null 2>&1 || missing+=("npm (axe-core for accessibility tests): apt-get install npm")
  [ -x "${PTSP_CHROMIUM:-/usr/bin/chromium}" ] || missing+=("chromium (browser tests): apt-get install chromium")
fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "Missing prerequisites:" >&2
  printf '  - %s\n' "${missing[@]}" | sort -u >&2
  exit 1
fi
