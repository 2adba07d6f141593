"""Hub models pinned and resolved through the real clients against the local fake Hub: ``model_revision``
returns the commit of main, and ``ID@REVISION`` loads the files of that commit, not main's."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

pytestmark = [pytest.mark.hub, pytest.mark.neural]

#: `<model> <pinned>`: prints model_revision(model), then the hidden_dropout_prob of the pinned model's config
CLIENT = r"""
import sys
from projection.neural.hub import load_fast_pretrained, model_identity, model_revision
model, pinned = sys.argv[1], sys.argv[2]
print(model_revision(model))
print(model_identity(model))
tok, net = load_fast_pretrained("AutoModel", pinned, role="alignment", option="--align-model", device="cpu")
print(net.config.hidden_dropout_prob)
"""


def test_model_revision_and_pinned_revision_load(fake_hub, clients, tmp_path):
    sys.path.insert(0, str(Path(__file__).parents[1] / "neural"))
    import tiny_models as tm

    clients.env["OMP_NUM_THREADS"] = "1"  # tiny tensors: threads only add contention

    enc = tm.build_encoder(tmp_path / "enc")
    files = {p.name: p.read_bytes() for p in enc.iterdir() if p.is_file()}
    first = fake_hub.seed("org/enc", files, "v1", repo_type="model").head
    config = json.loads(files["config.json"])
    config["hidden_dropout_prob"] = 0.25
    main = fake_hub.seed("org/enc", {"config.json": json.dumps(config).encode()}, "v2", repo_type="model").head
    assert first != main and json.loads(files["config.json"])["hidden_dropout_prob"] == 0.1

    out = clients.python(["-c", CLIENT, "org/enc", f"org/enc@{first}"], timeout=120)
    assert out.returncode == 0, out.stderr[-3000:]
    assert out.stdout.split() == [main, f"org/enc@{main[:12]}", "0.1"]
