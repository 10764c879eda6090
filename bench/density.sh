#!/usr/bin/env bash
# Density benchmark: many small instances on one host, on the local compute driver.
#
#   bench/density.sh [count] [idle-seconds] [settle-seconds]
#                    (default 50, 30 and 60; brings the local suite up if needed)
#
# Prints, in this order:
#   - create -> ACTIVE/HEALTHY of one m1.tiny instance on a host without the fleet (the baseline;
#     measured again once the fleet is gone, so that the order alternates);
#   - the time until a burst of <count> creates is all ACTIVE/HEALTHY;
#   - once the fleet has settled for <settle-seconds> (the guests' compilers done with their start),
#     memory per instance: the guest agent's and the database server's proportional set size (PSS:
#     shared pages divided among the processes sharing them) beside their resident size (RSS);
#   - the fleet's CPU use at idle over <idle-seconds>, in % of one core;
#   - create -> ACTIVE/HEALTHY of one more instance while the fleet runs, and its ratio to the
#     baseline.
# Reading other users' /proc/<pid>/smaps_rollup needs root (the local driver's instances each run as
# a user of their own when it runs as root).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
COFFER_HOME=${COFFER_HOME:-$HOME/.coffer}
COUNT=${1:-50}
IDLE=${2:-30}
SETTLE=${3:-60}
export COFFER_DEMO=0
"$ROOT/deploy/local/coffer" up >/dev/null
# shellcheck disable=SC1091
. "$COFFER_HOME/credentials"
BASE=http://127.0.0.1:${COFFER_API_PORT:-8779}/v1.0
API=$BASE/$COFFER_DEMO_PROJECT
AUTH=(-H "X-Auth-Token: $COFFER_DEMO_TOKEN")
ADMIN=(-H "X-Auth-Token: $COFFER_ADMIN_TOKEN")
if [ "$(id -u)" -eq 0 ]; then INSTANCES=${COFFER_TASKMANAGER_LOCAL_BASE_DIR:-/var/lib/coffer/instances}; else INSTANCES=${COFFER_TASKMANAGER_LOCAL_BASE_DIR:-$COFFER_HOME/instances}; fi
TICKS=$(getconf CLK_TCK)

field() { grep -o "\"$2\": *\"[^\"]*\"" <<<"$1" | head -1 | sed 's/.*: *"\(.*\)"/\1/'; }
now_ms() { date +%s%3N; }

