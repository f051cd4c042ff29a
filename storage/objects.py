"""One object-store interface, two implementations: a local folder and any S3 endpoint.

The interface is the plain S3 subset every server speaks (MinIO, Ceph RGW, AWS, moto):
put, get, stat, list by prefix with `start_after`, server-side copy, delete, and a
viewing URL. Nothing here relies on MinIO-only calls (bucket notifications), so intake
polls with `start_after` paging.

Keys are `/`-separated strings. The local store maps them under one root folder and
refuses any key that could leave it (`..`, absolute paths, NUL, backslashes), so no key
that came from outside ever reaches the file system unchecked.
"""

from __future__ import annotations

import io
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Protocol


class StoreError(Exception):
    """The object store could not do what was asked (unreachable, refused)."""


class ObjectNotFound(StoreError):
    pass


class UnsafeKey(ValueError):
    """A key that cannot be stored safely (path traversal, control characters)."""


@dataclass(frozen=True)
class ObjectInfo:
    key: str
    size: int
    modified: datetime  # aware, UTC
    etag: str | None = None


class ObjectStore(Protocol):
    bucket: str

    def put(self, key: str, data: bytes, content_type: str = "application/octet-stream") -> ObjectInfo: ...
    def get(self, key: str) -> bytes: ...
    def stat(self, key: str) -> ObjectInfo: ...
    def list(self, prefix: str = "", start_after: str | None = None, limit: int | None = None) -> Iterator[ObjectInfo]: ...
    def copy(self, source: str, target: str) -> ObjectInfo: ...
    def delete(self, key: str) -> None: ...
    def url(self, key: str, expires: timedelta = timedelta(minutes=15)) -> str: ...


def check_key(key: str) -> str:
    """The key itself, or UnsafeKey when it could escape a folder or confuse a listing."""
    if not key or key.startswith("/") or "\\" in key or any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in key):
        raise UnsafeKey(f"unsafe object key {key!r}")
    parts = key.split("/")
    if any(part in (".", "..") for part in parts) or any(part == "" for part in parts[:-1]):
        raise UnsafeKey(f"unsafe object key {key!r}")
    if len(key.encode()) > 1024:
        raise UnsafeKey("object key longer than 1024 bytes")
    return key


# -- local folder ---------------------------------------------------------------------
_MARKER = ".dir"  # a key ending in "/" (an S3 folder placeholder) is kept as this file


class LocalStore:
    """A bucket as a folder: `<root>/<bucket>/<key>`. Writes are atomic (temp file, rename)."""

    def __init__(self, root: Path, bucket: str) -> None:
        self.bucket = bucket
        self.root = (Path(root) / bucket).resolve()
        self.root.mkdir(parents=True, exist_ok=True)

    def _path(self, key: str) -> Path:
        check_key(key)
        path = self.root / (key + _MARKER if key.endswith("/") else key)
        if self.root not in path.resolve().parents:
            raise UnsafeKey(f"unsafe object key {key!r}")
        return path

    def _key(self, path: Path) -> str:
        rel = path.relative_to(self.root).as_posix()
        return rel[: -len(_MARKER)] if rel.endswith("/" + _MARKER) or rel == _MARKER else rel

    @staticmethod
    def _info(key: str, path: Path) -> ObjectInfo:
        st = path.stat()
        return ObjectInfo(key, st.st_size, datetime.fromtimestamp(st.st_mtime, UTC), f"{st.st_size:x}-{st.st_mtime_ns:x}")

    def put(self, key: str, data: bytes, content_type: str = "application/octet-stream") -> ObjectInfo:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return self._info(key, path)

    def get(self, key: str) -> bytes:
        path = self._path(key)
        if not path.is_file():
            raise ObjectNotFound(key)
        return path.read_bytes()

    def stat(self, key: str) -> ObjectInfo:
        path = self._path(key)
        if not path.is_file():
            raise ObjectNotFound(key)
        return self._info(key, path)

    def list(self, prefix: str = "", start_after: str | None = None, limit: int | None = None) -> Iterator[ObjectInfo]:
        # S3 lists keys in UTF-8 byte order; sorting the encoded keys gives the same order.
        keys = []
        base = self.root / prefix.rsplit("/", 1)[0] if "/" in prefix else self.root
        if not base.is_dir():
            return
        for dirpath, _dirs, files in os.walk(base):
            for name in files:
                if name.startswith(".tmp-"):
                    continue
                key = self._key(Path(dirpath) / name)
                if key.startswith(prefix) and (start_after is None or key.encode() > start_after.encode()):
                    keys.append(key)
        keys.sort(key=str.encode)
        for n, key in enumerate(keys):
            if limit is not None and n >= limit:
                return
            path = self._path(key)
            if path.is_file():
                yield self._info(key, path)

    def copy(self, source: str, target: str) -> ObjectInfo:
        return self.put(target, self.get(source))

    def delete(self, key: str) -> None:
        path = self._path(key)
        path.unlink(missing_ok=True)
        # empty folders left behind would make the tree grow forever
        parent = path.parent
        while parent != self.root and parent.is_dir() and not any(parent.iterdir()):
            parent.rmdir()
            parent = parent.parent

    def url(self, key: str, expires: timedelta = timedelta(minutes=15)) -> str:
        return self._path(key).as_uri()


