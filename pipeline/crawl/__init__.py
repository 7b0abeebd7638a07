"""The crawler: a polite, resumable, archiving fetcher of annual-report columns on government portals.

Modules: ``urls`` (canonical URLs, scope, shards), ``safety`` (schemes, address checks), ``fetch``
(one HTTP exchange with size caps), ``politeness`` (robots.txt, per-host gaps, backoff), ``discovery``
(pagination, report and attachment links), ``index`` (the SQLite frontier and fetch log), ``engine``
(the scheduler), ``progress`` (terminal display) and ``cli``. Archives are written by :mod:`pipeline.warc`.
"""
