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
