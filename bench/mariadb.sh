#!/usr/bin/env bash
# MariaDB benchmark on the local suite, each figure next to its raw baseline in the same run:
#   1. create -> ACTIVE/HEALTHY of a MariaDB instance (with a database and a user) against the raw
#      steps (mariadb-install-db, start mariadbd, create the database and the user), alternated
#      raw, Coffer, Coffer, raw;
#   2. a full backup (POST /backups -> COMPLETED) against raw `mariadb-backup --backup --stream` of
#      the same data to the same disk, alternated raw, Coffer, raw, page cache dropped before each;
#   3. restore of that backup into a new instance (POST -> ACTIVE/HEALTHY);
#   4. replica creation and switchover (promote) with that data.
#
#   bench/mariadb.sh [data-MB]     (default 1024; brings the local suite up if needed)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
COFFER_HOME=${COFFER_HOME:-$HOME/.coffer}
MB=${1:-1024}
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
mbps() { awk -v b="$1" -v ms="$2" 'BEGIN { printf "%.0f", b / 1e6 / (ms / 1000) }'; }
replica_of() { show "$1" | /usr/bin/python3 -c 'import json, sys; print((json.load(sys.stdin)["instance"].get("replica_of") or {}).get("id", ""))'; }
drop_caches() { sync; if [ "$(id -u)" -eq 0 ]; then echo 3 >/proc/sys/vm/drop_caches 2>/dev/null || true; fi; }
sql() { mariadb -h "$1" -u bench -p"$PW" -N -B bench -e "$2"; }

healthy() { local s; s=$(show "$1"); [ "$(field "$s" status)/$(field "$s" operating_status)" = ACTIVE/HEALTHY ]; }
await_healthy() {
  while ! healthy "$1"; do
    [ "$(field "$(show "$1")" status)" = ERROR ] && { echo "instance $1 failed: $(show "$1")" >&2; exit 1; }
    sleep 0.05
  done
}

create() { # name [backup|replica-of] -> id
  local extra=", \"databases\": [{\"name\": \"bench\"}], \"users\": [{\"name\": \"bench\", \"password\": \"$PW\", \"databases\": [{\"name\": \"bench\"}]}]"
  [ "${2:-}" = backup ] && extra=", \"restorePoint\": {\"backupRef\": \"$3\"}"
  if [ "${2:-}" = replica ]; then # a replica takes its source's flavor and datastore
    field "$(curl -fsS "${AUTH[@]}" -H 'Content-Type: application/json' -X POST "$API/instances" -d \
      "{\"instance\": {\"name\": \"$1\", \"replica_of\": \"$3\"}}")" id
    return
  fi
  field "$(curl -fsS "${AUTH[@]}" -H 'Content-Type: application/json' -X POST "$API/instances" -d \
    "{\"instance\": {\"name\": \"$1\", \"flavorRef\": \"2\", \"volume\": {\"size\": $(((MB * 3) / 1024 + 2))},
      \"datastore\": {\"type\": \"mariadb\", \"version\": \"10.11\"}$extra}}")" id
}

created=()
raw_dirs=()
cleanup() {
  # replicas first: a source is deleted once it has none left
  local pass id left
  for ((pass = 0; pass < 60; pass++)); do
    left=0
    for id in "${created[@]}"; do
      code=$(curl -s -o /dev/null -w '%{http_code}' "${AUTH[@]}" -X DELETE "$API/instances/$id")
      [ "$code" = 403 ] && left=1
    done
    [ $left = 0 ] && break
    sleep 2
  done
  for d in "${raw_dirs[@]}"; do
    [ -f "$d/mariadbd.pid" ] && kill "$(cat "$d/mariadbd.pid")" 2>/dev/null || true
    sleep 1
    rm -rf "$d"
  done
  ip addr del 127.0.9.9/32 dev lo 2>/dev/null || true
}
trap cleanup EXIT

