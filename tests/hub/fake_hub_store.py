"""In-memory repositories for the fake Hub (tests/hub/fake_hub.py): files, linear history, LFS objects.

Besides ``main`` a repo may hold other branches, each with its own linear history (as the Hub's orphan
``refs/convert/parquet`` branch written by the parquet-converter); clients only commit to ``main``.

A commit id is the sha1 of (parent, message, sorted (path, blob id)); a file's blob id is the git blob sha1 of
its content (of its LFS pointer for LFS files, as git stores them). Nothing here speaks HTTP.
"""

from __future__ import annotations

import base64
import hashlib
import json
import threading
import time
from dataclasses import dataclass

LFS_SUFFIXES = (".parquet", ".arrow", ".bin", ".safetensors", ".zip", ".gz", ".npy")
GITATTRIBUTES = b"".join(b"*%s filter=lfs diff=lfs merge=lfs -text\n" % s.encode() for s in LFS_SUFFIXES)


def git_blob_oid(data: bytes) -> str:
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def is_lfs_path(path: str, size: int) -> bool:
    """The upload mode the Hub would pick from `.gitattributes` (binary suffixes) or size (>= 10 MB)."""
    return path.endswith(LFS_SUFFIXES) or size >= 10_000_000


class HubError(Exception):
    """An error answer: HTTP status, message for `{"error": ...}` and the `X-Error-Code` header."""

    def __init__(self, status: int, message: str, code: str | None = None) -> None:
        super().__init__(message)
        self.status, self.message, self.code = status, message, code


@dataclass(frozen=True)
class StoredFile:
    path: str
    data: bytes
    lfs: bool

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    @property
    def pointer(self) -> bytes:
        return (
            f"version https://git-lfs.github.com/spec/v1\noid sha256:{self.sha256}\nsize {len(self.data)}\n".encode()
        )

    @property
    def oid(self) -> str:
        return git_blob_oid(self.pointer if self.lfs else self.data)

    @property
    def upload_oid(self) -> str:
        """What preupload reports as the remote oid: sha256 for LFS files, git sha1 otherwise."""
        return self.sha256 if self.lfs else self.oid

    def entry(self, last_commit: Commit | None = None) -> dict:
        out: dict = {"type": "file", "oid": self.oid, "size": len(self.data), "path": self.path}
        if self.lfs:
            out["lfs"] = {"oid": self.sha256, "size": len(self.data), "pointerSize": len(self.pointer)}
        if last_commit is not None:
            out["lastCommit"] = {"id": last_commit.oid, "title": last_commit.title, "date": last_commit.date}
        return out


@dataclass(frozen=True)
class Commit:
    oid: str
    parent: str | None
    title: str
    description: str
    date: str
    files: tuple[StoredFile, ...]

    def file(self, path: str) -> StoredFile | None:
        return next((f for f in self.files if f.path == path), None)


@dataclass(frozen=True)
class RepoState:
    """What a test asserts on: commit ids and titles (oldest first) and the files at the head."""

    repo_id: str
    history: tuple[str, ...]
    titles: tuple[str, ...]
    files: tuple[tuple[str, bytes], ...]

    @property
    def head(self) -> str:
        return self.history[-1]

    def file(self, path: str) -> bytes:
        return dict(self.files)[path]


