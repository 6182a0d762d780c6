"""Bench-only middleware, in MIDDLEWARE only when BENCH_MODE is set (settings.py).

- `QueryCountMiddleware` adds `X-Bench-Queries` (SQL statements the request ran)
  to every response. Counted in the process with a database execute wrapper
  rather than from pg_stat_statements: the count belongs to one request and one
  page, needs no extension or superuser, and works against any PostgreSQL.
- `BenchPageCacheMiddleware` takes the page cache's place: a request with
  `X-Bench-Cold` skips the cache, so the benchmark can measure the uncached
  render of the same page (fragments stay cached, as they are for members).
"""

from django.db import connections

from gds_portal.pagecache import AnonymousPageCacheMiddleware


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


class BenchPageCacheMiddleware(AnonymousPageCacheMiddleware):
    def eligible(self, request) -> bool:
        return super().eligible(request) and not request.headers.get("X-Bench-Cold")
