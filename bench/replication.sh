#!/usr/bin/env bash
# Replication benchmark on the local suite: replica creation time for a ~1 GB source (pgbench),
# switchover (promote) time and failover (eject, counted from the moment the source's heartbeat
# expiry has passed) time, median of 3 each.
#
#   bench/replication.sh [pgbench-scale] [runs]
#                 (default 68, about 1 GB, and 3 runs; brings the local suite up if needed)
#
# A failover waits for the API's heartbeat expiry (90 s by default) once per run.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
COFFER_HOME=${COFFER_HOME:-$HOME/.coffer}
SCALE=${1:-68}
RUNS=${2:-3}
export COFFER_DEMO=0
"$ROOT/deploy/local/coffer" up >/dev/null
# shellcheck disable=SC1091
. "$COFFER_HOME/credentials"
API=http://127.0.0.1:${COFFER_API_PORT:-8779}/v1.0/$COFFER_DEMO_PROJECT
AUTH=(-H "X-Auth-Token: $COFFER_DEMO_TOKEN")
if [ "$(id -u)" -eq 0 ]; then INSTANCES=${COFFER_TASKMANAGER_LOCAL_BASE_DIR:-/var/lib/coffer/instances}; else INSTANCES=${COFFER_TASKMANAGER_LOCAL_BASE_DIR:-$COFFER_HOME/instances}; fi
PW=bench-Secret-$RANDOM

field() { grep -o "\"$2\": *\"[^\"]*\"" <<<"$1" | head -1 | sed 's/.*: *"\(.*\)"/\1/' || true; }
show() { curl -fsS "${AUTH[@]}" "$API/instances/$1"; }
now_ms() { date +%s%3N; }
ip_of() { grep -o '"ip": *\["[^"]*' <<<"$(show "$1")" | sed 's/.*"//'; }
replica_of() { show "$1" | /usr/bin/python3 -c 'import json, sys; print((json.load(sys.stdin)["instance"].get("replica_of") or {}).get("id", ""))'; }
median() { printf '%s\n' "$@" | sort -n | sed -n "$((($# + 1) / 2))p"; }

healthy() { local s; s=$(show "$1"); [ "$(field "$s" status)/$(field "$s" operating_status)" = ACTIVE/HEALTHY ]; }
await_healthy() {
  while ! healthy "$1"; do
    [ "$(field "$(show "$1")" status)" = ERROR ] && { echo "instance $1 failed: $(show "$1")" >&2; exit 1; }
    sleep 0.1
  done
}

post() { curl -fsS "${AUTH[@]}" -H 'Content-Type: application/json' -X POST "$API/$1" -d "$2"; }
action() { curl -s -o /dev/null -w '%{http_code}' "${AUTH[@]}" -H 'Content-Type: application/json' -X POST "$API/instances/$1/action" -d "{\"$2\": {}}"; }

created=()
cleanup() {
  for id in "${created[@]}"; do
    action "$id" reset_status >/dev/null 2>&1 || true
    curl -fsS "${AUTH[@]}" -X DELETE "$API/instances/$id" >/dev/null 2>&1 || true
  done
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# kills an instance's database and guest agent (as a host crash would), if they are still ours
kill_instance() {
  local d=$INSTANCES/$1 pid pgid
  pid=$(head -1 "$d/data/postmaster.pid" 2>/dev/null || true)
  [ -n "$pid" ] && [ "$(readlink "/proc/$pid/cwd" 2>/dev/null)" = "$(cd "$d/data" && pwd -P)" ] && kill -KILL "$pid"
  pgid=$(cat "$d/guest.pid" 2>/dev/null || true)
  if [ -n "$pgid" ] && [[ "$({ tr '\0' ' ' <"/proc/$pgid/cmdline"; } 2>/dev/null)" == *quarkus-run.jar* ]]; then
    kill -KILL -- "-$pgid"
  fi
  return 0
}

new_replica() { # source -> replica id, prints creation time
  local start id
  start=$(now_ms)
  id=$(field "$(post instances "{\"instance\": {\"name\": \"bench-replica\", \"replica_of\": \"$1\"}}")" id)
  created+=("$id")
  await_healthy "$id"
  echo "$id $(($(now_ms) - start))"
}

src=$(field "$(post instances "{\"instance\": {\"name\": \"bench-source\", \"flavorRef\": \"2\", \"volume\": {\"size\": 5},
  \"datastore\": {\"type\": \"postgresql\", \"version\": \"15\"}, \"databases\": [{\"name\": \"bench\"}],
  \"users\": [{\"name\": \"bench\", \"password\": \"$PW\", \"databases\": [{\"name\": \"bench\"}]}]}}")" id)
created+=("$src")
await_healthy "$src"
PGPASSWORD=$PW pgbench -q -i -s "$SCALE" -h "$(ip_of "$src")" -U bench bench 2>&1 | tail -1
bytes=$(PGPASSWORD=$PW psql -qAt -h "$(ip_of "$src")" -U bench -d bench -c "SELECT sum(pg_database_size(datname)) FROM pg_database")
echo "source $src: $((bytes / 1024 / 1024)) MB"

creates=()
replicas=()
for n in $(seq 1 $RUNS); do
  read -r id ms < <(new_replica "$src")
  replicas+=("$id")
  creates+=("$ms")
  echo "replica $n created (copied and following): $ms ms"
done

switchovers=()
current=$src
for n in $(seq 1 $RUNS); do
  candidate=${replicas[0]}
  start=$(now_ms)
  [ "$(action "$candidate" promote_to_replica_source)" = 202 ] || { echo "promote refused" >&2; exit 1; }
  while [ "$(replica_of "$current")" != "$candidate" ] || ! healthy "$candidate" || ! healthy "$current"; do
    [ "$(field "$(show "$candidate")" status)" = ERROR ] && { echo "promotion failed: $(show "$candidate")" >&2; exit 1; }
    sleep 0.05
  done
  ms=$(($(now_ms) - start))
  switchovers+=("$ms")
  echo "switchover $n ($current -> $candidate): $ms ms"
  replicas=("${replicas[@]:1}" "$current")
  current=$candidate
done

failovers=()
for n in $(seq 1 $RUNS); do
  kill_instance "$current"
  echo "failover $n: source $current killed, waiting for its heartbeat to expire …"
  while [ "$(action "$current" eject_replica_source)" != 202 ]; do sleep 0.25; done
  start=$(now_ms)
  while :; do
    new=""
    for r in "${replicas[@]}"; do
      if [ -z "$(replica_of "$r")" ] && healthy "$r"; then new=$r; fi
    done
    [ -n "$new" ] && break
    sleep 0.05
  done
  ms=$(($(now_ms) - start))
  failovers+=("$ms")
  echo "failover $n: $new is the source $ms ms after the expiry"
  dead=$current
  current=$new
  survivors=()
  for r in "${replicas[@]}"; do [ "$r" != "$new" ] && survivors+=("$r"); done
  curl -fsS "${AUTH[@]}" -X DELETE "$API/instances/$dead" >/dev/null || true
  if [ "$n" -lt $RUNS ]; then
    read -r id _ < <(new_replica "$current")
    survivors+=("$id")
  fi
  replicas=("${survivors[@]}")
done

echo
echo "replica creation (1 GB source): median $(median "${creates[@]}") ms (${creates[*]})"
echo "switchover (promote):            median $(median "${switchovers[@]}") ms (${switchovers[*]})"
echo "failover (eject, after expiry):  median $(median "${failovers[@]}") ms (${failovers[*]})"
