#!/usr/bin/env bash
# Backup and restore benchmark: a PostgreSQL instance filled with ~1 GB (pgbench), backed up through
# the API (POST /backups -> COMPLETED) and restored into a new instance (restorePoint -> ACTIVE),
# next to a plain pg_basebackup of the same data to the same disk, in the same run. Prints MB/s.
#
#   bench/backup.sh [pgbench-scale]     (default 68, about 1 GB; brings the local suite up if needed)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
COFFER_HOME=${COFFER_HOME:-$HOME/.coffer}
SCALE=${1:-68}
export COFFER_DEMO=0
"$ROOT/deploy/local/coffer" up >/dev/null
# shellcheck disable=SC1091
. "$COFFER_HOME/credentials"
API=http://127.0.0.1:${COFFER_API_PORT:-8779}/v1.0/$COFFER_DEMO_PROJECT
AUTH=(-H "X-Auth-Token: $COFFER_DEMO_TOKEN")
if [ "$(id -u)" -eq 0 ]; then INSTANCES=${COFFER_TASKMANAGER_LOCAL_BASE_DIR:-/var/lib/coffer/instances}; else INSTANCES=${COFFER_TASKMANAGER_LOCAL_BASE_DIR:-$COFFER_HOME/instances}; fi
PW=bench-Secret-$RANDOM

field() { grep -o "\"$2\": *\"[^\"]*\"" <<<"$1" | head -1 | sed 's/.*: *"\(.*\)"/\1/'; }
number() { grep -o "\"$2\": *[0-9.eE+-]*" <<<"$1" | head -1 | sed 's/.*: *//'; }
now_ms() { date +%s%3N; }
ip_of() { grep -o '"ip": *\["[^"]*' <<<"$(curl -fsS "${AUTH[@]}" "$API/instances/$1")" | sed 's/.*"//'; }
mbps() { awk -v b="$1" -v ms="$2" 'BEGIN { printf "%.0f", b / 1e6 / (ms / 1000) }'; }

await_active() { # id -> ms waited
  local start show
  start=$(now_ms)
  while :; do
    show=$(curl -fsS "${AUTH[@]}" "$API/instances/$1")
    [ "$(field "$show" status)/$(field "$show" operating_status)" = ACTIVE/HEALTHY ] && break
    [ "$(field "$show" status)" = ERROR ] && { echo "instance $1 failed: $show" >&2; exit 1; }
    sleep 0.05
  done
  echo $(($(now_ms) - start))
}

create() { # name [backup] -> id
  local restore=""
  [ $# -gt 1 ] && restore=", \"restorePoint\": {\"backupRef\": \"$2\"}"
  field "$(curl -fsS "${AUTH[@]}" -H 'Content-Type: application/json' -X POST "$API/instances" -d \
    "{\"instance\": {\"name\": \"$1\", \"flavorRef\": \"2\", \"volume\": {\"size\": 5},
      \"datastore\": {\"type\": \"postgresql\", \"version\": \"15\"},
      \"databases\": [{\"name\": \"bench\"}],
      \"users\": [{\"name\": \"bench\", \"password\": \"$PW\", \"databases\": [{\"name\": \"bench\"}]}]$restore}}")" id
}

created=()
cleanup() {
  for id in "${created[@]}"; do curl -fsS "${AUTH[@]}" -X DELETE "$API/instances/$id" >/dev/null 2>&1 || true; done
}
trap cleanup EXIT

src=$(create backup-bench)
created+=("$src")
await_active "$src" >/dev/null
ip=$(ip_of "$src")
echo "source instance $src at $ip; loading pgbench scale $SCALE …"
PGPASSWORD=$PW pgbench -q -i -s "$SCALE" -h "$ip" -U bench bench 2>&1 | tail -1
bytes=$(PGPASSWORD=$PW psql -qAt -h "$ip" -U bench -d bench -c "SELECT sum(pg_database_size(datname)) FROM pg_database")
echo "data: $((bytes / 1024 / 1024)) MB in all databases"
PGPASSWORD=$PW psql -qAt -h "$ip" -U bench -d bench -c "CHECKPOINT" >/dev/null 2>&1 || true

# plain pg_basebackup of the same data, to the same disk, as the database's OS user (the
# instance's own user when the local driver isolates instances)
plain=$(mktemp -d "$INSTANCES/../plain-basebackup.XXXXXX")
db_user=$(stat -c %U "$INSTANCES/$src/data")
[ "$(id -u)" -eq 0 ] && chown "$db_user" "$plain"
as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u "$db_user" -- "$@"; else "$@"; fi; }
sync
start=$(now_ms)
as_pg /usr/lib/postgresql/15/bin/pg_basebackup -h "$INSTANCES/$src/run" -U postgres -D "$plain/b" -Ft -X fetch --checkpoint=fast --no-manifest
sync
plain_ms=$(($(now_ms) - start))
plain_bytes=$(du -sb "$plain/b" | cut -f1)
echo "plain pg_basebackup -Ft: $((plain_bytes / 1024 / 1024)) MB in $plain_ms ms = $(mbps "$plain_bytes" "$plain_ms") MB/s"
rm -rf "$plain"

start=$(now_ms)
backup=$(field "$(curl -fsS "${AUTH[@]}" -H 'Content-Type: application/json' -X POST "$API/backups" \
  -d "{\"backup\": {\"name\": \"bench\", \"instance\": \"$src\"}}")" id)
while :; do
  shown=$(curl -fsS "${AUTH[@]}" "$API/backups/$backup")
  [ "$(field "$shown" status)" = COMPLETED ] && break
  [ "$(field "$shown" status)" = FAILED ] && { echo "backup failed: $shown" >&2; exit 1; }
  sleep 0.05
done
backup_ms=$(($(now_ms) - start))
location=$(field "$shown" locationRef)
backup_bytes=$(stat -c %s "${location#file://}")
echo "Coffer backup (POST -> COMPLETED): $((backup_bytes / 1024 / 1024)) MB in $backup_ms ms = $(mbps "$backup_bytes" "$backup_ms") MB/s"
grep -h "backup $backup (full)" "$INSTANCES/$src/logs/guest.log" | tail -1 | sed 's/.*backup [^ ]* (full): /  guest side: /'
echo "  backup vs plain pg_basebackup: $(awk -v a="$plain_ms" -v b="$backup_ms" 'BEGIN { printf "%.0f", 100 * a / b }') %"

start=$(now_ms)
restored=$(create backup-bench-restored "$backup")
created+=("$restored")
await_active "$restored" >/dev/null
restore_ms=$(($(now_ms) - start))
echo "Coffer restore (POST -> ACTIVE/HEALTHY, new server included): $restore_ms ms = $(mbps "$backup_bytes" "$restore_ms") MB/s"
grep -h "restore: unpacked\|restore of backup" "$INSTANCES/$restored/logs/guest.log" | sed 's/.*INFO *\[[^]]*\] ([^)]*) */  guest side: /'
rip=$(ip_of "$restored")
a=$(PGPASSWORD=$PW psql -qAt -h "$ip" -U bench -d bench -c "SELECT count(*), sum(abalance) FROM pgbench_accounts")
b=$(PGPASSWORD=$PW psql -qAt -h "$rip" -U bench -d bench -c "SELECT count(*), sum(abalance) FROM pgbench_accounts")
echo "restored data check: source $a, restored $b"
[ "$a" = "$b" ] || { echo "MISMATCH" >&2; exit 1; }

curl -fsS "${AUTH[@]}" -X DELETE "$API/backups/$backup" >/dev/null
echo "cleanup: the backup and the 2 instances are deleted"
