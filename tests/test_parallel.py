"""fork_map: the same results as a loop, in order, computed in other processes; Beside: work
in a forked process while this one goes on; FilesInMaking: files made beside the build."""

import os
import subprocess
import sys

import pytest

from conftest import ROOT
from model.parallel import Beside, cores, fork_map
from opendata.tables import FilesInMaking


def test_fork_map_keeps_order_and_uses_other_processes():
    if cores() < 2:
        pytest.skip("one core: fork_map runs in this process")
    parent = os.getpid()
    results = fork_map(lambda n: (n * n, os.getpid()), list(range(500)), threshold=10)
    assert [square for square, _ in results] == [n * n for n in range(500)]
    assert {pid for _, pid in results} - {parent}  # workers did the work


def test_fork_map_below_its_threshold_stays_in_this_process():
    parent = os.getpid()
    assert fork_map(lambda n: os.getpid(), [1, 2, 3], threshold=10) == [parent] * 3


def test_beside_returns_what_its_process_made_and_raises_what_it_raised():
    parent = os.getpid()
    made = Beside(lambda: (os.getpid(), fork_map(lambda n: n + 1, list(range(300)), threshold=10)))
    pid, numbers = made.result()
    assert pid != parent and numbers == list(range(1, 301))  # its own workers too: not daemonic
    assert made.result() == (pid, numbers)  # asked again: the same, not a second wait
    with pytest.raises(RuntimeError, match="ZeroDivisionError"):
        Beside(lambda: 1 / 0).result()


def test_files_in_making_know_their_paths_at_once_and_their_bytes_only_where_started():
    files = FilesInMaking(["a.csv", "en/a.csv"], Beside(lambda: [b"ja", b"en"]),
                          lambda made: dict(zip(["a.csv", "en/a.csv"], made)))
    assert "a.csv" in files and "b.csv" not in files and len(files) == 2
    with pytest.raises(KeyError):
        files["b.csv"]  # another file's lookup does not wait for these
    child = Beside(lambda: files["a.csv"])  # a worker forked meanwhile may not take the result
    with pytest.raises(RuntimeError, match="forked process"):
        child.result()
    assert dict(files) == {"a.csv": b"ja", "en/a.csv": b"en"}


def test_a_process_ends_though_a_result_made_beside_it_was_never_taken(tmp_path):
    """A build that fails leaves what was made beside it untaken (pages checked ahead, each
    batch's outcomes larger than a pipe holds): it still ends, the process beside stopped,
    rather than wait at exit for it to hand over a result no one reads."""
    script = ("import sys, time\n"
              f"sys.path.insert(0, {str(ROOT / 'plugins')!r})\n"
              "from model.parallel import Beside\n"
              "untaken = Beside(lambda: b'x' * 1_000_000)\n"
              "taken = Beside(lambda: b'y' * 1_000_000)\n"
              "assert taken.result() == b'y' * 1_000_000\n"
              "time.sleep(0.5)\n"
              "raise SystemExit(3)\n")
    ended = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=30)
    assert ended.returncode == 3, ended.stderr
