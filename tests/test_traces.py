"""What the grid marks in a cell about what was done (`store/traces.py`), on a real store."""

from __future__ import annotations

from weekwatch.fixtures.testweek import at, drop
from weekwatch.store.traces import cell_trace, promise_times, recommended_cells, traces
from weekwatch.store.week import Week

DAY = "2024-05-14"


def test_contacted_promised_broken_extended(ws):
    week = Week(ws, clock=lambda: at(14, 12, 30))
    week.contact("wugang", "打了电话，没人接", DAY, operator="王")
    week.contact("baofeng", "答应 15:00 前发", DAY, promised_by=at(14, 15), operator="王")
    week.extend("pzy", DAY, at(14, 18), operator="王")
    ledger = week.ledger()

    # 13:00: the deadline (12:00) has passed; the promise (15:00) is still ahead.
    board = week.board(at(14, 13))
    assert cell_trace(board, ledger, "wugang", DAY) == "contacted"
    assert cell_trace(board, ledger, "baofeng", DAY) == "promised"
    assert cell_trace(board, ledger, "pzy", DAY) == "extended"
    assert traces(board, ledger) == {
        ("wugang", DAY): "contacted",
        ("baofeng", DAY): "promised",
        ("pzy", DAY): "extended",
    }
    # 15:30: 宝丰县 promised 15:00 and sent nothing: a broken promise.
    late = week.board(at(14, 15, 30))
    assert cell_trace(late, ledger, "baofeng", DAY) == "broken"
    assert promise_times(ledger) == [at(14, 15)]


def test_a_kept_promise_is_only_a_contact_and_an_undone_one_nothing(ws):
    week = Week(ws, clock=lambda: at(14, 12, 30))
    week.contact("baofeng", "答应 15:00 前发", DAY, promised_by=at(14, 15), operator="王")
    drop(ws, "宝丰县/5月14日 典型案例.docx", at(14, 14, 50), b"case")
    week.ingestor().scan()
    board = week.board(at(14, 16))
    assert board.cell("baofeng", DAY).state == "late"
    assert cell_trace(board, week.ledger(), "baofeng", DAY) == "contacted"

    week.undo(operator="王")
    assert traces(week.board(at(14, 16)), week.ledger()) == {}


def test_a_contact_about_the_whole_unit_marks_no_cell(ws):
    week = Week(ws, clock=lambda: at(14, 12, 30))
    week.contact("wugang", "换了联络员", None, operator="王")
    assert traces(week.board(at(14, 13)), week.ledger()) == {}


def test_recommended_cells_after_an_arrival_match_the_whole_board_walked(ws):
    """The ★ cells: those a recommended file counts in (not as a duplicate); after an
    arrival, looking again at its unit only gives what walking every file gives."""
    drop(ws, "舞钢市/5月14日/活动照片.jpg", at(14, 9), b"wugang photo")
    drop(ws, "宝丰县/5月14日/照片1.jpg", at(14, 9), b"the same photo")
    drop(ws, "宝丰县/5月14日/照片2.jpg", at(14, 10), b"the same photo")  # a duplicate
    week = Week(ws, clock=lambda: at(15, 11))
    week.ingestor().scan()
    week.recommend(["舞钢市/5月14日/活动照片.jpg", "宝丰县/5月14日/照片2.jpg"], "")
    ledger = week.ledger()
    before = recommended_cells(week.board(), ledger)
    assert before == {("wugang", DAY)}  # 宝丰's recommended copy counts nowhere
    assert recommended_cells(week.board(), week.ledger(at(14, 8))) == frozenset()

    # 宝丰 saves another photo under the recommended name: it counts now.
    drop(ws, "宝丰县/5月14日/照片2.jpg", at(15, 10), b"another photo")
    week.ingestor().scan()
    after = week.board()
    fresh = recommended_cells(after, ledger)
    assert fresh == {("wugang", DAY), ("baofeng", DAY)}
    assert recommended_cells(after, ledger, before, {"baofeng"}) == fresh
    assert recommended_cells(after, ledger, before, {"wugang"}) == before  # 宝丰 not looked at
