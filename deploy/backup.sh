#!/usr/bin/env bash
# Backup of the portal: the PostgreSQL database (pg_dump, custom format) and the files
# (private family documents and public media), in one dated folder with checksums.
#
#   set -a; . /etc/portal.env; set +a; deploy/backup.sh [TARGET_FOLDER]
#
# Reads DATABASE_URL, PRIVATE_MEDIA_ROOT, MEDIA_ROOT (or PORTAL_VAR_DIR), BACKUP_DIR
# (default /var/backups/portal) and BACKUP_KEEP_DAYS (default 14; 0 keeps everything).
# Prints the folder it wrote. Copy that folder off the server (it holds personal data:
# encrypt it on the way, e.g. restic or borg, and keep it as long as the commune decides).
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

die() { echo "backup: $*" >&2; exit 1; }

: "${DATABASE_URL:?backup: DATABASE_URL is not set (source /etc/portal.env)}"
case "$DATABASE_URL" in postgres://*|postgresql://*) ;; *) die "DATABASE_URL must be a PostgreSQL URL" ;; esac
command -v pg_dump >/dev/null || die "pg_dump is missing (apt-get install postgresql-client)"

VAR_DIR="${PORTAL_VAR_DIR:-./var}"
PRIVATE_DIR="${PRIVATE_MEDIA_ROOT:-$VAR_DIR/private}"
MEDIA_DIR="${MEDIA_ROOT:-$VAR_DIR/media}"
BACKUP_DIR="${BACKUP_DIR:-/var/backups/portal}"
KEEP_DAYS="${BACKUP_KEEP_DAYS:-14}"

stamp="$(date -u +%Y%m%dT%H%M%SZ)"
target="${1:-$BACKUP_DIR/portal-$stamp}"
umask 077
mkdir -p "$target"
partial="$target/.incomplete"
touch "$partial"

# The database first: the files copied after it are then a superset of what it points to.
pg_env "$DATABASE_URL"
pg_dump --format=custom --compress=6 --no-owner --no-privileges --file="$target/database.dump"

archive() {  # archive NAME FOLDER
    if [ -d "$2" ]; then
        tar -C "$2" -czf "$target/$1.tar.gz" .
    else
        echo "backup: $2 does not exist, $1 skipped" >&2
    fi
}
archive private "$PRIVATE_DIR"
archive media "$MEDIA_DIR"

{
    echo "created=$stamp"
    echo "host=$(hostname)"
    echo "pg_dump=$(pg_dump --version)"
    if [ -f manage.py ]; then echo "code=$(git rev-parse HEAD 2>/dev/null || echo unknown)"; fi
} > "$target/MANIFEST"
(cd "$target" && sha256sum database.dump $(ls private.tar.gz media.tar.gz 2>/dev/null) MANIFEST > SHA256SUMS)
rm -f "$partial"

# Retention: dated folders of this script older than KEEP_DAYS days.
if [ -z "${1:-}" ] && [ "$KEEP_DAYS" -gt 0 ]; then
    find "$BACKUP_DIR" -maxdepth 1 -type d -name 'portal-*' -mtime "+$KEEP_DAYS" -exec rm -rf {} +
fi
echo "$target"