# the raw steps, as an unprivileged user on a loopback address of their own
RAW_USER=$([ "$(id -u)" -eq 0 ] && echo nobody || id -un)
as_raw() { if [ "$(id -u)" -eq 0 ]; then runuser -u "$RAW_USER" -- "$@"; else "$@"; fi; }
[ "$(id -u)" -eq 0 ] && ip addr add 127.0.9.9/32 dev lo 2>/dev/null || true
raw_create() { # -> ms
  local d start
  d=$(mktemp -d /tmp/coffer-raw-mariadb.XXXXXX)
  raw_dirs+=("$d")
  chown "$RAW_USER" "$d" 2>/dev/null || true
  printf '[mysqld]\ndatadir=%s/data\nsocket=%s/sock\npid-file=%s/mariadbd.pid\nlog-error=%s/err\nbind-address=127.0.9.9\nport=3306\nskip-name-resolve\n' \
    "$d" "$d" "$d" "$d" >"$d/my.cnf"
  start=$(now_ms)
  as_raw mariadb-install-db --defaults-file="$d/my.cnf" --auth-root-authentication-method=socket --skip-test-db >/dev/null 2>&1
  as_raw setsid /usr/sbin/mariadbd --defaults-file="$d/my.cnf" >/dev/null 2>&1 </dev/null &
  until [ -S "$d/sock" ]; do sleep 0.02; done
  as_raw mariadb --no-defaults --socket="$d/sock" -u "$RAW_USER" -e \
    "CREATE DATABASE bench; CREATE USER bench@'%' IDENTIFIED BY '$PW'; GRANT ALL ON bench.* TO bench@'%'"
  echo $(($(now_ms) - start))
  kill "$(cat "$d/mariadbd.pid")"
  while [ -f "$d/mariadbd.pid" ]; do sleep 0.05; done
}
coffer_create() { # -> ms
  local id start
  start=$(now_ms)
  id=$(create mariadb-bench-create)
  created+=("$id")
  await_healthy "$id"
  echo $(($(now_ms) - start))
  curl -fsS "${AUTH[@]}" -X DELETE "$API/instances/$id" >/dev/null
}
r1=$(raw_create); c1=$(coffer_create); c2=$(coffer_create); r2=$(raw_create)
raw_avg=$(((r1 + r2) / 2)); coffer_avg=$(((c1 + c2) / 2))
echo "create raw (install-db + start + database + user): $r1 ms, $r2 ms: avg $raw_avg ms"
echo "create Coffer (POST -> ACTIVE/HEALTHY): $c1 ms, $c2 ms: avg $coffer_avg ms"
echo "  Coffer - raw: $((coffer_avg - raw_avg)) ms"

src=$(create mariadb-bench)
created+=("$src")
await_healthy "$src"
ip=$(ip_of "$src")
echo "source instance $src at $ip; loading $MB MB …"
rows=$((MB * 1024 * 1024 / 300))
sql "$ip" "CREATE TABLE t (id int PRIMARY KEY, pad char(255) NOT NULL) ENGINE=InnoDB"
chunk=500000
for ((from = 1; from <= rows; from += chunk)); do
  to=$((from + chunk - 1)); [ $to -gt $rows ] && to=$rows
  sql "$ip" "INSERT INTO t SELECT seq, repeat(char(97 + seq % 26), 255) FROM seq_${from}_to_${to}"
done
sql "$ip" "ANALYZE TABLE t" >/dev/null
echo "data: $(sql "$ip" "SELECT round(sum(data_length + index_length) / 1048576) FROM information_schema.tables WHERE table_schema = 'bench'") MB in table t ($rows rows)"
checksum=$(sql "$ip" "CHECKSUM TABLE t" | awk '{print $2}')