class HubStore:
    """Repos keyed `"{type}s/{org}/{name}"` (e.g. `datasets/org/silver`); thread-safe."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self._repos: dict[str, list[Commit]] = {}
        self._branches: dict[str, dict[str, list[Commit]]] = {}
        self._lfs: dict[str, bytes] = {}

    # ---- repos and revisions ------------------------------------------------------------------------------
    def create(self, key: str) -> bool:
        """Create a repo with the Hub's initial commit (`.gitattributes`); False if it already exists."""
        with self.lock:
            if key in self._repos:
                return False
            self._repos[key] = []
            self._append(
                key, "initial commit", "", {".gitattributes": StoredFile(".gitattributes", GITATTRIBUTES, False)}
            )
            return True

    def history(self, key: str) -> list[Commit]:
        with self.lock:
            if key not in self._repos:
                raise HubError(404, "Repository not found", "RepoNotFound")
            return list(self._repos[key])

    def resolve(self, key: str, rev: str) -> Commit:
        history = self.history(key)
        if rev in ("main", "HEAD"):
            return history[-1]
        with self.lock:
            branches = self._branches.get(key, {})
            if rev in branches:
                return branches[rev][-1]
            for commit in history + [c for h in branches.values() for c in h]:
                if commit.oid == rev:
                    return commit
        raise HubError(404, f"Invalid rev id: {rev}", "RevisionNotFound")

    def history_of(self, key: str, commit: Commit) -> list[Commit]:
        """The linear history (main's or another branch's) that holds ``commit``."""
        with self.lock:
            for history in [self.history(key), *self._branches.get(key, {}).values()]:
                if any(c.oid == commit.oid for c in history):
                    return list(history)
        raise HubError(404, f"Invalid rev id: {commit.oid}", "RevisionNotFound")

    def commit_branch(self, key: str, branch: str, message: str, files: dict[str, StoredFile]) -> Commit:
        """A server-side commit of exactly ``files`` on ``branch`` (created as an orphan branch if needed)."""
        with self.lock:
            self.history(key)  # the repo must exist
            history = self._branches.setdefault(key, {}).setdefault(branch, [])
            return self._append(key, message, "", files, history)

    def state(self, key: str) -> RepoState:
        history = self.history(key)
        files = tuple(sorted((f.path, f.data) for f in history[-1].files))
        return RepoState(key.split("/", 1)[1], tuple(c.oid for c in history), tuple(c.title for c in history), files)

    # ---- LFS objects --------------------------------------------------------------------------------------
    def has_object(self, oid: str) -> bool:
        with self.lock:
            return oid in self._lfs

    def put_object(self, oid: str, data: bytes) -> None:
        if hashlib.sha256(data).hexdigest() != oid:
            raise HubError(400, f"LFS object {oid}: content does not match its sha256")
        with self.lock:
            self._lfs[oid] = data

    def get_object(self, oid: str) -> bytes:
        with self.lock:
            if oid not in self._lfs:
                raise HubError(404, f"LFS object {oid} not found")
            return self._lfs[oid]

    # ---- commits ------------------------------------------------------------------------------------------
    def commit(self, key: str, rev: str, lines: list[dict]) -> Commit:
        """Apply an NDJSON commit payload (header, file, lfsFile, deletedFile, deletedFolder) atomically."""
        with self.lock:
            head = self.resolve(key, rev)
            if rev not in ("main", "HEAD"):
                raise HubError(400, f"Can only commit to a branch, got revision '{rev}'")
            header = next((line["value"] for line in lines if line.get("key") == "header"), None)
            if header is None or not header.get("summary"):
                raise HubError(400, "Commit payload has no header with a summary")
            if header.get("parentCommit") not in (None, head.oid):
                raise HubError(412, f"A commit has happened since {header['parentCommit']}; the head is {head.oid}")
            files = {f.path: f for f in head.files}
            for line in lines:
                key_, value = line.get("key"), line.get("value", {})
                if key_ == "file":
                    raw = value["content"]
                    data = base64.b64decode(raw) if value.get("encoding") == "base64" else raw.encode()
                    files[value["path"]] = StoredFile(value["path"], data, False)
                elif key_ == "lfsFile":
                    if value["oid"] not in self._lfs:
                        raise HubError(422, f"LFS object {value['oid']} for '{value['path']}' was never uploaded")
                    files[value["path"]] = StoredFile(value["path"], self._lfs[value["oid"]], True)
                elif key_ == "deletedFile":
                    if files.pop(value["path"], None) is None:
                        raise HubError(404, f"A file with this name doesn't exist: {value['path']}", "EntryNotFound")
                elif key_ == "deletedFolder":
                    files = {p: f for p, f in files.items() if not p.startswith(value["path"].rstrip("/") + "/")}
                elif key_ != "header":
                    raise HubError(400, f"Unknown commit operation key '{key_}'")
            return self._append(key, header["summary"], header.get("description", ""), files)

    def _append(self, key: str, title: str, description: str, files: dict[str, StoredFile],
                history: list[Commit] | None = None) -> Commit:
        history = self._repos[key] if history is None else history
        parent = history[-1].oid if history else None
        ids = sorted((p, f.oid) for p, f in files.items())
        oid = hashlib.sha1(json.dumps([parent, title, description, ids]).encode()).hexdigest()
        date = time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime())
        commit = Commit(oid, parent, title, description, date, tuple(files[p] for p in sorted(files)))
        history.append(commit)
        return commit

    # ---- listings -----------------------------------------------------------------------------------------
    def entries(self, key: str, commit: Commit, expand: bool) -> dict[str, dict]:
        """Every file and folder of a commit as tree/paths-info JSON, keyed by path."""
        last: dict[str, Commit] = {}
        if expand:
            seen: dict[str, str] = {}
            for old in self.history_of(key, commit):
                for f in old.files:
                    if seen.get(f.path) != f.oid:
                        seen[f.path], last[f.path] = f.oid, old
                if old.oid == commit.oid:
                    break
        out: dict[str, dict] = {}
        for f in commit.files:
            out[f.path] = f.entry(last.get(f.path))
            parts = f.path.split("/")
            for i in range(1, len(parts)):
                out.setdefault("/".join(parts[:i]), {"type": "directory", "path": "/".join(parts[:i])})
        for path, entry in out.items():
            if entry["type"] == "directory":
                ids = sorted(e["oid"] for p, e in out.items() if p.startswith(path + "/") and e["type"] == "file")
                entry["oid"] = hashlib.sha1(" ".join(ids).encode()).hexdigest()
        return out

    def tree(self, key: str, rev: str, path: str, recursive: bool, expand: bool) -> list[dict]:
        commit = self.resolve(key, rev)
        entries = self.entries(key, commit, expand)
        path = path.strip("/")
        if path and entries.get(path, {}).get("type") != "directory":
            raise HubError(404, f"Entry not found: {path}", "EntryNotFound")
        prefix = path + "/" if path else ""
        children = [p for p in entries if p.startswith(prefix) and (recursive or "/" not in p[len(prefix) :])]
        children.sort(key=lambda p: (entries[p]["type"] != "directory", p))
        return [entries[p] for p in children]
