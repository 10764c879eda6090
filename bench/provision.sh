#!/usr/bin/env bash
# Provisioning benchmark: time from POST /instances to ACTIVE/HEALTHY for 5 creates (median, max),
# and the resident memory of one guest agent at idle.
#
#   bench/provision.sh [count]      (default 5; brings the local suite up if needed)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
COFFER_HOME=${COFFER_HOME:-$HOME/.coffer}
COUNT=${1:-5}
export COFFER_DEMO=0
"$ROOT/deploy/local/coffer" up >/dev/null
# shellcheck disable=SC1091
. "$COFFER_HOME/credentials"
API=http://127.0.0.1:${COFFER_API_PORT:-8779}/v1.0/$COFFER_DEMO_PROJECT
AUTH=(-H "X-Auth-Token: $COFFER_DEMO_TOKEN")
if [ "$(id -u)" -eq 0 ]; then INSTANCES=${COFFER_TASKMANAGER_LOCAL_BASE_DIR:-/var/lib/coffer/instances}; else INSTANCES=${COFFER_TASKMANAGER_LOCAL_BASE_DIR:-$COFFER_HOME/instances}; fi

field() { grep -o "\"$2\": *\"[^\"]*\"" <<<"$1" | head -1 | sed 's/.*: *"\(.*\)"/\1/'; }
now_ms() { date +%s%3N; }

ids=()
times=()
for n in $(seq 1 "$COUNT"); do
  start=$(now_ms)
  body=$(curl -fsS "${AUTH[@]}" -H 'Content-Type: application/json' -X POST "$API/instances" -d \
    "{\"instance\": {\"name\": \"bench-$n\", \"flavorRef\": \"1\", \"volume\": {\"size\": 1},
      \"datastore\": {\"type\": \"postgresql\", \"version\": \"15\"}, \"databases\": [{\"name\": \"app\"}],
      \"users\": [{\"name\": \"app\", \"password\": \"bench-pw-$n\", \"databases\": [{\"name\": \"app\"}]}]}}")
  id=$(field "$body" id)
  ids+=("$id")
  while :; do
    show=$(curl -fsS "${AUTH[@]}" "$API/instances/$id")
    [ "$(field "$show" status)/$(field "$show" operating_status)" = ACTIVE/HEALTHY ] && break
    [ "$(field "$show" status)" = ERROR ] && { echo "instance $id failed" >&2; exit 1; }
    sleep 0.05
  done
  t=$(($(now_ms) - start))
  times+=("$t")
  echo "create $n: $t ms to ACTIVE/HEALTHY"
done
sorted=$(printf '%s\n' "${times[@]}" | sort -n)
median=$(sed -n "$(((COUNT + 1) / 2))p" <<<"$sorted")
max=$(tail -1 <<<"$sorted")
echo "POST -> ACTIVE/HEALTHY over $COUNT creates: median $median ms, max $max ms"

sleep 15
pgid=$(cat "$INSTANCES/${ids[0]}/guest.pid")
java_pid=$(pgrep -g "$pgid" java | head -1)
rss_kb=$(awk '/VmRSS/ {print $2}' "/proc/$java_pid/status")
echo "guest agent RSS at idle (15 s after ready): $((rss_kb / 1024)) MB (pid $java_pid)"

for id in "${ids[@]}"; do curl -fsS "${AUTH[@]}" -X DELETE "$API/instances/$id" >/dev/null; done
echo "cleanup: ${#ids[@]} instance(s) deleted"
