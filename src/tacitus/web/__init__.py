"""The web explorer: ``tacitus serve --db FILE``. A FastAPI app (``create_app``) over a read-only store and
the front end built from ``frontend/`` into ``static/`` (``make web``)."""

from tacitus.web.app import STATIC_DIR, create_app, serve

__all__ = ["create_app", "serve", "STATIC_DIR"]
