"""Cadre rules: the ≥20 youths target applies to grassroots cadres only."""
import pytest

from qingnong.ledger.models import Cadre
from qingnong.ledger.rules import YOUTHS_PER_CADRE


@pytest.mark.parametrize("reached,grassroots,gap", [
    (0, True, 20), (7, True, 13), (19, True, 1), (20, True, 0), (35, True, 0), (0, False, 0), (5, False, 0),
])
def test_reach_gap(reached, grassroots, gap):
    assert Cadre(name="张三", youths_reached=reached, is_grassroots=grassroots).reach_gap == gap


def test_target_is_twenty_youths():
    assert YOUTHS_PER_CADRE == 20
