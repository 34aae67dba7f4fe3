#!/usr/bin/env bash
# Back up the database (pg_dump, custom format) and the media files (tar.gz) into BACKUP_DIR,
# then delete backups older than BACKUP_KEEP_DAYS. See README, "Running in production".
#
#   DATABASE_URL   postgres://user:password@host:port/name   (required; PostgreSQL only)
#   MEDIA_ROOT     media folder to archive                    (default var/media)
#   BACKUP_DIR     where backups go                           (default var/backups)
#   BACKUP_KEEP_DAYS  retention in days                       (default 14)
#   PG_DUMP        the pg_dump command (its major version must be >= the server's), e.g.
#                  "docker compose exec -T postgres pg_dump"  (default pg_dump)
set -euo pipefail

: "${DATABASE_URL:?set DATABASE_URL (PostgreSQL) to back up}"
case "$DATABASE_URL" in postgres://*|postgresql://*) ;; *) echo "backup: DATABASE_URL is not PostgreSQL" >&2; exit 2;; esac
MEDIA_ROOT="${MEDIA_ROOT:-var/media}"
BACKUP_DIR="${BACKUP_DIR:-var/backups}"
BACKUP_KEEP_DAYS="${BACKUP_KEEP_DAYS:-14}"
PG_DUMP="${PG_DUMP:-pg_dump}"

stamp="$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$BACKUP_DIR"
dump="$BACKUP_DIR/chophien-$stamp.dump"
media="$BACKUP_DIR/chophien-$stamp.media.tar.gz"

# Written under a temporary name and renamed when complete: a half-written file is never a backup.
$PG_DUMP --format=custom --no-owner --no-privileges --dbname="$DATABASE_URL" > "$dump.partial"
mv "$dump.partial" "$dump"
if [ -d "$MEDIA_ROOT" ]; then
  tar -czf "$media.partial" -C "$MEDIA_ROOT" .
else
  tar -czf "$media.partial" --files-from /dev/null
fi
mv "$media.partial" "$media"
(cd "$BACKUP_DIR" && sha256sum "$(basename "$dump")" "$(basename "$media")" > "chophien-$stamp.sha256")

find "$BACKUP_DIR" -maxdepth 1 -name 'chophien-*' -type f -mtime "+$BACKUP_KEEP_DAYS" -print -delete
echo "backup: $BACKUP_DIR/chophien-$stamp (.dump, .media.tar.gz, .sha256)"
