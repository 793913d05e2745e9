"""The request id carried into every log line (imported by the logging configuration,
so it must not import Django models)."""

import contextvars
import logging

request_id_var = contextvars.ContextVar("request_id", default="-")


class RequestIdLogFilter(logging.Filter):
    """Adds ``record.request_id`` (``-`` outside a request) to every log record."""

    def filter(self, record):
        record.request_id = request_id_var.get()
        return True
