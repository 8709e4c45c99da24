"""Issue 15, nothing lost: a weekly save of 40 groups, or a 附件3 import being confirmed, killed
(SIGKILL, no clean-up of any kind) just before one of its SQL statements, leaves the database
as it was before, row for row, and the whole write still goes through afterwards. The kill
points are the first statement, the last, and random ones between (the seed is in the
failure message), on the suite's own database engine, in a child process
(tests/killed_write.py) over a database of its own (tests/childdb.py)."""
import random
import signal

import pytest

from tests.childdb import child, databases, digest


@pytest.mark.parametrize("kind", ["weekly", "import"])
def test_a_write_killed_before_any_of_its_statements_leaves_nothing_half_written(kind, tmp_path):
    media = tmp_path / "media"
    with databases(tmp_path) as (base, copy):
        child(base, media, "setup", str(tmp_path))
        before = digest(base, media)
        whole = copy()
        statements = int(child(whole, media, "write", kind, "0", str(tmp_path)).stdout.split()[-1])
        after = digest(whole, media)
        written = {t for t in after if after[t][0] != before[t][0]}
        assert statements > 10 and "audit_auditentry" in written  # the write is real, and logged
        seed = random.randrange(10**6)
        points = sorted({1, statements} | set(random.Random(seed).sample(range(2, statements), 3)))
        for point in points:
            trial = copy()
            killed = child(trial, media, "write", kind, str(point), str(tmp_path), check=False)
            assert killed.returncode == -signal.SIGKILL, (seed, point, killed.stderr[-2000:])
            assert digest(trial, media) == before, f"killed before statement {point} of {statements} (seed {seed})"
            # The same write, run again in full on what the kill left, goes through.
            child(trial, media, "write", kind, "0", str(tmp_path))
            again = digest(trial, media)
            assert {t: n for t, (n, _) in again.items()} == {t: n for t, (n, _) in after.items()}
