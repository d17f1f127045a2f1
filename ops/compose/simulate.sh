#!/usr/bin/env bash
# The docker-compose `simulator` service: simulated carriers alpha, beta and gamma bound to the gateway, and a
# campaign sent through the gateway's API every SIM_SEND_EVERY seconds, so the dashboard keeps filling.
# It runs in the HAProxy container's network namespace (network_mode: service:haproxy): the simulator only
# ever targets loopback addresses, and 127.0.0.1 here is HAProxy, in front of both gateway instances. The
# carriers' counters are served at :9464/metrics on the container's interfaces (not published), so Prometheus
# scrapes them as haproxy:9464.
set -euo pipefail
jar=${DLRGATE_JAR:-/app/dlrgate.jar}
api=${DLRGATE_SIM_GATEWAY_URL:-http://127.0.0.1:8080}
key=${DLRGATE_API_KEY:?set DLRGATE_API_KEY to the gateway API key}
every=${SIM_SEND_EVERY:-20}
size=${SIM_CAMPAIGN_SIZE:-60}

java ${JAVA_OPTS:-} -jar "$jar" sim carrier \
  --system-id alpha,beta,gamma --password alpha-pw,beta-pw,gamma-pw \
  --port "${DLRGATE_SMPP_PORT:-2775}" \
  --weights "${SIM_WEIGHTS:-DELIVRD=80,UNDELIV=8,EXPIRED=5,DELETED=4,REJECTD=3}" \
  --enroute --delay-ms "${SIM_DELAY_MS:-200..8000}" --stats-every 60 \
  --metrics-port "${SIM_METRICS_PORT:-9464}" --metrics-host "${SIM_METRICS_HOST:-0.0.0.0}" &
carriers=$!
trap 'kill "$carriers" 2>/dev/null || true' EXIT INT TERM

post() { curl -fsS -H "Authorization: Bearer $key" -H 'Content-Type: application/json' -d "$2" "$api$1"; }

n=0
while kill -0 "$carriers" 2>/dev/null; do
  sleep "$every"
  n=$((n + 1))
  contacts=$(for i in $(seq 1 "$size"); do
      case $((RANDOM % 3)) in
        0) printf '"+4477009%05d",' $((RANDOM % 100000)) ;;
        1) printf '"+336120%05d",' $((RANDOM % 100000)) ;;
        *) printf '"+1202555%04d",' $((RANDOM % 10000)) ;;
      esac
    done)
  id=$(post /api/v1/campaigns "{\"name\":\"compose traffic $n\",\"content\":\"dlrgate compose traffic, wave $n\",\"createdBy\":\"simulator\"}" \
       | sed -E 's/.*"id":([0-9]+).*/\1/') || { echo "simulate: creating a campaign failed" >&2; continue; }
  post "/api/v1/campaigns/$id/sends" "{\"contacts\":[${contacts%,}],\"sentBy\":\"simulator\"}" >/dev/null \
    || echo "simulate: sending campaign $id failed" >&2
done
wait "$carriers"
