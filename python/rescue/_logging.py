"""The library's events as records of the standard ``logging`` module, logger ``rescue``.

The compiled module decides whether a record is wanted without the GIL, from a copy of the
``rescue`` logger's effective level; this module keeps that copy up to date.
"""

from __future__ import annotations

import logging
from typing import Any

from ._rescue import TRACE, _refresh_log_level

LOGGER_NAME = "rescue"


class _LevelWatch(dict):  # type: ignore[type-arg]
    """Stands in for the ``rescue`` logger's ``isEnabledFor`` cache, which ``logging``
    clears whenever a level anywhere changes (``setLevel``, ``logging.disable``,
    ``dictConfig``): the moment the compiled module's copy must be read again. It is never
    staler than ``logging``'s own cache."""

    __slots__ = ()

    def clear(self) -> None:
        super().clear()
        try:
            _refresh_log_level(True)
        except Exception:  # never break setLevel(): every level on, each record asks
            _refresh_log_level(False)


def install() -> logging.Logger:
    logger = logging.getLogger(LOGGER_NAME)
    # A library's logger gets a NullHandler, so that without any logging configuration
    # nothing is printed (not even warnings, through logging.lastResort).
    if not any(isinstance(h, logging.NullHandler) for h in logger.handlers):
        logger.addHandler(logging.NullHandler())
    if logging.getLevelName(TRACE) == f"Level {TRACE}":
        logging.addLevelName(TRACE, "TRACE")
    cache: Any = getattr(logger, "_cache", None)
    watched = type(cache) is dict or isinstance(cache, _LevelWatch)
    if watched and not isinstance(cache, _LevelWatch):
        logger._cache = _LevelWatch(cache)  # type: ignore[attr-defined]
    # Without that cache (not CPython's logging), every level stays on in the compiled
    # module and each record asks the logger: slower when disabled, never wrong.
    _refresh_log_level(watched)
    return logger
