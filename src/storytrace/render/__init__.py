"""render: a :class:`~storytrace.records.Report` made readable. report.json (format 1), the
terminal summary, the view models of stories and pairs, and the self-contained HTML report with
its Jinja2 templates (also used by the web app).

Imports the ``story`` helpers and the base modules; never pipeline, corpus or an adapter."""
