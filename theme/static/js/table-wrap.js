// Tables wider than the screen scroll sideways in their region (ui.table_wrap: a .table-wrap
// with role=region and tabindex=0), and so do charts (figure.chart). Loaded on every page by
// base.html; without it the tables still scroll by hand, and every region takes the focus.

// A region takes the keyboard's focus, to be scrolled with the arrow keys, only while it has
// something to scroll: on a wide screen a tab stop that does nothing is one more to get past.
// Rechecked whenever its size changes (a turned phone, a zoom, a filtered table).
const scrollers = document.querySelectorAll(".table-wrap[tabindex='0'], figure.chart[tabindex='0']");
const focusableWhileScrolling = (region) => {
  if (region.scrollWidth > region.clientWidth) {
    region.setAttribute("tabindex", "0");
  } else {
    region.removeAttribute("tabindex");
  }
};
if (scrollers.length && "ResizeObserver" in window) {
  const observer = new ResizeObserver((entries) => entries.forEach(({ target }) => focusableWhileScrolling(target)));
  for (const scroller of scrollers) {
    focusableWhileScrolling(scroller);  // the observer says nothing of a region hidden from the start
    observer.observe(scroller);
  }
}

// A browser scrolls a focused control into view only when none of it shows, so a link or
// sort button half past the region's edge could take the focus out of sight (WCAG 2.4.7):
// this scrolls the region until the whole control shows, its focus ring included (the
// region's scroll-padding, site.css).
document.addEventListener("focusin", (event) => {
  const target = event.target;
  if (!(target instanceof Element)) {
    return;
  }
  const wrap = target.closest(".table-wrap");
  if (wrap && wrap !== target && wrap.scrollWidth > wrap.clientWidth) {
    target.scrollIntoView({ block: "nearest", inline: "nearest" });
  }
});
