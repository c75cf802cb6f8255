"""The parse cache serves a file's outcome only while the file's bytes are unchanged."""

from model import ContentError, load_site


def test_cached_load_equals_a_fresh_load_and_sees_every_change(content_copy, tmp_path):
    cache = tmp_path / "cache"
    fresh = load_site(content_copy)
    cached_cold, cached_warm = load_site(content_copy, cache_dir=cache), load_site(content_copy, cache_dir=cache)
    for site in (cached_cold, cached_warm):
        for name, items in fresh.records.items():
            assert [(r.id, r.data, r.overlay, r.translation) for r in site.all(name)] == \
                   [(r.id, r.data, r.overlay, r.translation) for r in items]

    offer = content_copy / "ja/offers/kochi-forest.yaml"
    offer.write_text(offer.read_text(encoding="utf-8").replace("quantity_t_co2: 12000", "quantity_t_co2: 12500"),
                     encoding="utf-8")
    assert load_site(content_copy, cache_dir=cache).find("offers", "kochi-forest").quantity_t_co2 == 12500

    (content_copy / "en/offers/kochi-forest.yaml").unlink()
    record = load_site(content_copy, cache_dir=cache).find("offers", "kochi-forest")
    assert record.overlay is None and record.translation == "missing"

    offer.write_text(offer.read_text(encoding="utf-8").replace("quantity_t_co2: 12500", "quantity_t_co2: １"),
                     encoding="utf-8")
    for _ in range(2):  # problems are replayed from the cache too
        try:
            load_site(content_copy, cache_dir=cache)
        except ContentError as error:
            assert [p.field for p in error.problems] == ["quantity_t_co2"]
        else:
            raise AssertionError("the bad quantity was not reported")


def test_a_file_rewritten_with_its_size_and_time_kept_is_read_again(content_copy, tmp_path):
    """Digests are taken again only for files whose inode, size or times changed (as git's
    index does); a rewrite that keeps size and modification time still changes the file's
    change time, which no editor or tool can set back."""
    import os
    import pickle
    import time

    from model.cache import DigestMemo

    cache = tmp_path / "cache"
    offer = content_copy / "ja/offers/kochi-forest.yaml"
    past = time.time_ns() - 60_000_000_000
    os.utime(offer, ns=(past, past))
    time.sleep(DigestMemo.RACY_NS / 1e9 + 0.1)  # the copy's change time is now: wait till it is not
    load_site(content_copy, cache_dir=cache)
    [memo] = cache.glob("digests-*.pickle")
    assert str(offer) in pickle.loads(memo.read_bytes())
    text = offer.read_text(encoding="utf-8")
    offer.write_text(text.replace("quantity_t_co2: 12000", "quantity_t_co2: 12500"), encoding="utf-8")
    os.utime(offer, ns=(past, past))
    assert offer.stat().st_size == len(text.encode("utf-8"))
    assert load_site(content_copy, cache_dir=cache).find("offers", "kochi-forest").quantity_t_co2 == 12500


def test_a_load_read_on_every_core_reports_what_one_process_reports(content_copy, monkeypatch):
    """Over 200 files not in the cache are read in worker processes: same records, same problems."""
    faq = (content_copy / "ja/faqs/how-to-buy.yaml").read_text(encoding="utf-8")
    for n in range(250):
        text = faq.replace("order: 1", f"order: {n + 10}")
        if n in (17, 230):
            text = text.replace("category: trading", "category: tradnig")
        (content_copy / f"ja/faqs/extra-{n:03d}.yaml").write_text(text, encoding="utf-8")

    def load():
        try:
            load_site(content_copy)
        except ContentError as error:
            return [(p.path, p.line, p.field, p.ja) for p in error.problems]
        raise AssertionError("the bad categories were not reported")

    parallel = load()
    monkeypatch.setattr("model.site.fork_map", lambda function, items, threshold=0: [function(i) for i in items])
    assert load() == parallel
    assert [(path.rsplit("/", 1)[-1], field) for path, _, field, _ in parallel] == \
           [("extra-017.yaml", "category"), ("extra-230.yaml", "category")]


