#!/usr/bin/env bash
# Restore a backup made by ops/backup.sh into DATABASE_URL and MEDIA_ROOT.
#
#   BACKUP         the backup's path without extension, e.g. var/backups/chophien-20260101T020000Z (required)
#   DATABASE_URL   the database to restore into (its objects are replaced)        (required)
#   MEDIA_ROOT     where the media files go (its content is replaced)             (default var/media)
#   RESTORE_CONFIRM=yes   required: a restore overwrites what is there
#   PG_RESTORE     the pg_restore command, e.g. "docker compose exec -T postgres pg_restore" (default pg_restore)
#
# Stop the web, worker and beat processes first; run `manage.py migrate` and `manage.py search_reindex` after.
set -euo pipefail

: "${BACKUP:?set BACKUP=var/backups/chophien-<timestamp>}"
: "${DATABASE_URL:?set DATABASE_URL to restore into}"
MEDIA_ROOT="${MEDIA_ROOT:-var/media}"
PG_RESTORE="${PG_RESTORE:-pg_restore}"
if [ "${RESTORE_CONFIRM:-}" != "yes" ]; then
  echo "restore: this replaces the database and the media files; run again with RESTORE_CONFIRM=yes" >&2
  exit 2
fi

dir="$(dirname "$BACKUP")"
(cd "$dir" && sha256sum --check --quiet "$(basename "$BACKUP").sha256")

$PG_RESTORE --clean --if-exists --no-owner --no-privileges --single-transaction --exit-on-error \
  --dbname="$DATABASE_URL" < "$BACKUP.dump"

mkdir -p "$MEDIA_ROOT"
staging="$(mktemp -d "${MEDIA_ROOT%/}.restore.XXXXXX")"
tar -xzf "$BACKUP.media.tar.gz" -C "$staging"
# Swap the folder's content only once the archive unpacked whole.
find "$MEDIA_ROOT" -mindepth 1 -maxdepth 1 -exec rm -rf {} +
cp -a "$staging/." "$MEDIA_ROOT/"
rm -rf "$staging"
echo "restore: $BACKUP restored; now run manage.py migrate and manage.py search_reindex"
