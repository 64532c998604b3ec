"""The HTTP routes, one module per concern; :mod:`pipelines.web.app` puts them together."""
