"""Publication on the web: SPARQL endpoint, dereferenceable IRIs, HTML pages, VoID/DCAT, dumps."""

from pipelines.web.app import create_app
from pipelines.web.config import WebConfig, WebConfigError
from pipelines.web.server import running_server, serve
from pipelines.web.worker import QueryRefusedError, QueryRunner, StoreSpec

__all__ = [
    "QueryRefusedError",
    "QueryRunner",
    "StoreSpec",
    "WebConfig",
    "WebConfigError",
    "create_app",
    "running_server",
    "serve",
]
