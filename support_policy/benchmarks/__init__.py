"""Every benchmark of the app. The framework-free ones run with the bench's Python from the repository
root (``python support_policy/benchmarks/scope_eval.py``); the ones that need a site run with
``bench --site SITE execute support_policy.benchmarks.<name>.run``. Each has a small "smoke" size
(``--smoke``, or ``--kwargs "{'smoke': True}"``) that CI runs so that a refactor which breaks one fails.
"""
