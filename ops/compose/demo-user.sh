#!/usr/bin/env bash
# The docker-compose `demo-user` service: once the gateway is ready (its migrations have run), stores the web UI
# user `demo` (role admin, as `./dlrgate demo` makes it) with `dlrgate user add ... --password-stdin` and prints
#   Web UI: http://127.0.0.1:8080/  log in as demo / <password>
# The password is generated at each run unless DLRGATE_DEMO_PASSWORD sets it; running again gives the user the new
# one. The store comes from the gateway's own settings (DLRGATE_DB_URL, ..., or DLRGATE_CONFIG).
# .ci/ops-check runs this script against its live gateway and logs in with what it printed.
set -euo pipefail
jar=${DLRGATE_JAR:-/app/dlrgate.jar}
url=${DLRGATE_WEB_UI_URL:-http://127.0.0.1:8080/}
password=${DLRGATE_DEMO_PASSWORD:-}
if [[ -z $password ]]; then
  # 24 characters from 18 random bytes, letters and digits only (nothing to quote when typed).
  password=$(head -c 18 /dev/urandom | base64 | tr -d '/+=\n')
fi
# shellcheck disable=SC2086 # JAVA_OPTS is a list of options
printf '%s\n' "$password" | java ${JAVA_OPTS:-} -jar "$jar" user add demo --role admin --password-stdin
echo "Web UI: ${url}  log in as demo / ${password}"
