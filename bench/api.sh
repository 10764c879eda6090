#!/usr/bin/env bash
# API throughput benchmark: GET /v1.0/{p}/instances (20 per page) and GET /instances/{id} with
# 1,000 instances in the infrastructure database, 32 concurrent connections, measured with wrk.
#
#   bench/api.sh [seconds]      (default 30 s per run; brings the local suite up if needed)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
COFFER_HOME=${COFFER_HOME:-$HOME/.coffer}
DURATION=${1:-30}
WARMUP=$((DURATION < 5 ? DURATION : 5))
API=http://127.0.0.1:${COFFER_API_PORT:-8779}
export PGPASSWORD=${COFFER_DB_PASSWORD:-coffer}
PSQL=(psql -h 127.0.0.1 -U "${COFFER_DB_USER:-coffer}" -d "${COFFER_DB_NAME:-coffer}" -qAt -v ON_ERROR_STOP=1)

if ! command -v wrk >/dev/null; then
  if [ "$(id -u)" -eq 0 ]; then AS_ROOT=(); else AS_ROOT=(sudo); fi
  "${AS_ROOT[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  "${AS_ROOT[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
fi
"$ROOT/deploy/local/coffer" up >/dev/null
# shellcheck disable=SC1091
. "$COFFER_HOME/credentials"

PROJECT=bench$(head -c 8 /dev/urandom | od -An -tx1 | tr -d ' \n')
VERSION=$("${PSQL[@]}" -c "SELECT id FROM datastore_versions WHERE manager = 'postgresql' LIMIT 1")
trap '"${PSQL[@]}" -c "DELETE FROM service_statuses WHERE instance_id IN (SELECT id FROM instances WHERE tenant_id = '"'"'$PROJECT'"'"'); DELETE FROM instances WHERE tenant_id = '"'"'$PROJECT'"'"';"' EXIT

"${PSQL[@]}" <<SQL
INSERT INTO instances (id, created, updated, name, task_id, task_description, tenant_id, server_status,
                       datastore_version_id, flavor_id, volume_size, region_id, addresses)
SELECT gen_random_uuid()::text, now() - (n || ' seconds')::interval, now(), 'bench-' || n, 1,
       'No tasks for the instance.', '$PROJECT', 'ACTIVE', '$VERSION', '1', 1, 'RegionOne',
       '[{"address": "127.0.0.' || (n % 250 + 2) || '", "type": "private"}]'
FROM generate_series(1, 1000) AS n;
INSERT INTO service_statuses (id, instance_id, status_id, status_description, updated_at)
SELECT gen_random_uuid()::text, id, 33, 'healthy', now() FROM instances WHERE tenant_id = '$PROJECT';
SQL
ONE=$("${PSQL[@]}" -c "SELECT id FROM instances WHERE tenant_id = '$PROJECT' ORDER BY id LIMIT 1")

run() {
  local name=$1 url=$2
  # warm-up, then the measured run
  wrk -t2 -c32 -d"$WARMUP"s -H "X-Auth-Token: $COFFER_ADMIN_TOKEN" "$url" >/dev/null
  echo "== $name ($url)"
  wrk -t2 -c32 -d"${DURATION}s" --latency -H "X-Auth-Token: $COFFER_ADMIN_TOKEN" "$url" |
    grep -E "Requests/sec|Latency  |50%|90%|99%|Non-2xx|requests in"
}
run "list, 20 per page, 1000 instances" "$API/v1.0/$PROJECT/instances"
run "show one instance" "$API/v1.0/$PROJECT/instances/$ONE"
