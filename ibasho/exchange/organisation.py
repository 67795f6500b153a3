"""The whole organisation in one encrypted archive, and back into an empty installation.

Inside the archive (see docs/export.md):
- `data/<app>.<model>.jsonl`: every row, one JSON object per line, keyed by column name, exact
  values (what `import-organisation` reads);
- `csv/<app>.<model>.csv`: the same rows for Excel (UTF-8 with BOM, CRLF);
- `manifest.json`: the organisation, the time, the schema (migrations), each table's row count
  and file checksums; `SHA256SUMS` in the format `sha256sum -c` reads; `README.txt`.
Encrypted fields are decrypted into the archive only; the import encrypts them again with the
receiving installation's keys."""

from __future__ import annotations

import base64
import csv
import datetime as dt
import decimal
import hashlib
import io
import json
import uuid
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.translation import gettext as _

from ibasho.accounts.models import Organisation
from ibasho.audit.services import record_audit
from ibasho.exchange import container
from ibasho.exchange.tables import Table, domain_models, organisation_tables
from ibasho.lib.fields import EncryptedTextField

FORMAT = "ibasho-organisation"
VERSION = 1
BATCH = 2000
Progress = Callable[[int], None]

README = """Ibasho organisation export / 組織データの書き出し

data/*.jsonl  every table, one JSON object per line (exact values; used to import)
              全テーブル（1行1レコードのJSON。取り込みに使用）
csv/*.csv     the same rows for Excel (UTF-8 with BOM) / 同じ内容のCSV（Excelで開けます）
manifest.json tables, row counts, checksums, schema / テーブル・件数・チェックサム
SHA256SUMS    check with: sha256sum -c SHA256SUMS

Notes that Ibasho stores encrypted are in plain text here: keep this archive encrypted and
delete it when it is no longer needed.
暗号化して保存している記録も、ここでは平文です。暗号化したまま保管し、不要になったら削除してください。
"""


def jsonable(value: Any) -> Any:
    """A column's value as JSON, exactly (full microseconds, offsets kept)."""
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, dt.timedelta):
        return value.total_seconds()
    if isinstance(value, bytes | memoryview):
        return base64.b64encode(bytes(value)).decode()
    return value


def _csv_cell(value: Any) -> Any:
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return value


