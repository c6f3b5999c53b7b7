"""One connection to an archive, SQLite or PostgreSQL, through plain DB-API (sqlite3, psycopg 3).

The SQL is written once with `?` placeholders; the few statements that differ (full text, upserts, week
buckets) are chosen by `dialect`. Every error a user can act on becomes an ArchiveError with one line."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from newsbrief.archive import schema
from newsbrief.errors import NewsbriefError

DEFAULT_PATH = "newsbrief.db"
BUSY_TIMEOUT_S = 30.0  # a second writer waits this long for the first one's transaction
_SQLITE_HEADER = b"SQLite format 3\x00"


class ArchiveError(NewsbriefError):
    """The archive cannot be opened or written; the message says why and what was (not) stored."""


class ArchiveBusy(ArchiveError):
    """Another writer held the archive for longer than the busy timeout."""


def _redact(url: str) -> str:
    """The URL without its password, for messages."""
    return re.sub(r"(//[^:/@]+):[^@]*@", r"\1:***@", url)


def is_postgres_url(url: str) -> bool:
    return url.startswith(("postgresql://", "postgres://"))


class Database:
    def __init__(self, url: str | Path | None = None, *, busy_timeout: float = BUSY_TIMEOUT_S):
        url = str(url or DEFAULT_PATH)
        self.url = url
        self.label = _redact(url)
        if is_postgres_url(url):
            self.dialect = "postgresql"
            self.conn = self._connect_postgres(url)
        else:
            self.dialect = "sqlite"
            self.conn = self._connect_sqlite(url.removeprefix("sqlite:///").removeprefix("sqlite://"), busy_timeout)
        self.unaccent = False
        try:
            self._migrate()
        except BaseException:
            self.close()
            raise

    # --- connecting ---------------------------------------------------------------------------------

    def _connect_sqlite(self, path: str, busy_timeout: float) -> sqlite3.Connection:
        file = Path(path)
        if file.is_dir():
            raise ArchiveError(f"{path} is a directory, not an archive file")
        if file.exists() and file.stat().st_size > 0:
            with open(file, "rb") as f:
                if f.read(16) != _SQLITE_HEADER:
                    raise ArchiveError(f"{path} is not a newsbrief archive (not a SQLite database)")
        if not file.parent.exists():
            raise ArchiveError(f"{path}: the directory {file.parent} does not exist")
        try:
            # Autocommit mode: transactions are opened explicitly (BEGIN IMMEDIATE), one per story.
            conn = sqlite3.connect(path, timeout=busy_timeout, isolation_level=None, check_same_thread=False)
            conn.execute("PRAGMA journal_mode=WAL")  # readers never block the writer, nor it them
            conn.execute("PRAGMA synchronous=NORMAL")  # WAL + NORMAL: a crash loses no committed story
            conn.execute("PRAGMA foreign_keys=ON")
            conn.execute("PRAGMA cache_size=-65536")  # 64 MiB of pages (the default 2 MiB thrashes on big archives)
            conn.execute("PRAGMA mmap_size=268435456")
        except sqlite3.Error as e:
            raise ArchiveError(f"{path}: cannot open the archive ({e})") from None
        return conn

    def _connect_postgres(self, url: str):
        try:
            import psycopg
        except ImportError:  # pragma: no cover - psycopg is a dependency
            raise ArchiveError("PostgreSQL archives need psycopg: pip install 'psycopg[binary]'") from None
        parts = urlsplit(url)
        if not parts.hostname and "host=" not in (parts.query or ""):
            raise ArchiveError(f"{self.label}: a PostgreSQL URL needs a host (postgresql://user@host:port/db)")
        try:
            return psycopg.connect(url, autocommit=True, connect_timeout=10)
        except psycopg.Error as e:
            reason = str(e).strip().splitlines()[-1] if str(e).strip() else type(e).__name__
            raise ArchiveError(f"cannot connect to PostgreSQL at {self.label}: {reason}") from None

    def close(self) -> None:
        try:
            self.conn.close()
        except Exception:  # closing a broken connection must not hide the error that broke it
            pass

    # --- statements ---------------------------------------------------------------------------------

    def sql(self, statement: str) -> str:
        return statement.replace("?", "%s") if self.dialect == "postgresql" else statement

    def execute(self, statement: str, params: Sequence[Any] = ()) -> Any:
        with self.errors():
            return self.conn.execute(self.sql(statement), params)

    def rows(self, statement: str, params: Sequence[Any] = ()) -> list[tuple]:
        with self.errors():
            return self.conn.execute(self.sql(statement), params).fetchall()

    def value(self, statement: str, params: Sequence[Any] = ()) -> Any:
        rows = self.rows(statement, params)
        return rows[0][0] if rows else None

    def executemany(self, cursor: Any, statement: str, rows: Sequence[Sequence[Any]]) -> None:
        if rows:
            cursor.executemany(self.sql(statement), rows)

    def insert_returning(self, cursor: Any, statement: str, params: Sequence[Any]) -> int:
        """INSERT … and the new row's pk (both dialects know RETURNING: SQLite ≥ 3.35)."""
        return cursor.execute(self.sql(statement + " RETURNING pk"), params).fetchone()[0]

    @contextmanager
    def transaction(self) -> Iterator[Any]:
        """One write transaction: all of it is stored, or none of it. SQLite takes the write lock at
        BEGIN (IMMEDIATE), so two writers queue up instead of failing half-way."""
        with self.errors():
            if self.dialect == "sqlite":
                cursor = self.conn.cursor()
                cursor.execute("BEGIN IMMEDIATE")
                try:
                    yield cursor
                except BaseException:
                    cursor.execute("ROLLBACK") if self.conn.in_transaction else None
                    raise
                cursor.execute("COMMIT")
            else:
                with self.conn.transaction():
                    with self.conn.cursor() as cursor:
                        yield cursor

    @contextmanager
    def errors(self) -> Iterator[None]:
        """Database errors → ArchiveError with a message a user can act on."""
        try:
            yield
        except sqlite3.OperationalError as e:
            text = str(e)
            if "locked" in text or "busy" in text:
                raise ArchiveBusy(f"{self.label} is busy: another process held its write lock too long") from None
            if "disk is full" in text or "disk I/O error" in text:
                raise ArchiveError(f"{self.label}: the disk is full ({text})") from None
            raise ArchiveError(f"{self.label}: {text}") from None
        except sqlite3.DatabaseError as e:
            raise ArchiveError(f"{self.label} is not a usable newsbrief archive ({e})") from None
        except Exception as e:
            if self.dialect == "postgresql" and _is_psycopg_error(e):
                raise ArchiveError(_postgres_message(self.label, e)) from None
            raise

    # --- the schema ---------------------------------------------------------------------------------

    def tables(self) -> set[str]:
        if self.dialect == "sqlite":
            return {r[0] for r in self.rows("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")}
        return {r[0] for r in self.rows("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")}

    def version(self) -> int | None:
        """The archive's schema version; None for an empty database; ArchiveError for anything else."""
        tables = self.tables()
        if "newsbrief_meta" not in tables:
            if tables:
                raise ArchiveError(f"{self.label} is not a newsbrief archive (it holds other tables: "
                                   f"{', '.join(sorted(tables)[:5])})")
            return None
        meta = dict(self.rows("SELECT key, value FROM newsbrief_meta"))
        if meta.get("application") != schema.APPLICATION or not str(meta.get("version", "")).isdigit():
            raise ArchiveError(f"{self.label} is not a newsbrief archive (its metadata names {meta.get('application')!r})")
        return int(meta["version"])

    def _migrate(self, target: int = schema.VERSION) -> None:
        current = self.version()
        if current is not None and current > schema.VERSION:
            raise ArchiveError(f"{self.label} has archive schema version {current}, newer than this newsbrief "
                               f"knows ({schema.VERSION}); upgrade newsbrief to use it")
        if self.dialect == "postgresql":
            self._enable_unaccent()
        if current is not None and current >= target:
            return
        steps = schema.MIGRATIONS[self.dialect][current or 0 : target]
        with self.transaction() as cursor:
            if current is None:
                cursor.execute("CREATE TABLE newsbrief_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
                cursor.execute(self.sql("INSERT INTO newsbrief_meta VALUES ('application', ?)"), (schema.APPLICATION,))
                cursor.execute("INSERT INTO newsbrief_meta VALUES ('version', '0')")
            for step in steps:
                for statement in step:
                    cursor.execute(statement)
            cursor.execute(self.sql("UPDATE newsbrief_meta SET value = ? WHERE key = 'version'"), (str(target),))

    def _enable_unaccent(self) -> None:
        """PostgreSQL folds diacritics with the unaccent extension when it can be had; otherwise the text
        is folded in Python before it is indexed (the same `fold` the entity keys use)."""
        if self.value("SELECT count(*) FROM pg_extension WHERE extname = 'unaccent'"):
            self.unaccent = True
            return
        try:
            self.conn.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
            self.unaccent = True
        except Exception as e:
            if not _is_psycopg_error(e):
                raise


def _is_psycopg_error(error: BaseException) -> bool:
    return type(error).__module__.startswith("psycopg")


def _postgres_message(label: str, error: BaseException) -> str:
    reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    kind = type(error).__name__
    if kind == "InsufficientPrivilege":
        return f"{label}: the PostgreSQL user lacks the rights this needs ({reason})"
    if kind == "DiskFull":
        return f"{label}: the PostgreSQL server's disk is full ({reason})"
    if kind in ("OperationalError", "ConnectionTimeout", "AdminShutdown"):
        return f"{label}: the connection to PostgreSQL failed ({reason})"
    return f"{label}: {reason}"
