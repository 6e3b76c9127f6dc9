from support_policy.delivery import attachments as a

MB = 1024 * 1024


def test_files_within_the_limits_all_travel_in_order():
	assert a.choose([("a.pdf", MB), ("b.png", 2 * MB)]) == (["a.pdf", "b.png"], [])


def test_a_sixth_file_stays_on_the_customer_site():
	files = [(f"f{i}.txt", 10) for i in range(6)]
	assert a.choose(files) == ([f"f{i}.txt" for i in range(5)], ["f5.txt"])


def test_a_file_over_the_hubs_max_size_stays_but_smaller_ones_after_it_travel():
	assert a.choose([("big.zip", 3 * MB), ("small.txt", 5)], max_file_bytes=2 * MB) == (
		["small.txt"],
		["big.zip"],
	)


def test_the_total_cap_leaves_what_would_exceed_it():
	sent, left = a.choose([("a", 6 * MB), ("b", 6 * MB), ("c", 3 * MB)])
	assert (sent, left) == (["a", "c"], ["b"])
	assert sum({"a": 6, "c": 3}[n] for n in sent) * MB <= a.MAX_TOTAL_BYTES


def test_fits_uses_the_smaller_of_the_hubs_and_the_links_limit():
	assert a.fits(MB, 2 * MB)
	assert not a.fits(3 * MB, 2 * MB)
	assert not a.fits(a.MAX_FILE_BYTES + 1, 100 * MB)


def test_calls_keep_the_batch_and_split_before_the_hubs_body_limit():
	assert a.split([10, 10, 10], batch=2) == [[0, 1], [2]]
	big = 14 * MB
	assert a.split([100, big, big, 100], batch=25) == [[0, 1], [2, 3]]
	assert a.split([a.MAX_CALL_BYTES + 1, 5], batch=25) == [[0], [1]]


def test_refusal_counts_what_the_request_already_holds():
	assert a.refusal([], MB) is None
	assert a.refusal([10] * a.MAX_FILES, 10) == "count"
	assert a.refusal([MB], a.MAX_FILE_BYTES + 1, 100 * MB) == "size"
	assert a.refusal([MB], 3 * MB, 2 * MB) == "size"
	assert a.refusal([6 * MB], 6 * MB) == "total"
	assert a.refusal([6 * MB], 4 * MB) is None
