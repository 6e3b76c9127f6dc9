"""The link's framework-free rules: signatures, backoff, dead letter, clock trust."""

from datetime import UTC, datetime, timedelta

from support_policy.delivery import clock, retry, signing

SECRET = signing.new_secret()
BODY = b'{"items": [{"key": "k1", "subject": "No abre"}]}'


def signed(secret=SECRET, ts=1_000_000, contract="SC-0001", body=BODY):
	return signing.sign(secret, ts, "POST", "/api/method/x", contract, body)


def test_a_genuine_fresh_call_passes():
	assert (
		signing.check(SECRET, signed(), "1000000", "POST", "/api/method/x", "SC-0001", BODY, 1_000_010)
		is None
	)


def test_a_tampered_body_is_refused():
	tampered = BODY.replace(b"No abre", b"Otra cosa")
	assert (
		signing.check(SECRET, signed(), "1000000", "POST", "/api/method/x", "SC-0001", tampered, 1_000_000)
		== signing.MISMATCH
	)


def test_another_sites_secret_is_refused():
	other = signing.new_secret()
	assert other != SECRET
	assert (
		signing.check(other, signed(), "1000000", "POST", "/api/method/x", "SC-0001", BODY, 1_000_000)
		== signing.MISMATCH
	)


def test_a_signature_for_another_contract_is_refused():
	assert (
		signing.check(SECRET, signed(), "1000000", "POST", "/api/method/x", "SC-0002", BODY, 1_000_000)
		== signing.MISMATCH
	)


def test_an_old_call_is_stale_and_missing_headers_are_refused():
	assert (
		signing.check(SECRET, signed(), "1000000", "POST", "/api/method/x", "SC-0001", BODY, 1_000_000 + 301)
		== signing.STALE
	)
	assert (
		signing.check(SECRET, None, "1000000", "POST", "/api/method/x", "SC-0001", BODY, 1_000_000)
		== signing.MISSING
	)
	assert (
		signing.check(SECRET, signed(), "yesterday", "POST", "/api/method/x", "SC-0001", BODY, 1_000_000)
		== signing.MISSING
	)


def test_keys_and_secrets_are_never_shared():
	assert len({signing.new_key() for _ in range(100)}) == 100
	assert len({signing.new_secret() for _ in range(100)}) == 100


def test_backoff_doubles_up_to_the_cap_and_then_the_row_is_dead():
	assert [retry.delay_after(n) for n in (1, 2, 3, 4)] == [30, 60, 120, 240]
	assert retry.delay_after(50) == retry.CAP_SECONDS
	assert not retry.is_dead(retry.MAX_ATTEMPTS - 1)
	assert retry.is_dead(retry.MAX_ATTEMPTS)
	# The outbox keeps trying for hours before it gives up (an outage over a night is covered).
	assert 8 * 3600 < retry.total_patience() < 24 * 3600


ARRIVED = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


def test_the_sla_starts_when_the_customer_saved_the_request():
	saved = ARRIVED - timedelta(hours=3)
	assert clock.trusted_start(saved, ARRIVED, ARRIVED - timedelta(days=30)) == saved


def test_a_clock_ahead_of_the_hub_gains_nothing():
	assert clock.trusted_start(ARRIVED + timedelta(hours=2), ARRIVED, None) == ARRIVED


def test_the_hub_trusts_at_most_24_hours_back():
	saved = ARRIVED - timedelta(days=5)
	assert clock.trusted_start(saved, ARRIVED, None) == ARRIVED - timedelta(hours=24)


def test_never_before_the_site_was_linked():
	linked = ARRIVED - timedelta(hours=1)
	assert clock.trusted_start(ARRIVED - timedelta(hours=5), ARRIVED, linked) == linked


def test_unknown_save_time_counts_from_arrival():
	assert clock.trusted_start(None, ARRIVED, None) == ARRIVED
