"""Registry: versioned names, aliases, errors listing the valid names; the built-in registries' contents."""

from __future__ import annotations

import pytest

from projection.candidates import CANDIDATES
from projection.match.base import MATCHERS, get_matcher
from projection.registry import Registry, RegistryError


def make() -> Registry:
    reg: Registry = Registry("widget")

    @reg.register("round.v1")
    def round_v1(size: int = 1):
        return ("round.v1", size)

    @reg.register("round.v2", alias="round")
    def round_v2(size: int = 1):
        return ("round.v2", size)

    @reg.register("square.v1", alias="square")
    def square_v1():
        return ("square.v1",)

    return reg


def test_full_names_and_aliases():
    reg = make()
    assert reg.create("round.v1", size=3) == ("round.v1", 3)
    assert reg.create("round") == ("round.v2", 1)  # the alias points at the version registered with it
    assert reg.resolve("square") == "square.v1"
    assert reg.resolve("round.v1") == "round.v1"
    assert "round" in reg and "round.v2" in reg and "round.v3" not in reg
    assert reg.names() == ["round", "round.v1", "round.v2", "square", "square.v1"]


def test_unknown_name_lists_the_valid_ones():
    reg = make()
    with pytest.raises(RegistryError) as info:
        reg.create("triangle.v1")
    msg = str(info.value)
    assert "unknown widget 'triangle.v1'" in msg
    assert msg.endswith("valid: round, round.v1, round.v2, square, square.v1")
    assert isinstance(info.value, ValueError)  # the CLI turns ValueError into a one-line error
    with pytest.raises(RegistryError):
        reg.get("round.v3")


def test_registering_a_name_twice_is_an_error():
    reg = make()
    with pytest.raises(RegistryError, match="registered twice"):
        reg.register("round.v1")(lambda: None)


def test_built_in_matchers_and_candidates():
    get_matcher("greedy")  # imports every matcher
    assert {"greedy.v1", "exact.v1", "ilp.v1", "greedy", "exact", "ilp"} <= set(MATCHERS.names())
    assert {"aligned.v1", "ngrams.v1", "ner.v1", "aligned", "ngrams", "ner"} <= set(CANDIDATES.names())
    for name in MATCHERS.names():
        full = MATCHERS.resolve(name)
        assert full.rsplit(".", 1)[1].startswith("v") and get_matcher(name).signature() == full


@pytest.mark.parametrize("name", [["round"], {"round": 1}, None, 3])
def test_a_name_that_is_no_string_gets_the_error_listing_the_valid_names(name):
    """``ProjectionConfig(candidates=["linked"])`` raised ``TypeError: unhashable type: 'list'`` (found in review)."""
    with pytest.raises(RegistryError) as info:
        make().resolve(name)
    assert str(info.value) == f"unknown widget {name!r}; valid: round, round.v1, round.v2, square, square.v1"


@pytest.mark.parametrize("name", ["round", "round.v", "round.vx", "round v1.v1", "", None])
def test_a_name_without_a_version_is_refused(name):
    """The docstring's ``<thing>.v<N>``: ``register("mymatch")`` was accepted, and its signature named no version."""
    with pytest.raises(RegistryError, match=r"widget names are versioned, <thing>\.v<N>"):
        make().register(name)


def test_an_alias_never_takes_another_entrys_name_or_alias():
    """Found in review: ``register("greedy.v2", alias="exact")`` moved the alias ``exact`` to greedy.v2, and
    ``alias="round.v1"`` made the full name ``round.v1`` resolve to another entry."""
    reg = make()
    with pytest.raises(RegistryError, match="the alias 'square' already names 'square.v1'"):
        reg.register("round.v3", alias="square")(lambda: None)
    with pytest.raises(RegistryError, match="the alias 'round.v1' already names 'round.v1'"):
        reg.register("oval.v1", alias="round.v1")(lambda: None)
    assert reg.resolve("square") == "square.v1" and reg.resolve("round.v1") == "round.v1"
    assert "round.v3" not in reg and "oval.v1" not in reg
    with pytest.raises(RegistryError, match="the alias 'round' already names 'round.v2'"):
        reg.register("round.v1b.v1", alias="round")(lambda: None)  # another thing, however it is spelled
    reg.register("round.v3", alias="round")(lambda: None)  # a later version of the same thing: the alias moves
    assert reg.resolve("round") == "round.v3"
    with pytest.raises(RegistryError, match="the alias 'round' already names 'round.v3'"):
        reg.register("round.v0", alias="round")(lambda: None)


