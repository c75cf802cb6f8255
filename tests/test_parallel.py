"""fork_map: the same results as a loop, in order, computed in other processes."""

import os

import pytest

from model.parallel import cores, fork_map


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