def _columns(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    return list(model._meta.concrete_fields)


def schema_state() -> dict[str, str]:
    """The newest applied migration of each app whose tables the archive holds."""
    apps_needed = {t.model._meta.app_label for t in organisation_tables()}
    applied: dict[str, str] = {}
    for app, name in MigrationRecorder(connection).applied_migrations():
        if app in apps_needed and name > applied.get(app, ""):
            applied[app] = name
    return applied


@contextmanager
def snapshot() -> Iterator[None]:
    """Every table read as of one moment, while the app keeps writing."""
    if connection.in_atomic_block:  # the caller's transaction is the snapshot
        yield
        return
    if connection.vendor == "postgresql":
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield
        return
    # SQLite (WAL): a deferred read transaction sees one snapshot and blocks no writer.
    connection.ensure_connection()
    with connection.cursor() as cursor:
        cursor.execute("BEGIN DEFERRED")
    try:
        yield
    finally:
        with connection.cursor() as cursor, suppress(Exception):
            cursor.execute("COMMIT")


def export_organisation(
    organisation: Organisation,
    out: str | Path,
    passphrase: str,
    *,
    by: Any = None,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """Write the archive; returns its manifest. Audited."""
    container.check_passphrase(passphrase)
    tables = organisation_tables()
    manifest: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "organisation": {"code": str(organisation.code), "name": organisation.name},
        "exported_at": timezone.now().isoformat(),
        "schema": schema_state(),
        "tables": [],
    }
    with container.writing(out, passphrase) as archive, snapshot():
        archive.put("README.txt", README.encode())
        for number, table in enumerate(tables, start=1):
            manifest["tables"].append(_write_table(archive, table, organisation.pk))
            if progress:
                progress(int(number * 100 / len(tables)))
        sums = "".join(f"{digest}  {name}\n" for name, digest in sorted(archive.sums.items()))
        archive.put("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=1).encode())
        archive.put("SHA256SUMS", sums.encode())
    record_audit(
        "exchange.organisation_exported",
        by=by,
        organisation=organisation,
        target=organisation,
        count=next(t["rows"] for t in manifest["tables"] if t["table"] == "people.person"),
    )
    return manifest


def _converter(field: models.Field[Any, Any]) -> Callable[[Any], Any] | None:
    """How a column's values become JSON (None: they already are)."""
    if isinstance(field, models.DateTimeField | models.DateField | models.TimeField):
        return lambda v: None if v is None else v.isoformat()
    if isinstance(field, models.UUIDField | models.DecimalField):
        return lambda v: None if v is None else str(v)
    if isinstance(field, models.JSONField | models.BinaryField | models.DurationField):
        return jsonable
    return None


def _write_table(archive: container.Archive, table: Table, organisation_id: int) -> dict[str, Any]:
    """One pass over the rows: the JSON goes straight into its entry, the CSV is kept
    compressed in memory (never on disk: it holds decrypted notes) and follows it."""
    columns = _columns(table.model)
    names = [f.attname for f in columns]
    converters = [(i, c) for i, f in enumerate(columns) if (c := _converter(f)) is not None]
    rows = table.rows(organisation_id).order_by("pk").values_list(*names)
    count = 0
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow(names)
    packer = zlib.compressobj(1)
    packed = [packer.compress(("\ufeff" + text.getvalue()).encode())]
    chunk: list[list[Any]] = []

    def flush(out: container.HashingWriter) -> None:
        lines = [json.dumps(dict(zip(names, row, strict=True)), ensure_ascii=False)
                 for row in chunk]  # fmt: skip
        out.write(("\n".join(lines) + "\n").encode())
        text.seek(0)
        text.truncate()
        writer.writerows([["" if v is None else _csv_cell(v) for v in row] for row in chunk])
        packed.append(packer.compress(text.getvalue().encode()))
        chunk.clear()

    with archive.entry(f"data/{table.name}.jsonl") as out:
        for values in rows.iterator(chunk_size=BATCH):
            row = list(values)
            for index, convert in converters:
                row[index] = convert(row[index])
            chunk.append(row)
            count += 1
            if len(chunk) >= BATCH:
                flush(out)
        if chunk:
            flush(out)
    packed.append(packer.flush())
    with archive.entry(f"csv/{table.name}.csv") as out:
        unpacker = zlib.decompressobj()
        while packed:
            out.write(unpacker.decompress(packed.pop(0)))
        out.write(unpacker.flush())
    return {
        "table": table.name,
        "model": table.label,
        "db_table": table.model._meta.db_table,
        "rows": count,
        "columns": names,
        "decrypted": [f.attname for f in columns if isinstance(f, EncryptedTextField)],
        "sha256": {
            "json": archive.sums[f"data/{table.name}.jsonl"],
            "csv": archive.sums[f"csv/{table.name}.csv"],
        },
    }


# -- import ----------------------------------------------------------------------------------


def read_manifest(archive: container.Archive) -> dict[str, Any]:
    try:
        manifest = json.loads(archive.read("manifest.json"))
    except (KeyError, ValueError) as error:
        raise ValidationError(_("The archive has no readable manifest.")) from error
    if manifest.get("format") != FORMAT or manifest.get("version") != VERSION:
        raise ValidationError(_("The archive is not an Ibasho organisation export (version 1)."))
    return manifest


def _non_empty_tables() -> list[str]:
    return [t.name for t in organisation_tables() if t.model._base_manager.exists()]


@contextmanager
def _timestamps_as_given() -> Iterator[None]:
    """auto_now and auto_now_add would stamp the import's time over the exported one."""
    changed = []
    for model in domain_models():
        for field in model._meta.concrete_fields:
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                changed.append((field, field.auto_now, field.auto_now_add))  # type: ignore[attr-defined]
                field.auto_now = field.auto_now_add = False  # type: ignore[attr-defined]
    try:
        yield
    finally:
        for field, now, now_add in changed:
            field.auto_now, field.auto_now_add = now, now_add  # type: ignore[attr-defined]


def import_organisation(
    path: str | Path, passphrase: str, *, progress: Progress | None = None
) -> Organisation:
    """Load an archive into an installation that holds no organisation yet, exactly as
    exported (keys, codes, times, passwords' hashes, the audit trail). All or nothing."""
    with container.reading(path, passphrase) as archive:
        manifest = read_manifest(archive)
        models_by_name = {t.name: t.model for t in organisation_tables()}
        unknown = [t["table"] for t in manifest["tables"] if t["table"] not in models_by_name]
        if unknown:
            raise ValidationError(
                _("The archive holds tables this installation does not have: %(t)s")
                % {"t": ", ".join(unknown)}
            )
        if manifest["schema"] != schema_state():
            raise ValidationError(
                _(
                    "The archive was made by a different version of Ibasho (its database "
                    "migrations differ). Upgrade both to the same version first."
                )
            )
        occupied = _non_empty_tables()
        if occupied:
            raise ValidationError(
                _("The installation is not empty (%(t)s): import only into a new one.")
                % {"t": ", ".join(occupied[:5])}
            )
        with transaction.atomic():
            with _timestamps_as_given():
                for number, entry in enumerate(manifest["tables"], start=1):
                    _load_table(archive, models_by_name[entry["table"]], entry)
                    if progress:
                        progress(int(number * 100 / len(manifest["tables"])))
            _reset_sequences([models_by_name[t["table"]] for t in manifest["tables"]])
            organisation = Organisation.objects.get(code=manifest["organisation"]["code"])
            # Search hashes (phones) are keyed by this installation's field key, not the
            # archive's: compute them again.
            for entry in manifest["tables"]:
                refresh = getattr(models_by_name[entry["table"]], "refresh_search_hashes", None)
                if refresh is not None:
                    refresh(organisation.pk)
            record_audit(
                "exchange.organisation_imported", by=None, organisation=organisation,
                target=organisation,
            )  # fmt: skip
    return organisation


def _load_table(
    archive: container.Archive, model: type[models.Model], entry: dict[str, Any]
) -> None:
    fields = {f.attname: f for f in _columns(model)}
    if set(entry["columns"]) != set(fields):
        raise ValidationError(
            _("The columns of %(t)s differ from this installation's.") % {"t": entry["table"]}
        )
    name = f"data/{entry['table']}.jsonl"
    digest = hashlib.sha256()
    batch: list[models.Model] = []
    count = 0
    for line in archive.lines(name):
        digest.update(line)
        values = json.loads(line)
        batch.append(model(**{a: _python(fields[a], v) for a, v in values.items()}))
        count += 1
        if len(batch) >= BATCH:
            model._base_manager.bulk_create(batch)
            batch = []
    if batch:
        model._base_manager.bulk_create(batch)
    if digest.hexdigest() != entry["sha256"]["json"] or count != entry["rows"]:
        raise ValidationError(
            _("%(t)s does not match its checksum: the archive is damaged.") % {"t": name}
        )


def _python(field: models.Field[Any, Any], value: Any) -> Any:
    if value is None or isinstance(field, models.JSONField):
        return value
    if isinstance(field, models.BinaryField):
        return base64.b64decode(value)
    if isinstance(field, models.DurationField):
        return dt.timedelta(seconds=value)
    return field.to_python(value)


def _reset_sequences(loaded: list[type[models.Model]]) -> None:
    """PostgreSQL's id sequences start after the loaded keys (SQLite follows by itself)."""
    statements = connection.ops.sequence_reset_sql(no_style(), loaded)
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
