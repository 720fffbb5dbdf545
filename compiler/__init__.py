"""Ship: compile `.ship` files to multi-stage Dockerfiles."""

from __future__ import annotations

__version__ = "0.1.0"
