"""The JSON the headless commands print: streamed in pieces, yet byte for byte what one
json.dump of the spelled value prints, undecodable bytes of file names spelled \\xNN."""

from __future__ import annotations

import json
import os

from weekwatch.store.ingest import spelled
from weekwatch.tui import cli


def test_streamed_json_is_the_spelled_json(capsys) -> None:
    odd = "平职院/" + os.fsdecode("典型案例".encode("gbk")) + ".docx"  # lone surrogates
    assert any("\udc80" <= ch <= "\udcff" for ch in odd)
    for value in (
        [{"path": odd, odd: [1, None, True, "x\u202e"], "n": 2.5}] * 3000,  # many pieces
        {"units": [{"name": "舞钢市教育体育局", "cells": {"plan": "on_time"}}] * 10},
        [],
    ):
        cli._print_json(value)
        out = capsys.readouterr().out
        assert out == json.dumps(spelled(value), ensure_ascii=False, indent=2) + "\n"
        out.encode("utf-8")  # printable on any UTF-8 terminal
