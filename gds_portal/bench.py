"""Bench-only instruments, present only when BENCH_MODE=1 (never set in production).

- `ceiling`: a no-op view served by the whole middleware stack; the fastest any
  page of this site can be on this machine, the yardstick `make bench` divides by.
- `QueryCountMiddleware`: adds `X-Bench-Queries` (SQL statements the request ran)
  to every response. Counted in the process with a database execute wrapper
  rather than from pg_stat_statements: the count belongs to one request and one
  page, needs no extension or superuser, and works against any PostgreSQL.

gds_portal/urls.py mounts `ceiling` and settings.py adds the middleware only when
BENCH_MODE is on; tests/gds_portal/test_bench.py checks both are absent by default.
"""

from django.db import connections
from django.http import HttpResponse
from django.views.decorators.http import require_safe

from gds_portal.access import public


@public
@require_safe
def ceiling(request):
    return HttpResponse("ok\n", content_type="text/plain")


class _Counter:
    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


class QueryCountMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        counter = _Counter()
        with connections["default"].execute_wrapper(counter):
            response = self.get_response(request)
        response["X-Bench-Queries"] = str(counter.count)
        return response
