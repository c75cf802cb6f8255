"""The offers generator: makes every listed offer's contracts and the offers' open data in
`generate_context` (so that pages, rendered later, can state each file's size) and writes
them in `generate_output`."""

from __future__ import annotations

import datetime as dt
import logging
from collections import ChainMap
from pathlib import Path

from pelican.generators import Generator

from opendata.catalog import declare, last_changed
from opendata.published import announce, download_name, observed
from site_pages.pages import LANGUAGES, write_file
from site_pages.routes import absolute_origin, url_for

from .contracts import ContractCache, contract_template
from .exports import contract_filename, contract_url, offers_table
from .listing import filter_options, listed_offers, prefecture_code, reading

logger = logging.getLogger(__name__)
FILES = "jcredit_offer_files"  # context key: output path -> bytes (or StoredFile) of every file made here


class OffersGenerator(Generator):
    def generate_context(self):
        site = self.context["jcredit_site"]
        day = dt.date.fromisoformat(self.settings["BUILD_DATE"])
        site_url = absolute_origin(self.settings)  # the data and contracts are read away from the site
        offers = listed_offers(site, day)
        # The open data is written and catalogued by the opendata plugin; contracts are ours.
        table = offers_table(site, offers, site_url)
        expiries = [o.expires_on for o in site.all("offers") if o.get("status") == "open" and o.get("expires_on")]
        dataset = declare(self.context, table, "offers", "offers/", last_changed(self.context, ["offers"], day, expiries))
        templates = {lang: contract_template(Path(self.settings["PATH"]), lang) for lang in LANGUAGES}
        cache = ContractCache(self.settings["OFFER_CONTRACT_CACHE"])
        urls, jobs = [], []
        for index, offer in enumerate(offers):
            moment = dt.datetime.combine(offer.listed_on, dt.time())
            for lang in LANGUAGES:
                urls.append(contract_url(offer, lang).lstrip("/"))
                jobs.append((templates[lang], table.rows[lang][index], moment))  # the open data's row
        contracts = dict(zip(urls, cache.documents(jobs)))  # read only where the output lacks them
        cache.prune()
        logger.info("offers: %d listed; contracts: %d rendered, %d from the cache",
                    len(offers), cache.rendered, cache.reused)
        self.contracts = contracts
        announce(self.context, contracts)  # the offer pages show their sizes
        self.context[FILES] = ChainMap(contracts, dataset.files)  # the tables' may be in making

    def generate_output(self, writer):
        for relative, data in self.contracts.items():
            write_file(self, relative, data)


def install_helpers(generator) -> None:
    """Template helpers for the offers' pages, on every generator's Jinja environment."""
    context = generator.context

    def download(url: str, name: str | None = None) -> dict | None:
        """{url, format, size, name} of a file made here, or None if there is none (an offer not
        listed); `name`, if given, is what the reader's download is saved as."""
        data = context.get(FILES, {}).get(url.lstrip("/"))
        if data is None:
            return None
        observed(context, url.lstrip("/"))
        return {"url": url, "format": Path(url).suffix.lstrip(".").upper(), "size": len(data), "name": name}

    generator.env.globals.update(
        listed_offers=listed_offers,
        offer_filters=filter_options,
        offer_reading=reading,
        offer_prefecture_code=prefecture_code,
        offer_contract=lambda offer, lang: download(contract_url(offer, lang), contract_filename(offer, lang)),
        offer_data=lambda lang: [download(url, download_name(url.lstrip("/")))
                                 for url in (url_for(f"offers/offers.{ext}", lang) for ext in ("csv", "xlsx", "json"))],
    )
