"""The board feed, without the app: requests in, jobs out; coalescing and ordering."""

from __future__ import annotations

from weekwatch.tui.feed import BoardFeed, Job


def test_the_first_request_is_a_whole_board_and_starts_at_once():
    feed = BoardFeed()
    assert feed.request({"wugang"}) == Job(1, None)  # nothing to carry over yet: whole
    assert feed.busy


def test_requests_while_judging_coalesce_into_one_next_job():
    feed = BoardFeed()
    first = feed.request()
    assert first == Job(1, None)
    assert [feed.request({u}) for u in ("a", "b", "c")] == [None, None, None]
    out = feed.finished(first.seq)
    assert out.apply and out.next == Job(2, frozenset({"a", "b", "c"}))
    assert feed.finished(2).next is None and not feed.busy


def test_a_whole_board_request_wins_over_unit_requests():
    feed = BoardFeed()
    feed.finished(feed.request().seq)
    job = feed.request({"a"})
    assert job == Job(2, frozenset({"a"}))
    feed.request({"b"})
    feed.request()  # e.g. an operator's action: everything again
    feed.request({"c"})
    assert feed.finished(job.seq).next == Job(3, None)


def test_a_burst_costs_two_judgements():
    feed = BoardFeed()
    jobs = [feed.request()]
    jobs += [j for u in range(500) if (j := feed.request({f"u{u}"})) is not None]
    while jobs[-1] is not None:
        jobs.append(feed.finished(jobs[-1].seq).next)
    assert [j.seq for j in jobs if j] == [1, 2]


def test_an_older_board_is_never_applied_over_a_newer_one():
    feed = BoardFeed()
    feed.finished(feed.request().seq)
    j2 = feed.request()
    assert feed.finished(j2.seq).apply and feed.applied == 2
    assert not feed.finished(1).apply  # a late, stale result
    assert feed.applied == 2


def test_a_failed_job_is_not_applied_but_frees_the_feed():
    feed = BoardFeed()
    job = feed.request()
    feed.request({"a"})
    out = feed.finished(job.seq, ok=False)
    assert not out.apply and feed.applied == 0
    assert out.next == Job(2, None)  # still no board: the next one is whole again


def test_hushed_units_stay_quiet_up_to_the_next_jobs_board_only():
    feed = BoardFeed()
    first = feed.request()
    feed.hush({"a"})  # the start-up scan's units, while the first board is judged
    feed.request({"a"})
    out = feed.finished(first.seq)
    assert out.quiet == frozenset({"a"})  # the first board does not announce them
    out2 = feed.finished(out.next.seq)
    assert out2.quiet == frozenset({"a"})  # nor the one judged after the batch
    feed.request({"a"})
    assert feed.finished(3).quiet == frozenset()  # later arrivals are announced again