def test_a_clash_with_a_built_in_entry_fails_at_register_even_before_the_first_lookup(tmp_path, monkeypatch):
    """Found in review: registered before the built-in entries were loaded (the first lookup), a clashing name was
    accepted; that lookup then failed, and every later one called the built-in entries unknown."""
    import sys
    import types

    holder = types.ModuleType("widgets_holder")
    holder.REG = Registry("widget", modules=("widgets_builtin",))
    monkeypatch.setitem(sys.modules, "widgets_holder", holder)
    (tmp_path / "widgets_builtin.py").write_text(
        "from widgets_holder import REG\nREG.register('gear.v1', alias='gear')(lambda: 'built-in gear')\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "widgets_builtin", raising=False)
    with pytest.raises(RegistryError, match="'gear.v1' is registered twice"):
        holder.REG.register("gear.v1")(lambda: "mine")
    assert holder.REG.create("gear") == "built-in gear" and holder.REG.names() == ["gear", "gear.v1"]


def test_a_lookup_from_another_thread_while_the_built_in_entries_load_waits_for_them(tmp_path, monkeypatch):
    """Found in review: the registry counted as loaded as soon as one thread began to import its modules, so a lookup
    from a second thread meanwhile (two ``project_corpus`` calls started together from a thread pool) raised
    "unknown aligner 'eflomal.v1'; valid: " with an empty list; it now waits for the import and finds the entry."""
    import sys
    import threading
    import types

    hooks = types.ModuleType("widgets_race_hooks")
    hooks.REG = Registry("widget", modules=("widgets_race_builtin",))
    hooks.importing, hooks.go = threading.Event(), threading.Event()
    monkeypatch.setitem(sys.modules, "widgets_race_hooks", hooks)
    (tmp_path / "widgets_race_builtin.py").write_text(
        "from widgets_race_hooks import REG, importing, go\n"
        "importing.set()\n"
        "go.wait(30)\n"
        "REG.register('gear.v1', alias='gear')(lambda: 'built-in gear')\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "widgets_race_builtin", raising=False)
    first: list = []
    loader = threading.Thread(target=lambda: first.append(hooks.REG.resolve("gear")))
    loader.start()
    assert hooks.importing.wait(30)  # the first thread is inside the import now
    release = threading.Timer(0.3, hooks.go.set)  # lets the import finish while this thread looks the name up
    release.start()
    try:
        assert hooks.REG.resolve("gear") == "gear.v1"
    finally:
        hooks.go.set()
        release.join()
        loader.join(30)
    assert first == ["gear.v1"] and hooks.REG.names() == ["gear", "gear.v1"]


def test_a_lookup_after_an_import_of_the_built_in_entries_failed_imports_them_again(tmp_path, monkeypatch):
    """Found in review: a built-in module that had registered an entry when its import failed (an error in it, or
    Ctrl-C in a notebook) is out of ``sys.modules``, so the next lookup imports it again; its first ``register`` then
    failed as "'gear.v1' is registered twice", at that lookup and at every later one, naming no real mistake. The
    retry now works, and the entries of a module that was imported whole are kept."""
    import sys
    import types

    holder = types.ModuleType("widgets_flaky_holder")
    holder.REG = Registry("widget", modules=("widgets_flaky_whole", "widgets_flaky_builtin"))
    holder.fail = True
    monkeypatch.setitem(sys.modules, "widgets_flaky_holder", holder)
    (tmp_path / "widgets_flaky_whole.py").write_text(
        "from widgets_flaky_holder import REG\nREG.register('cog.v1', alias='cog')(lambda: 'built-in cog')\n"
    )
    (tmp_path / "widgets_flaky_builtin.py").write_text(
        "import widgets_flaky_holder as h\n"
        "h.REG.register('gear.v1', alias='gear')(lambda: 'built-in gear')\n"
        "if h.fail:\n"
        "    h.fail = False\n"
        "    raise ImportError('the second half of the module is missing')\n"
        "h.REG.register('wheel.v1')(lambda: 'built-in wheel')\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    for name in ("widgets_flaky_whole", "widgets_flaky_builtin"):
        monkeypatch.delitem(sys.modules, name, raising=False)
    with pytest.raises(ImportError, match="the second half of the module is missing"):
        holder.REG.resolve("gear")
    assert holder.REG.names() == ["cog", "cog.v1", "gear", "gear.v1", "wheel.v1"]  # the retry
    assert [holder.REG.create(n) for n in ("cog", "gear", "wheel.v1")] == ["built-in cog", "built-in gear",
                                                                          "built-in wheel"]
    with pytest.raises(RegistryError, match="'gear.v1' is registered twice"):  # a user's clash is still refused
        holder.REG.register("gear.v1")(lambda: "mine")
