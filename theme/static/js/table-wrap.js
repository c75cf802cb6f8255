// Tables wider than the screen scroll sideways in their region (ui.table_wrap: a .table-wrap
// with role=region and tabindex=0). A browser scrolls a focused control into view only when
// none of it shows, so a link or sort button half past the region's edge could take the
// focus out of sight (WCAG 2.4.7): this scrolls the region until the whole control shows,
// its focus ring included (the region's scroll-padding, site.css). Loaded on every page by
// base.html; without it the tables still scroll by hand.

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
