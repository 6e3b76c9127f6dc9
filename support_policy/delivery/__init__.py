"""Framework-free rules of the link between a customer site and the provider's hub.

- ``signing``: HMAC-SHA256 signatures of every call (per-site secret, timestamp, body digest).
- ``retry``: exponential backoff and the dead-letter limit of the outbox.
- ``clock``: how far back the hub trusts the time a customer saved a request on their site.

The pattern: transactional outbox on the customer site + idempotent receiver on the hub + a
pull-based change feed with an integer cursor back to the customer site.
"""