QUOTAS=$BASE/admin/mgmt/quotas/$COFFER_DEMO_PROJECT
# the project's quotas as they are, given back at the end
original=$(curl -fsS "${ADMIN[@]}" "$QUOTAS" | /usr/bin/python3 -c '
import json, sys
q = {e["resource"]: e["limit"] for e in json.load(sys.stdin)["quotas"]}
print(json.dumps({"quotas": {k: q[k] for k in ("instances", "volumes", "ram") if k in q}}))')

ids=()
cleanup() {
  local id
  for id in "${ids[@]}"; do curl -sS -o /dev/null "${AUTH[@]}" -X DELETE "$API/instances/$id" || true; done
  curl -sS -o /dev/null "${ADMIN[@]}" -H 'Content-Type: application/json' -X PUT "$QUOTAS" -d "$original" || true
}
trap cleanup EXIT

# room for the fleet in the project's quotas (raised only: -1 is unlimited)
total=$((COUNT + 4))
raised=$(/usr/bin/python3 -c '
import json, sys
q = json.loads(sys.argv[1])["quotas"]
need = {"instances": int(sys.argv[2]), "volumes": int(sys.argv[2]), "ram": int(sys.argv[2]) * 512}
print(json.dumps({"quotas": {k: (v if q.get(k, 0) < 0 else max(q.get(k, 0), v)) for k, v in need.items()}}))
' "$original" "$total")
curl -fsS -o /dev/null "${ADMIN[@]}" -H 'Content-Type: application/json' -X PUT "$QUOTAS" -d "$raised"

create() { # name -> id
  local body
  body=$(curl -fsS "${AUTH[@]}" -H 'Content-Type: application/json' -X POST "$API/instances" -d \
    "{\"instance\": {\"name\": \"$1\", \"flavorRef\": \"1\", \"volume\": {\"size\": 1},
      \"datastore\": {\"type\": \"postgresql\", \"version\": \"15\"}, \"databases\": [{\"name\": \"app\"}],
      \"users\": [{\"name\": \"app\", \"password\": \"density-pw-1\", \"databases\": [{\"name\": \"app\"}]}]}}")
  field "$body" id
}

ready() { # id -> 0 when ACTIVE/HEALTHY; exits on ERROR
  local show
  show=$(curl -fsS "${AUTH[@]}" "$API/instances/$1")
  [ "$(field "$show" status)" = ERROR ] && { echo "instance $1 failed: $show" >&2; exit 1; }
  [ "$(field "$show" status)/$(field "$show" operating_status)" = ACTIVE/HEALTHY ]
}

remove() { # ids... : deletes and waits until they are gone
  local id left
  for id in "$@"; do curl -fsS -o /dev/null "${AUTH[@]}" -X DELETE "$API/instances/$id"; done
  for _ in $(seq 1 1200); do
    left=0
    for id in "$@"; do
      [ "$(curl -sS -o /dev/null -w '%{http_code}' "${AUTH[@]}" "$API/instances/$id")" = 404 ] || left=1
    done
    [ "$left" = 0 ] && return 0
    sleep 0.5
  done
  echo "instances not deleted within 10 minutes" >&2
  exit 1
}

one() { # name -> ms from POST to ACTIVE/HEALTHY (the instance is deleted again)
  local start id t
  start=$(now_ms)
  id=$(create "$1")
  ids+=("$id")
  until ready "$id"; do sleep 0.05; done
  t=$(($(now_ms) - start))
  remove "$id"
  ids=("${ids[@]/$id/}")
  echo "$t"
}

# processes of an instance: its guest agent (by its process group) and its database server (by its
# working directory, the data directory)
guest_pid() { pgrep -g "$(cat "$INSTANCES/$1/guest.pid")" java | head -1; }
pg_pids() {
  local data p
  data=$(cd "$INSTANCES/$1/data" && pwd -P)
  for p in /proc/[0-9]*; do
    [ "$(readlink "$p/cwd" 2>/dev/null)" = "$data" ] && echo "${p#/proc/}"
  done
  return 0
}
mem_kb() { # field pids... -> sum of the smaps_rollup field in kB
  local f=$1 p sum=0 v
  shift
  for p in "$@"; do
    v=$(awk -v f="$f:" '$1 == f {print $2}' "/proc/$p/smaps_rollup" 2>/dev/null || echo 0)
    sum=$((sum + ${v:-0}))
  done
  echo "$sum"
}
cpu_ticks() { # pids... -> utime + stime of all of them
  local p sum=0 t
  for p in "$@"; do
    t=$(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || echo 0)
    sum=$((sum + ${t:-0}))
  done
  echo "$sum"
}

echo "== density: $COUNT m1.tiny PostgreSQL instances on $(nproc) cores, $(awk '/MemTotal/ {printf "%d", $2 / 1048576}' /proc/meminfo) GB"
base1=$(one density-baseline-1)
echo "create -> ACTIVE/HEALTHY without the fleet (baseline, before): $base1 ms"

start=$(now_ms)
fleet=()
for n in $(seq 1 "$COUNT"); do
  id=$(create "density-$n")
  fleet+=("$id")
  ids+=("$id")
done
pending=("${fleet[@]}")
while [ ${#pending[@]} -gt 0 ]; do
  still=()
  for id in "${pending[@]}"; do ready "$id" || still+=("$id"); done
  pending=("${still[@]+"${still[@]}"}")
  [ ${#pending[@]} -gt 0 ] && sleep 0.5
done
echo "burst of $COUNT creates: all ACTIVE/HEALTHY after $(($(now_ms) - start)) ms"

sleep "$SETTLE"
guests=()
pgs=()
for id in "${fleet[@]}"; do
  guests+=("$(guest_pid "$id")")
  mapfile -t p < <(pg_pids "$id")
  pgs+=("${p[@]}")
done
g_pss=$(mem_kb Pss "${guests[@]}")
g_rss=$(mem_kb Rss "${guests[@]}")
p_pss=$(mem_kb Pss "${pgs[@]}")
p_rss=$(mem_kb Rss "${pgs[@]}")
echo "guest agent per instance: PSS $((g_pss / COUNT / 1024)) MB, RSS $((g_rss / COUNT / 1024)) MB"
echo "database server per instance (all its processes): PSS $((p_pss / COUNT / 1024)) MB, RSS $((p_rss / COUNT / 1024)) MB"

pct() { awk -v d="$1" -v hz="$TICKS" -v s="$IDLE" 'BEGIN {printf "%.1f", 100 * d / hz / s}'; }
g0=$(cpu_ticks "${guests[@]}")
p0=$(cpu_ticks "${pgs[@]}")
sleep "$IDLE"
g1=$(cpu_ticks "${guests[@]}")
p1=$(cpu_ticks "${pgs[@]}")
echo "fleet CPU at idle over ${IDLE} s: $(pct $((g1 - g0 + p1 - p0))) % of one core ($COUNT instances: guest agents $(pct $((g1 - g0))) %, database servers $(pct $((p1 - p0))) %)"

loaded=$(one density-one-more)
echo "create -> ACTIVE/HEALTHY of one more while $COUNT run: $loaded ms"

remove "${fleet[@]}"
ids=()
base2=$(one density-baseline-2)
echo "create -> ACTIVE/HEALTHY without the fleet (baseline, after): $base2 ms"
echo "one more under load vs baseline: $(awk -v l="$loaded" -v a="$base1" -v b="$base2" 'BEGIN {printf "%.2f", l / ((a + b) / 2)}')x"