def test_a_cached_file_links_are_checked_against_the_tree_of_each_load(content_copy, tmp_path):
    """A page's links to attachments are kept with its parse; a deleted attachment is still
    reported on the next load, naming the page's line."""
    cache = tmp_path / "cache"
    page = content_copy / "ja/pages/about.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n[実施要綱](/files/regulations/jisshi-yoko.pdf)\n",
                    encoding="utf-8")
    line = len(page.read_text(encoding="utf-8").splitlines())
    load_site(content_copy, cache_dir=cache)
    (content_copy / "files/regulations/jisshi-yoko.pdf").unlink()
    for _ in range(2):
        try:
            load_site(content_copy, cache_dir=cache)
        except ContentError as error:
            assert (str(page), line) in [(p.path, p.line) for p in error.problems if "jisshi-yoko.pdf" in p.en]
        else:
            raise AssertionError("the missing attachment was not reported")


def test_a_cache_read_ahead_serves_only_while_its_file_is_unchanged(tmp_path):
    """The build server unpickles caches between builds (read_ahead); a build that finds the
    file replaced since reads the file."""
    import pickle

    from model.cache import _AHEAD, load_pickle, read_ahead

    path = tmp_path / "checks-x.pickle"
    path.write_bytes(pickle.dumps({"outcome": 1}))
    read_ahead(tmp_path, interrupted=lambda: True)  # a build asked for: it reads for itself
    assert str(path) not in _AHEAD
    read_ahead(tmp_path)
    assert str(path) in _AHEAD
    replacement = tmp_path / "checks-x.tmp"
    replacement.write_bytes(pickle.dumps({"outcome": 2}))
    replacement.replace(path)
    assert load_pickle(path) == {"outcome": 2}
    read_ahead(tmp_path)
    assert load_pickle(path) == {"outcome": 2} and str(path) not in _AHEAD  # served, once


def test_deferred_saves_are_made_in_order_after_the_build_and_at_once_in_forked_processes(tmp_path):
    """On the build server a build's caches are written after it has answered its caller."""
    import os
    import pickle

    from model.cache import defer_saves, save_deferred, save_pickle

    first, second, blocked = tmp_path / "a.pickle", tmp_path / "b.pickle", tmp_path / "c.pickle"
    blocked.write_bytes(pickle.dumps("stale"))
    defer_saves()
    try:
        save_pickle(first, 1)
        save_pickle(first, 2)  # a later save of the same file wins
        save_pickle(blocked, lambda: "not picklable")  # cannot be written: the stale file goes
        save_pickle(second, "now", at_once=True)
        assert pickle.loads(second.read_bytes()) == "now"
        pid = os.fork()
        if pid == 0:  # a forked worker saves at once: nothing would save for it later
            save_pickle(second, "from the worker")
            os._exit(0)
        os.waitpid(pid, 0)
        assert pickle.loads(second.read_bytes()) == "from the worker"
        assert not first.exists()
    finally:
        save_deferred()
    assert pickle.loads(first.read_bytes()) == 2
    assert not blocked.exists()
    save_pickle(first, 4)  # no longer deferred
    assert pickle.loads(first.read_bytes()) == 4


def test_a_build_state_saved_after_the_build_answered_is_never_older_than_the_output(tmp_path):
    """The state of the last build (what it produced) is written after the build server's
    build has answered; until then there is none, and a build started then builds afresh."""
    from model.cache import defer_saves, save_deferred
    from site_pages.output import BuildState

    BuildState(tmp_path, tmp_path / "site").save({"a.html", "b.html"}, {}, {})
    assert BuildState(tmp_path, tmp_path / "site").produced == {"a.html", "b.html"}
    defer_saves()
    try:
        BuildState(tmp_path, tmp_path / "site").save({"a.html"}, {}, {})
        assert BuildState(tmp_path, tmp_path / "site").produced == set()  # not b.html, which is gone
    finally:
        save_deferred()
    assert BuildState(tmp_path, tmp_path / "site").produced == {"a.html"}
