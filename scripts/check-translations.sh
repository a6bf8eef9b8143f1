#!/usr/bin/env bash
# Fail if a user-facing string in the code has no Kyrgyz or Russian translation yet.
# Runs makemessages on a copy of the catalogs and puts the committed ones back afterwards.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
saved=$(mktemp -d)
cp -a trustbox/locale "$saved/"
restore() { rm -rf trustbox/locale && cp -a "$saved/locale" trustbox/locale && rm -rf "$saved"; }
trap restore EXIT
# Every file that holds text is read: templates are .html or .txt (a test fails on any other kind
# of template, and static scripts carry no text of their own), code is .py.
.venv/bin/python -m trustbox makemessages -l ky -l ru -e html,txt,py --ignore .venv \
  --ignore "*/tests/*" --ignore trustbox/test.py --no-location --no-wrap -v 0
missing=$(for po in trustbox/locale/*/LC_MESSAGES/django.po; do
  msgattrib --untranslated --no-obsolete --no-wrap "$po"
  msgattrib --only-fuzzy --no-obsolete --no-wrap "$po"
done | grep '^msgid ' | grep -v '^msgid ""$' || true)
if [ -n "$missing" ]; then
  echo "Strings without a translation (run makemessages as README says and translate them):" >&2
  echo "$missing" | sort -u >&2
  exit 1
fi
