"""A small Hugging Face Hub on 127.0.0.1 for integration tests (stdlib `http.server`, threaded, ephemeral port).

It speaks the subset of the Hub HTTP API that `huggingface_hub` (HfApi, hf_hub_download, HfFileSystem) and
`datasets.load_dataset` use without Xet (`HF_HUB_DISABLE_XET=1`): repo create/info, validate-yaml, preupload,
the LFS batch API + PUT + verify, the NDJSON commit, tree, paths-info, commits and resolve (HEAD/GET, Range).
LFS files resolve with a 302 to a "CDN" on `localhost:PORT` (another host name for the same server), as on
the real Hub, so the client takes the file metadata from the redirect (`X-Linked-Etag`, `X-Linked-Size`).

Every request is logged with its endpoint kind (`kinds_used()`); unknown routes answer 404 and are kept in
`unhandled`; `reject_next(kind, status, message)` makes the next request of a kind fail with the Hub's error
body `{"error": message}`; `state(repo_id)` returns the repo's history and files (tests/hub/fake_hub_store.py).
"""

from __future__ import annotations

import base64
import json
import re
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlsplit

from fake_hub_store import HubError, HubStore, RepoState, StoredFile, is_lfs_path

WRITE_KINDS = frozenset({"repo_create", "preupload", "lfs_batch", "commit"})
_API = r"^/api/(?P<kind>models|datasets|spaces)/(?P<repo>[^/]+/[^/]+)"
_WEB = r"^/(?:(?P<kind>datasets|spaces)/)?(?P<repo>[^/]+/[^/]+)"
ROUTES = [
    (method, re.compile(pattern), kind)
    for method, pattern, kind in [
        ("POST", r"^/api/repos/create$", "repo_create"),
        ("POST", r"^/api/validate-yaml$", "validate_yaml"),
        ("GET", _API + r"(?:/revision/(?P<rev>[^/]+))?$", "repo_info"),
        ("POST", _API + r"/preupload/(?P<rev>[^/]+)$", "preupload"),
        ("POST", _API + r"/commit/(?P<rev>[^/]+)$", "commit"),
        ("GET", _API + r"/tree/(?P<rev>[^/]+)(?:/(?P<path>.+))?$", "tree"),
        ("POST", _API + r"/paths-info/(?P<rev>[^/]+)$", "paths_info"),
        ("GET", _API + r"/commits/(?P<rev>[^/]+)$", "commits"),
        ("POST", _WEB + r"\.git/info/lfs/objects/batch$", "lfs_batch"),
        ("PUT", r"^/lfs-upload/(?P<oid>[0-9a-f]{64})$", "lfs_put"),
        ("POST", r"^/lfs-verify/(?P<oid>[0-9a-f]{64})$", "lfs_verify"),
        ("GET", _WEB + r"/resolve/(?P<rev>[^/]+)/(?P<path>.+)$", "resolve"),
        ("GET", r"^/cdn/(?P<oid>[0-9a-f]{64})$", "cdn"),
    ]
]


@dataclass(frozen=True)
class LoggedRequest:
    method: str
    path: str
    kind: str
    status: int


@dataclass
class Reply:
    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)


def _json(data: object, status: int = 200, **headers: str) -> Reply:
    return Reply(status, json.dumps(data).encode(), {"Content-Type": "application/json", **headers})


def _true(values: list[str] | None) -> bool:
    return bool(values) and values[-1].lower() in ("1", "true")


def _key(groups: dict) -> str:
    """Store key `{type}s/{org}/{name}` from a route match (web routes have no prefix for models)."""
    return f"{groups.get('kind') or 'models'}/{unquote(groups['repo'])}"


