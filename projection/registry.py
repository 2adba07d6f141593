"""Strategies chosen by full, versioned names; unknown names raise an error listing the valid ones."""

from __future__ import annotations

import re
import threading
from typing import Callable, Generic, TypeVar

T = TypeVar("T")

#: a full name: ``<thing>.v<N>`` (``eflomal.v1``): the version is what a signature keeps when the method changes
_FULL_NAME = re.compile(r"[^\s.]+(\.[^\s.]+)*\.v[0-9]+")


def _newer(name: str, current: str | None) -> bool:
    """Whether an alias that names ``current`` (``None``: no entry yet) may move to ``name``: a later version of the
    same thing (``greedy.v2`` after ``greedy.v1``), never another thing (``exact`` stays ``exact.v1``)."""
    if current is None:
        return True
    thing, _, version = name.rpartition(".v")
    current_thing, _, current_version = current.rpartition(".v")
    return thing == current_thing and int(version) > int(current_version)


class RegistryError(ValueError):
    """An unknown strategy name."""


class Registry(Generic[T]):
    """A name -> factory table. Names are ``<thing>.v<N>``; a short alias (``greedy``) maps to the newest."""

    def __init__(self, namespace: str, *, modules: tuple[str, ...] = ()) -> None:
        """``modules``: the package modules whose import registers the built-in entries; they are imported on
        the first lookup, so no caller needs a side-effect import."""
        self.namespace = namespace
        self._factories: dict[str, Callable[..., T]] = {}
        self._aliases: dict[str, str] = {}
        self._modules = modules
        self._loaded = not modules
        self._loading = threading.local()  # set in the thread that imports ``modules`` (they call ``register``)
        #: names registered while an import of ``modules`` failed: the failed modules left ``sys.modules``, so the next
        #: lookup imports them again, and their ``register`` calls replace these entries
        self._stale: set[str] = set()

    def _load(self) -> None:
        """Import ``modules`` once. Loaded only once they are all imported: another thread that looks a name up
        meanwhile imports them too, so Python's import lock makes it wait for the first one's import (found in review:
        marked loaded before the import, a second thread's first lookup, two ``project_corpus`` calls started together
        from a thread pool, failed as "unknown aligner 'eflomal.v1'; valid: " with an empty list). In the importing
        thread, the ``register`` calls of those modules come back here and return at once."""
        if self._loaded or getattr(self._loading, "busy", False):
            return
        import importlib

        before = set(self._factories)
        self._loading.busy = True
        try:
            for module in self._modules:
                importlib.import_module(module)
        except BaseException:  # found in review: the next lookup's import failed as "'x.v1' is registered twice"
            self._stale |= set(self._factories) - before
            raise
        finally:
            self._loading.busy = False
        self._stale.clear()
        self._loaded = True

    def register(self, name: str, *, alias: str | None = None) -> Callable[[Callable[..., T]], Callable[..., T]]:
        if not isinstance(name, str) or not _FULL_NAME.fullmatch(name):
            raise RegistryError(f"{self.namespace} names are versioned, <thing>.v<N> (such as 'mine.v1'), got {name!r}")
        if alias is not None and (not isinstance(alias, str) or not alias or alias != alias.strip()):
            raise RegistryError(f"{self.namespace}: an alias is a short name such as 'mine', got {alias!r}")
        # the built-in entries first: a name or alias that clashes with one fails here, at the caller's register (found
        # in review: registered before the first lookup, it failed that lookup, and every later one said the built-in
        # entries were unknown)
        self._load()

        def deco(factory: Callable[..., T]) -> Callable[..., T]:
            if name in self._stale and getattr(self._loading, "busy", False):  # a failed module imported again
                self._stale.discard(name)
                del self._factories[name]
                for short in [a for a, full in self._aliases.items() if full == name]:
                    del self._aliases[short]
            if name in self._factories or name in self._aliases:
                raise RegistryError(f"{self.namespace}: {name!r} is registered twice")
            if alias is not None and (alias in self._factories or not _newer(name, self._aliases.get(alias))):
                taken = self._aliases.get(alias, alias)
                raise RegistryError(f"{self.namespace}: the alias {alias!r} already names {taken!r}; register "
                                    f"{name!r} without it, or with another alias")  # fmt: skip
            self._factories[name] = factory
            if alias:
                self._aliases[alias] = name
            return factory

        return deco

    def resolve(self, name: str) -> str:
        self._load()
        full = self._aliases.get(name, name) if isinstance(name, str) else None  # a list is unhashable: TypeError
        if full not in self._factories:
            raise RegistryError(
                f"unknown {self.namespace} {name!r}; valid: {', '.join(self.names())}"
            )
        return full

    def get(self, name: str) -> Callable[..., T]:
        return self._factories[self.resolve(name)]

    def create(self, name: str, **kwargs) -> T:
        return self.get(name)(**kwargs)

    def names(self) -> list[str]:
        self._load()
        return sorted(set(self._factories) | set(self._aliases))

    def __contains__(self, name: str) -> bool:
        self._load()
        return self._aliases.get(name, name) in self._factories
