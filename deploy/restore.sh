#!/usr/bin/env bash
# Restore a backup made by deploy/backup.sh into a NEW, EMPTY database, and its files.
#
#   deploy/restore.sh BACKUP_FOLDER TARGET_DATABASE_URL [--files]
#
# 1. Create the database first:  sudo -u postgres createdb -O portal portal_restored
# 2. deploy/restore.sh /var/backups/portal/portal-20270102T023000Z \
#        postgres://portal:secret@127.0.0.1:5432/portal_restored --files
# 3. Point DATABASE_URL at it in /etc/portal.env, run `manage.py migrate` (a no-op when the
#    code is the backup's), restart portal-web, portal-worker and portal-scheduler.
#
# Why a new database: the audit trail is append-only, a PostgreSQL trigger refuses every
# UPDATE and DELETE of its rows; restoring over existing data (pg_restore --clean, or
# --data-only into a used database) would have to remove rows and must not be done. In a new
# database pg_restore loads the rows first and creates the trigger after, as it was.
#
# --files extracts private.tar.gz and media.tar.gz into PRIVATE_MEDIA_ROOT and MEDIA_ROOT
# (or PORTAL_VAR_DIR/private, /media), which must be empty or absent.
set -euo pipefail

# Connection settings from a postgres:// URL into libpq's PG* variables, so that the
# password never appears on a command line (visible to every local user in `ps`).
pg_env() {
    eval "$(python3 - "$1" <<'PY'
import shlex, sys
from urllib.parse import unquote, urlsplit
url = urlsplit(sys.argv[1])
values = {"PGHOST": url.hostname or "", "PGPORT": str(url.port or ""), "PGUSER": unquote(url.username or ""),
          "PGPASSWORD": unquote(url.password or ""), "PGDATABASE": unquote(url.path.lstrip("/"))}
for key, value in values.items():
    print(f"export {key}={shlex.quote(value)}" if value else f"unset {key}")
PY
)"
}

die() { echo "restore: $*" >&2; exit 1; }

[ $# -ge 2 ] || die "usage: deploy/restore.sh BACKUP_FOLDER TARGET_DATABASE_URL [--files]"
source_dir="$1"
target_url="$2"
with_files="${3:-}"

[ -f "$source_dir/database.dump" ] || die "$source_dir/database.dump not found"
[ ! -e "$source_dir/.incomplete" ] || die "$source_dir is an incomplete backup"
case "$target_url" in postgres://*|postgresql://*) ;; *) die "TARGET_DATABASE_URL must be a PostgreSQL URL" ;; esac
if [ -f "$source_dir/SHA256SUMS" ]; then
    (cd "$source_dir" && sha256sum --quiet --check SHA256SUMS) || die "checksums do not match: damaged backup"
fi

pg_env "$target_url"
tables="$(psql -XtAc "select count(*) from pg_tables where schemaname = 'public'")" \
    || die "cannot connect to the target database (create it first: createdb -O portal NAME)"
[ "$tables" = "0" ] || die "the target database is not empty ($tables tables): restore into a new database"

# One transaction: a failed restore leaves the database empty, never half restored.
pg_restore --no-owner --no-privileges --exit-on-error --single-transaction --dbname="$PGDATABASE" \
    "$source_dir/database.dump"
echo "restore: database restored into $PGDATABASE"

if [ "$with_files" = "--files" ]; then
    VAR_DIR="${PORTAL_VAR_DIR:-./var}"
    extract() {  # extract NAME FOLDER
        [ -f "$source_dir/$1.tar.gz" ] || { echo "restore: no $1.tar.gz in the backup" >&2; return 0; }
        if [ -d "$2" ] && [ -n "$(ls -A "$2")" ]; then
            die "$2 is not empty: move it away first"
        fi
        mkdir -p "$2"
        tar -C "$2" -xzf "$source_dir/$1.tar.gz"
        echo "restore: $1 files restored into $2"
    }
    extract private "${PRIVATE_MEDIA_ROOT:-$VAR_DIR/private}"
    extract media "${MEDIA_ROOT:-$VAR_DIR/media}"
fi
