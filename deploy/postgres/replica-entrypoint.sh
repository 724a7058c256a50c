#!/bin/sh
# A streaming read replica of the "db" service (hot standby, read-only). On first
# start it copies the primary with pg_basebackup (-R writes standby.signal and the
# connection to the primary); later starts just resume streaming. See docs/scaling.md.
set -eu
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  until pg_isready -h db -U replicator; do sleep 2; done
  PGPASSWORD="$REPLICATION_PASSWORD" pg_basebackup -h db -U replicator \
    -D "$PGDATA" -R -X stream --checkpoint=fast
  chmod 700 "$PGDATA"
fi
exec docker-entrypoint.sh postgres -c hot_standby=on
