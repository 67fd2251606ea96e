#!/bin/sh
# Prints the shell command the README gives under the marker <!-- ci:NAME -->
# (the one line in the ```sh fence after it), so CI runs it exactly as written.
# Usage: sh .ci/readme-command.sh readme-run|readme-test [README.md]
set -eu
name=$1
readme=${2:-"$(dirname "$0")/../README.md"}
cmd=$(awk -v marker="<!-- ci:$name -->" '
  $0 == marker { found = 1; next }
  found == 1 && /^```sh$/ { found = 2; next }
  found == 2 { print; exit }
' "$readme")
if [ -z "$cmd" ]; then
  echo "readme-command.sh: no command under <!-- ci:$name --> in $readme" >&2
  exit 1
fi
printf '%s\n' "$cmd"