class FakeHub:
    """The server, started on construction; call `close()` when done."""

    def __init__(self) -> None:
        self.store = HubStore()
        self.requests: list[LoggedRequest] = []
        self.unhandled: list[str] = []
        self._reject: dict[str, tuple[int, str]] = {}
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), type("Handler", (_Handler,), {"hub": self}))
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        self.endpoint = f"http://127.0.0.1:{self.port}"
        self.cdn = f"http://localhost:{self.port}"
        threading.Thread(target=self._server.serve_forever, name="fake-hub", daemon=True).start()

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def reject_next(self, kind: str, status: int, message: str) -> None:
        with self.store.lock:
            self._reject[kind] = (status, message)

    def seed(self, repo_id: str, files: dict[str, bytes], message: str, repo_type: str = "dataset") -> RepoState:
        """Create the repo (if needed) and commit `files` server-side, as if an earlier client had pushed them."""
        key = f"{repo_type}s/{repo_id}"
        self.store.create(key)
        lines: list[dict] = [{"key": "header", "value": {"summary": message}}]
        for path, data in sorted(files.items()):
            if is_lfs_path(path, len(data)):
                oid = StoredFile(path, data, True).sha256
                self.store.put_object(oid, data)
                lines.append({"key": "lfsFile", "value": {"path": path, "oid": oid}})
            else:
                content = base64.b64encode(data).decode()
                lines.append({"key": "file", "value": {"path": path, "content": content, "encoding": "base64"}})
        self.store.commit(key, "main", lines)
        return self.store.state(key)

    def seed_branch(self, repo_id: str, branch: str, files: dict[str, bytes], message: str,
                    repo_type: str = "dataset") -> str:
        """Commit exactly `files` on `branch` (e.g. `refs/convert/parquet`, as the parquet-converter does);
        the repo must exist. Returns the commit id."""
        stored = {}
        for path, data in files.items():
            lfs = is_lfs_path(path, len(data))
            if lfs:
                self.store.put_object(StoredFile(path, data, True).sha256, data)
            stored[path] = StoredFile(path, data, lfs)
        return self.store.commit_branch(f"{repo_type}s/{repo_id}", branch, message, stored).oid

    def kinds_used(self) -> set[str]:
        with self.store.lock:
            return {r.kind for r in self.requests if r.status < 400}

    def state(self, repo_id: str, repo_type: str = "dataset") -> RepoState:
        return self.store.state(f"{repo_type}s/{repo_id}")

    # ---- request handling (called from the handler threads) -----------------------------------------------
    def handle(self, method: str, target: str, headers: dict[str, str], body: bytes) -> Reply:
        url = urlsplit(target)
        query = parse_qs(url.query)
        for route_method, pattern, kind in ROUTES:
            match = pattern.match(url.path)
            if match and route_method == ("GET" if method == "HEAD" else method):
                break
        else:
            kind, match = "unhandled", None
        try:
            with self.store.lock:
                rejected = self._reject.pop(kind, None)
            if match is None:
                self.unhandled.append(f"{method} {url.path}")
                raise HubError(404, f"fake hub: no route for {method} {url.path}")
            if rejected is not None:
                raise HubError(*rejected)
            if kind in WRITE_KINDS and not headers.get("authorization", "").startswith("Bearer "):
                raise HubError(401, "Invalid credentials in Authorization header")
            groups = {k: v for k, v in match.groupdict().items() if v is not None}
            reply = getattr(self, f"_{kind}")(groups, query, headers, body)
        except HubError as err:
            extra = {"X-Error-Code": err.code} if err.code else {}
            reply = _json({"error": err.message}, err.status, **extra, **{"X-Error-Message": err.message})
        with self.store.lock:
            self.requests.append(LoggedRequest(method, unquote(url.path), kind, reply.status))
        return reply

    def _repo_url(self, key: str) -> str:
        kind, repo = key.split("/", 1)
        return f"{self.endpoint}/{'' if kind == 'models' else kind + '/'}{repo}"

    def _repo_create(self, groups: dict, query: dict, headers: dict, body: bytes) -> Reply:
        payload = json.loads(body)
        repo = f"{payload['organization']}/{payload['name']}" if payload.get("organization") else payload["name"]
        key = f"{payload.get('type') or 'model'}s/{repo}"
        if not self.store.create(key):
            return _json({"error": "You already created this repo", "url": self._repo_url(key)}, 409)
        return _json({"url": self._repo_url(key), "name": repo, "id": repo})

    def _validate_yaml(self, groups: dict, query: dict, headers: dict, body: bytes) -> Reply:
        return _json({"errors": [], "warnings": []})

    def _repo_info(self, groups: dict, query: dict, headers: dict, body: bytes) -> Reply:
        key = _key(groups)
        history = self.store.history(key)
        commit = self.store.resolve(key, unquote(groups.get("rev", "main")))
        blobs = _true(query.get("blobs"))
        siblings = []
        for f in commit.files:
            sibling: dict = {"rfilename": f.path}
            if blobs:
                sibling.update(size=len(f.data), blobId=f.oid)
                if f.lfs:
                    sibling["lfs"] = {"size": len(f.data), "sha256": f.sha256, "pointerSize": len(f.pointer)}
            siblings.append(sibling)
        info = {
            "_id": commit.oid[:24], "id": key.split("/", 1)[1], "author": key.split("/")[1], "sha": commit.oid,
            "lastModified": commit.date, "createdAt": history[0].date, "private": False, "gated": False,
            "disabled": False, "downloads": 0, "likes": 0, "tags": [], "siblings": siblings,
            "usedStorage": sum(len(f.data) for f in commit.files),
        }  # fmt: skip
        expand = query.get("expand")
        return _json({k: v for k, v in info.items() if not expand or k in expand or k in ("_id", "id")})

    def _preupload(self, groups: dict, query: dict, headers: dict, body: bytes) -> Reply:
        if query.get("create_pr"):
            raise HubError(400, "fake hub: pull requests are not supported")
        head = self.store.resolve(_key(groups), unquote(groups["rev"]))
        files = []
        for item in json.loads(body)["files"]:
            old = head.file(item["path"])
            lfs = old.lfs if old is not None else is_lfs_path(item["path"], item["size"])
            files.append({"path": item["path"], "uploadMode": "lfs" if lfs else "regular", "shouldIgnore": False,
                          "oid": old.upload_oid if old is not None else None})  # fmt: skip
        return _json({"files": files, "commitOid": head.oid})

    def _lfs_batch(self, groups: dict, query: dict, headers: dict, body: bytes) -> Reply:
        self.store.history(_key(groups))  # the repo must exist
        payload = json.loads(body)
        if payload.get("operation") != "upload":
            raise HubError(400, "fake hub: only the LFS upload operation is supported")
        objects = []
        for obj in payload["objects"]:
            item = {"oid": obj["oid"], "size": obj["size"]}
            if not self.store.has_object(obj["oid"]):
                item["authenticated"] = True
                item["actions"] = {
                    "upload": {"href": f"{self.endpoint}/lfs-upload/{obj['oid']}"},
                    "verify": {"href": f"{self.endpoint}/lfs-verify/{obj['oid']}"},
                }
            objects.append(item)
        return _json({"transfer": "basic", "objects": objects}, **{"Content-Type": "application/vnd.git-lfs+json"})

    def _lfs_put(self, groups: dict, query: dict, headers: dict, body: bytes) -> Reply:
        self.store.put_object(groups["oid"], body)
        return Reply(200)

    def _lfs_verify(self, groups: dict, query: dict, headers: dict, body: bytes) -> Reply:
        payload = json.loads(body)
        if payload["oid"] != groups["oid"] or len(self.store.get_object(groups["oid"])) != payload["size"]:
            raise HubError(422, f"LFS object {groups['oid']} does not match its announced size")
        return _json({})

    def _commit(self, groups: dict, query: dict, headers: dict, body: bytes) -> Reply:
        if query.get("create_pr"):
            raise HubError(400, "fake hub: pull requests are not supported")
        key = _key(groups)
        lines = [json.loads(line) for line in body.decode().splitlines() if line.strip()]
        commit = self.store.commit(key, unquote(groups["rev"]), lines)
        url = f"{self._repo_url(key)}/commit/{commit.oid}"
        return _json({"success": True, "commitOid": commit.oid, "commitUrl": url, "pullRequestUrl": None})

    def _tree(self, groups: dict, query: dict, headers: dict, body: bytes) -> Reply:
        rev, path = unquote(groups["rev"]), unquote(groups.get("path", ""))
        recursive, expand = _true(query.get("recursive")), _true(query.get("expand"))
        return _json(self.store.tree(_key(groups), rev, path, recursive, expand))

    def _paths_info(self, groups: dict, query: dict, headers: dict, body: bytes) -> Reply:
        key, form = _key(groups), parse_qs(body.decode())
        commit = self.store.resolve(key, unquote(groups["rev"]))
        entries = self.store.entries(key, commit, _true(form.get("expand")))
        return _json([entries[p.strip("/")] for p in form.get("paths", []) if p.strip("/") in entries])

    def _commits(self, groups: dict, query: dict, headers: dict, body: bytes) -> Reply:
        key = _key(groups)
        head = self.store.resolve(key, unquote(groups["rev"]))
        history = self.store.history_of(key, head)
        history = history[: [c.oid for c in history].index(head.oid) + 1]
        return _json([{"id": c.oid, "title": c.title, "message": c.description, "authors": [], "date": c.date}
                      for c in reversed(history)])  # fmt: skip

    def _resolve(self, groups: dict, query: dict, headers: dict, body: bytes) -> Reply:
        commit = self.store.resolve(_key(groups), unquote(groups["rev"]))
        path = unquote(groups["path"])
        f: StoredFile | None = commit.file(path)
        if f is None:
            raise HubError(404, f"Entry not found: {path}", "EntryNotFound")
        meta = {"X-Repo-Commit": commit.oid, "ETag": f'"{f.oid}"'}
        if f.lfs:
            location = f"{self.cdn}/cdn/{f.sha256}"
            return Reply(302, b"", {**meta, "Location": location, "X-Linked-Etag": f'"{f.sha256}"',
                                    "X-Linked-Size": str(len(f.data))})  # fmt: skip
        return _ranged(f.data, headers.get("range"), meta)

    def _cdn(self, groups: dict, query: dict, headers: dict, body: bytes) -> Reply:
        data = self.store.get_object(groups["oid"])
        return _ranged(data, headers.get("range"), {"ETag": f'"{groups["oid"]}"'})


