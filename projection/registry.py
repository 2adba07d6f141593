"""Strategies chosen by full, versioned names; unknown names raise an error listing the valid ones."""

from __future__ import annotations

from typing import Callable, Generic, TypeVar

T = TypeVar("T")


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

    def _load(self) -> None:
        if not self._loaded:
            import importlib

            self._loaded = True
            for module in self._modules:
                importlib.import_module(module)

    def register(self, name: str, *, alias: str | None = None) -> Callable[[Callable[..., T]], Callable[..., T]]:
        def deco(factory: Callable[..., T]) -> Callable[..., T]:
            if name in self._factories:
                raise RegistryError(f"{self.namespace}: {name!r} is registered twice")
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
