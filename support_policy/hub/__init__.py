"""The hub's side of the link with customer sites.

- ``credentials``: per-site key and secret on Hosted Site, issued and checked here.
- ``intake``: the idempotent receiver of requests and replies (unique (site, key) receipts).
- ``feed``: the monotonic change sequence customer sites pull with an integer cursor.
- ``api``: the two signed endpoints (``receive``, ``changes``) and the staff button.
"""
