"""The Hub rejects the commit: the publisher fails with one clear line and the repo keeps its previous state."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.hub

REPO = "org/silver"
REASON = "this dataset is frozen for maintenance"  # no repo name: the client must add it


def error_lines(stderr: str, prefix: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith(prefix)]


def seed_de(fake_hub, hand_export):
    """The repo's previous state: europarl-ner.de as pushed earlier (committed on the server side)."""
    folder = hand_export("de", 3)
    files = {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    return fake_hub.seed(REPO, files, "Add europarl-ner.de")


@pytest.mark.parametrize("status", [403, 500])
def test_rejected_commit_with_the_real_client_keeps_the_repo(fake_hub, clients, hand_export, status):
    before = seed_de(fake_hub, hand_export)

    es = hand_export("es", 3, card_configs=["europarl-ner.de", "europarl-ner.es"])
    fake_hub.reject_next("commit", status, REASON)
    failed = clients.upload(es, REPO, "Add europarl-ner.es")
    assert failed.returncode == 2
    (line,) = error_lines(failed.stderr, "HfHubHTTPError")
    assert str(status) in line and REASON in line and f"/api/datasets/{REPO}/commit/main" in line
    assert fake_hub.state(REPO) == before
    rejected = [r for r in fake_hub.requests if r.kind == "commit" and r.status == status]
    assert len(rejected) == 1  # the client does not retry a commit

    # the Hub accepts the same commit again afterwards: exactly one new commit on top of the old head
    retried = clients.upload(es, REPO, "Add europarl-ner.es")
    assert retried.returncode == 0, retried.stderr
    after = fake_hub.state(REPO)
    assert after.history[:-1] == before.history and after.head == retried.stdout.strip()
    assert (
        after.file("europarl-ner.es/test-00000-of-00001.parquet")
        == (es / "europarl-ner.es" / "test-00000-of-00001.parquet").read_bytes()
    )


def test_push_reports_a_rejected_commit_and_the_repo_is_unchanged(fake_hub, clients, hand_export, tmp_path):
    before = seed_de(fake_hub, hand_export)

    fake_hub.reject_next("commit", 403, REASON)
    args = ["push.py", "--configs", "europarl-ner.es", "--repo-id", REPO, "--export-dir", str(tmp_path / "export")]
    result = clients.python([*args, "--aligner", "fastalign.v1", "--limit", "5"], timeout=300)
    assert result.returncode == 2, result.stderr[-3000:]
    assert "Traceback" not in result.stderr
    (line,) = error_lines(result.stderr, "push.py: error:")
    assert REPO in line and REASON in line and "403" in line
    assert fake_hub.state(REPO) == before
    assert [r.status for r in fake_hub.requests if r.kind == "commit"] == [403]
    # the export folder is still there for a later publish
    assert (tmp_path / "export" / "europarl-ner.es" / "test-00000-of-00001.parquet").is_file()


#: `PUBLISH_SCRIPT <export folder> <repo_id>`: ``push.publish`` with the real HfApi; an error -> one line, exit 2
PUBLISH_SCRIPT = r"""
import sys
import push
try:
    push.publish(sys.argv[1], sys.argv[2])
except Exception as err:
    print(f"{type(err).__name__}: {' '.join(str(err).split())}", file=sys.stderr)
    sys.exit(2)
"""


def test_a_hub_card_that_cannot_be_read_is_not_replaced(fake_hub, clients, hand_export):
    """Found in review: the Hub refusing the card's download (huggingface_hub raises LocalEntryNotFoundError for any
    answer but a 401 or a missing repo, a 5xx after its retries too) was taken for "no card", and the commit
    replaced the Hub's card with one that listed only the exported configs: europarl-ner.de was no longer listed."""
    from cards.render import ConfigCard, render_card

    before = seed_de(fake_hub, hand_export)
    es = hand_export("es", 3)
    card = ConfigCard(name="europarl-ner.es", kind="parallel-gold", languages=("en", "es"), license="other",
                      source_datasets=(), signature="sig-es", metrics={},
                      data_files={"test": "europarl-ner.es/test-*.parquet"})  # fmt: skip
    (es / "README.md").write_text(render_card(REPO, [card]), encoding="utf-8")

    fake_hub.reject_next("resolve", 403, REASON)
    result = clients.python(["-c", PUBLISH_SCRIPT, str(es), REPO])
    assert result.returncode == 2, result.stderr[-3000:]
    (line,) = error_lines(result.stderr, "ConnectionError: ")
    assert line.startswith(f"ConnectionError: cannot read {REPO}:README.md at {fake_hub.endpoint}")
    assert line.endswith("nothing was published: check the network (or HF_ENDPOINT) and publish again")
    assert fake_hub.state(REPO) == before
    assert [r for r in fake_hub.requests if r.kind == "commit"] == []