# raw mariadb-backup of the same server, to the same disk, as the instance's OS user
db_user=$(stat -c %U "$INSTANCES/$src/data")
as_db() { if [ "$(id -u)" -eq 0 ]; then runuser -u "$db_user" -- "$@"; else "$@"; fi; }
raw_backup() { # -> "bytes ms"
  local d start
  d=$(mktemp -d "$INSTANCES/../raw-mariabackup.XXXXXX")
  [ "$(id -u)" -eq 0 ] && chown "$db_user" "$d"
  drop_caches
  start=$(now_ms)
  as_db bash -c "mariadb-backup --defaults-file='$INSTANCES/$src/my.cnf' --backup --stream=xbstream --target-dir='$d' --socket='$INSTANCES/$src/run/mariadbd.sock' --user='$db_user' 2>/dev/null >'$d/backup.xb'"
  sync
  echo "$(stat -c %s "$d/backup.xb") $(($(now_ms) - start))"
  rm -rf "$d"
}
coffer_backup() { # -> "bytes ms id"
  local start id shown location
  drop_caches
  start=$(now_ms)
  id=$(field "$(curl -fsS "${AUTH[@]}" -H 'Content-Type: application/json' -X POST "$API/backups" \
    -d "{\"backup\": {\"name\": \"bench\", \"instance\": \"$src\"}}")" id)
  while :; do
    shown=$(curl -fsS "${AUTH[@]}" "$API/backups/$id")
    [ "$(field "$shown" status)" = COMPLETED ] && break
    [ "$(field "$shown" status)" = FAILED ] && { echo "backup failed: $shown" >&2; exit 1; }
    sleep 0.05
  done
  location=$(field "$shown" locationRef)
  echo "$(stat -c %s "${location#file://}") $(($(now_ms) - start)) $id"
}
read -r rb1 rm1 < <(raw_backup)
read -r cb cm backup < <(coffer_backup)
read -r rb2 rm2 < <(raw_backup)
raw_rate=$(awk -v a="$rb1" -v b="$rm1" -v c="$rb2" -v d="$rm2" 'BEGIN { printf "%.0f", (a / 1e6 / (b / 1000) + c / 1e6 / (d / 1000)) / 2 }')
coffer_rate=$(mbps "$cb" "$cm")
echo "raw mariadb-backup --stream: $((rb1 / 1048576)) MB in $rm1 ms, $((rb2 / 1048576)) MB in $rm2 ms: avg $raw_rate MB/s"
echo "Coffer backup (POST -> COMPLETED): $((cb / 1048576)) MB in $cm ms = $coffer_rate MB/s"
echo "  backup vs raw mariadb-backup: $(awk -v a="$coffer_rate" -v b="$raw_rate" 'BEGIN { printf "%.2f", a / b }')x"

start=$(now_ms)
restored=$(create mariadb-bench-restored backup "$backup")
created+=("$restored")
await_healthy "$restored"
restore_ms=$(($(now_ms) - start))
echo "Coffer restore of $((cb / 1048576)) MB (POST -> ACTIVE/HEALTHY, new server included): $restore_ms ms"
restored_sum=$(sql "$(ip_of "$restored")" "CHECKSUM TABLE t" | awk '{print $2}')
echo "restored data check: source $checksum, restored $restored_sum"
[ "$checksum" = "$restored_sum" ] || { echo "MISMATCH" >&2; exit 1; }
curl -fsS "${AUTH[@]}" -X DELETE "$API/instances/$restored" >/dev/null

start=$(now_ms)
replica=$(create mariadb-bench-replica replica "$src")
created+=("$replica")
await_healthy "$replica"
echo "replica creation with $((cb / 1048576)) MB (POST -> ACTIVE/HEALTHY): $(($(now_ms) - start)) ms"
start=$(now_ms)
curl -fsS "${AUTH[@]}" -H 'Content-Type: application/json' -X POST "$API/instances/$replica/action" \
  -d '{"promote_to_replica_source": {}}' >/dev/null
until [ -z "$(replica_of "$replica")" ] && [ "$(replica_of "$src")" = "$replica" ] && healthy "$replica" && healthy "$src"; do
  sleep 0.05
done
echo "switchover (promote -> both ACTIVE/HEALTHY): $(($(now_ms) - start)) ms"
curl -fsS "${AUTH[@]}" -X DELETE "$API/backups/$backup" >/dev/null
echo "cleanup: the backup and the instances are deleted"