def _ranged(data: bytes, range_header: str | None, headers: dict[str, str]) -> Reply:
    """A 200 with the whole file, or a 206 for one `bytes=a-b` / `bytes=a-` / `bytes=-n` range."""
    headers = {**headers, "Accept-Ranges": "bytes", "Content-Type": "application/octet-stream"}
    if not range_header:
        return Reply(200, data, headers)
    match = re.fullmatch(r"bytes=(\d*)-(\d*)", range_header.strip())
    if match is None or match.groups() == ("", ""):
        raise HubError(416, f"Unsupported range {range_header!r}")
    start_s, end_s = match.groups()
    start = int(start_s) if start_s else max(len(data) - int(end_s), 0)
    end = min(int(end_s), len(data) - 1) if start_s and end_s else len(data) - 1
    if start >= len(data) or end < start:
        return Reply(416, b"", {**headers, "Content-Range": f"bytes */{len(data)}"})
    return Reply(206, data[start : end + 1], {**headers, "Content-Range": f"bytes {start}-{end}/{len(data)}"})


class _Handler(BaseHTTPRequestHandler):
    hub: FakeHub
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:  # quiet: requests are kept in hub.requests
        pass

    def _read_body(self) -> bytes:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            chunks = []
            while (size := int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)) > 0:
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
            while self.rfile.readline().strip():  # trailers
                pass
            return b"".join(chunks)
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def _serve(self) -> None:
        body = self._read_body()
        headers = {k.lower(): v for k, v in self.headers.items()}
        reply = self.hub.handle(self.command, self.path, headers, body)
        self.send_response(reply.status)
        for name, value in reply.headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(reply.body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(reply.body)

    do_GET = do_HEAD = do_POST = do_PUT = do_DELETE = _serve
