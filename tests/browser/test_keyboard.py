"""A keyboard walk of the built pages in the system Chromium: Tab reaches every interactive
element in reading order with a visible focus indicator and back again with Shift+Tab, the
navigation works from the keyboard, wide tables scroll with the arrow keys, and forms can be
filled in and sent without a mouse."""

from __future__ import annotations

import re

import pytest

from test_accessibility import checked_page  # noqa: F401  (the fixture: console errors, other hosts)

pytestmark = pytest.mark.browser

WALKED = ["", "offers/", "offers/kochi-forest/", "meetings/steering-040/", "methodologies/FO-001/",
          "faqs/", "about/"]
TABBABLE = ("a[href], area[href], button:not([disabled]), input:not([disabled]):not([type=hidden]), "
            "select:not([disabled]), textarea:not([disabled]), summary, [tabindex]:not([tabindex='-1'])")
DESCRIBE = """el => el === document.body || !el ? 'BODY' :
    el.tagName + (el.id ? '#' + el.id : '') + '|' + (el.getAttribute('href') || el.getAttribute('name') || '') +
    '|' + (el.textContent || '').trim().slice(0, 30)"""


def expected_order(page) -> list[str]:
    """Every visible tabbable element, in document order (what Tab must visit)."""
    return page.eval_on_selector_all(TABBABLE, f"""els => els
        .filter(el => el.getClientRects().length && getComputedStyle(el).visibility !== 'hidden'
                      && el.tabIndex >= 0)
        .map({DESCRIBE})""")


def focus_state(page) -> dict:
    return page.evaluate(f"""() => {{
        const el = document.activeElement, style = getComputedStyle(el), box = el.getBoundingClientRect();
        return {{name: ({DESCRIBE})(el),
                 indicator: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2
                            || style.boxShadow !== 'none',
                 visible: box.width > 0 && box.height > 0 && box.bottom > 0 && box.top < innerHeight
                          && box.right > 0 && box.left < innerWidth}};
    }}""")


def walk(page, key: str, steps: int) -> list[dict]:
    states = []
    for _ in range(steps):
        page.keyboard.press(key)
        states.append(focus_state(page))
    return states


@pytest.mark.parametrize("lang", ["", "en/"])
@pytest.mark.parametrize("path", WALKED)
def test_tab_visits_every_control_in_reading_order_with_a_visible_focus(checked_page, served_site, lang, path):
    page, _ = checked_page
    page.goto(f"{served_site}/{lang}{path}")
    order = expected_order(page)
    assert len(order) > 10  # skip link, switcher, menu, footer at least
    forward = walk(page, "Tab", len(order))
    assert [s["name"] for s in forward] == order
    hidden = [s["name"] for s in forward if not (s["indicator"] and s["visible"])]
    assert hidden == []  # each focused element is on screen and shows where the focus is
    backward = walk(page, "Shift+Tab", len(order) - 1)
    assert [s["name"] for s in backward] == order[-2::-1]  # and the same way back: no trap


def test_the_main_menu_works_from_the_keyboard(checked_page, served_site):
    page, _ = checked_page
    page.goto(f"{served_site}/")
    page.locator(".main-nav a").nth(2).focus()
    target = page.locator(".main-nav a").nth(2).get_attribute("href")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{served_site}{target}")
    current = page.locator(".main-nav a[aria-current]")
    assert current.count() == 1 and current.get_attribute("href") == target
    page.keyboard.press("Tab")  # the skip link comes first on the new page too
    assert page.evaluate("document.activeElement.className") == "skip-link"


@pytest.mark.parametrize("path", ["offers/", "en/offers/", "projects/"])
def test_a_wide_table_scrolls_with_the_arrow_keys(checked_page, served_site, path):
    page, _ = checked_page
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"{served_site}/{path}")
    region = page.locator(".table-wrap").first
    assert region.get_attribute("role") == "region" and region.get_attribute("aria-labelledby")
    assert region.evaluate("el => el.scrollWidth > el.clientWidth")  # it does overflow on a phone
    for _ in range(60):  # Tab until the table region has the focus
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('table-wrap')"):
            break
    else:
        pytest.fail("the table region is not reachable with Tab")
    assert focus_state(page)["indicator"]
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    # the scroll may be animated: wait for it to move (fails after Playwright's timeout if it never does)
    page.wait_for_function("el => el.scrollLeft > 0", arg=region.element_handle())


def test_forms_can_be_filled_in_and_sent_from_the_keyboard(checked_page, served_site):
    """Every form on the walked pages: its first field is labelled, Tab reaches it, and the
    keyboard sends it: a search form navigates to its results, a filter form announces a count."""
    page, _ = checked_page
    forms = []
    for path in WALKED + ["projects/", "meetings/", "methodologies/", "news/"]:
        page.goto(f"{served_site}/{path}")
        for index in range(page.locator("main form, header form").count()):
            if page.locator("main form, header form").nth(index).is_visible():
                forms.append((path, index))
    assert any(index for _, index in forms)  # the header search and at least one filter form
    for path, index in forms:
        page.goto(f"{served_site}/{path}")
        form = page.locator("main form, header form").nth(index)
        field = form.locator("input:not([type=hidden]):not([type=submit]), select, textarea").first
        assert field.evaluate("el => !!(el.labels && el.labels.length) || !!el.getAttribute('aria-label')")
        order = expected_order(page)
        name = field.evaluate(DESCRIBE)
        assert name in order, path
        for _ in range(order.index(name) + 1):
            page.keyboard.press("Tab")
        assert focus_state(page)["name"] == name, path
        navigates = form.evaluate("f => new URL(f.action, location.href).pathname !== location.pathname")
        if navigates:
            with page.expect_navigation():
                page.keyboard.type("森林")
                page.keyboard.press("Enter")
            assert "q=%E6%A3%AE%E6%9E%97" in page.url, path
            continue
        status = page.locator(f"#{form.get_attribute('data-status')}")
        if field.evaluate("el => el.tagName === 'SELECT'"):
            page.keyboard.press("ArrowDown")  # a closed select takes the next option
        else:
            page.keyboard.type("1")
            page.keyboard.press("Enter")
        # the filtered count is spoken through the form's live region (after a short pause)
        status.filter(has_text=re.compile(r"\d")).wait_for(timeout=5000)