# -- S3 through the minio SDK -----------------------------------------------------------
class S3Store:
    """Any S3 endpoint through `minio`. Transport failures become StoreError."""

    def __init__(
        self,
        endpoint: str,
        access_key: str | None,
        secret_key: str | None,
        bucket: str,
        secure: bool = False,
        region: str = "us-east-1",
        create_bucket: bool = True,
    ) -> None:
        import urllib3
        from minio import Minio

        # Few, short retries: the flows retry with backoff themselves, and a dead endpoint
        # must surface as an error in seconds, not after urllib3's default minutes.
        http = urllib3.PoolManager(
            timeout=urllib3.Timeout(connect=3, read=30),
            retries=urllib3.Retry(total=2, backoff_factor=0.2, status_forcelist=[500, 502, 503, 504]),
        )
        # region= avoids a network call when presigning (the SDK would ask the server).
        self.client = Minio(endpoint, access_key, secret_key, secure=secure, region=region, http_client=http)
        self.bucket = bucket
        if create_bucket:
            self._call(bucket, self._ensure_bucket)

    def _ensure_bucket(self) -> None:
        if not self.client.bucket_exists(self.bucket):
            self.client.make_bucket(self.bucket)

    @staticmethod
    def _call(key: str, func, *args, **kwargs):
        """Run one SDK call; a missing key becomes ObjectNotFound, anything else StoreError."""
        from minio.error import S3Error

        try:
            return func(*args, **kwargs)
        except S3Error as exc:
            if exc.code in ("NoSuchKey", "NoSuchObject", "NotFound", "ResourceNotFound"):
                raise ObjectNotFound(key) from exc
            raise StoreError(f"S3 {exc.code}: {exc.message}") from exc
        except StoreError:
            raise
        except ValueError as exc:  # the SDK refuses to address the key (`.`/`..` segments)
            raise UnsafeKey(f"{key!r}: {exc}") from exc
        except Exception as exc:  # urllib3 / socket errors: the endpoint is unreachable
            raise StoreError(f"S3 unreachable: {type(exc).__name__}: {exc}") from exc

    @staticmethod
    def _aware(moment: datetime | None) -> datetime:
        if moment is None:
            return datetime.now(UTC)
        return moment if moment.tzinfo else moment.replace(tzinfo=UTC)

    def put(self, key: str, data: bytes, content_type: str = "application/octet-stream") -> ObjectInfo:
        check_key(key)
        result = self._call(key, self.client.put_object, self.bucket, key, io.BytesIO(data), len(data), content_type)
        return ObjectInfo(key, len(data), datetime.now(UTC), result.etag)

    def get(self, key: str) -> bytes:
        def fetch() -> bytes:
            response = self.client.get_object(self.bucket, key)
            try:
                return response.read()
            finally:
                response.close()
                response.release_conn()

        return self._call(key, fetch)

    def stat(self, key: str) -> ObjectInfo:
        found = self._call(key, self.client.stat_object, self.bucket, key)
        return ObjectInfo(key, found.size or 0, self._aware(found.last_modified), found.etag)

    def list(self, prefix: str = "", start_after: str | None = None, limit: int | None = None) -> Iterator[ObjectInfo]:
        listing = self.client.list_objects(self.bucket, prefix=prefix or None, recursive=True, start_after=start_after)
        iterator = iter(listing)
        n = 0
        while limit is None or n < limit:
            found = self._call(prefix, next, iterator, None)
            if found is None:
                return
            n += 1
            yield ObjectInfo(found.object_name, found.size or 0, self._aware(found.last_modified), found.etag)

    def copy(self, source: str, target: str) -> ObjectInfo:
        from minio.commonconfig import CopySource

        check_key(target)
        result = self._call(source, self.client.copy_object, self.bucket, target, CopySource(self.bucket, source))
        return ObjectInfo(target, 0, self._aware(getattr(result, "last_modified", None)), result.etag)

    def delete(self, key: str) -> None:
        self._call(key, self.client.remove_object, self.bucket, key)

    def url(self, key: str, expires: timedelta = timedelta(minutes=15)) -> str:
        return self._call(key, self.client.presigned_get_object, self.bucket, key, expires=expires)


def open_store(settings) -> ObjectStore:
    """The store the settings name: `local` (under the var dir) or `s3`."""
    if settings.store == "s3":
        if not settings.s3_endpoint:
            raise StoreError("DGINTAKE_STORE=s3 needs DGINTAKE_S3_ENDPOINT (host:port)")
        return S3Store(
            settings.s3_endpoint,
            settings.s3_access_key,
            settings.s3_secret_key,
            settings.bucket,
            secure=settings.s3_secure,
            region=settings.s3_region,
        )
    return LocalStore(Path(settings.var_dir) / "objects", settings.bucket)
