"""Executors decide where chunks of a run are processed; they never change what is computed."""

from projection.executors.base import Executor
from projection.executors.local import LocalExecutor

__all__ = ["Executor", "LocalExecutor", "get_executor"]


def get_executor(name: str = "local", **kwargs) -> Executor:
    """``local`` (default; ``jobs=N`` processes) or ``ray`` (``address=…``; needs the ``ray`` extra)."""
    if name == "local":
        return LocalExecutor(**kwargs)
    if name == "ray":
        from projection.executors.ray import RayExecutor

        return RayExecutor(**kwargs)
    raise ValueError(f"unknown executor {name!r}; valid: local, ray")
