// The charts on a narrow screen (indicators/charts/narrow.py): each figure carries, in
// layout.meta.phone, the relayout that fits it to a phone ("narrow") and its own values of the
// same attributes ("wide"). This script only switches between the two, for every chart on the
// page, when a chart is drawn or redrawn and when the screen crosses NARROW. The figure that is
// exported (PNG, SVG, briefs) is never touched: it is made on the server.
(() => {
  if (window.__indicatorsPhone) return;
  window.__indicatorsPhone = true;
  const NARROW = window.matchMedia("(max-width: 640px)");
  let waiting = null;

  function fit() {
    waiting = null;
    const Plotly = window.Plotly;  // set by Streamlit's plotly.js bundle
    if (!Plotly || !Plotly.relayout) return;
    for (const gd of document.querySelectorAll(".js-plotly-plot")) {
      const phone = gd.layout && gd.layout.meta && gd.layout.meta.phone;
      if (!phone || gd.__phoneBusy) continue;
      const want = NARROW.matches ? "narrow" : "wide";
      // the title's size tells the two apart (narrow.py keeps them different)
      const size = gd.layout.title && gd.layout.title.font && gd.layout.title.font.size;
      const now = size === phone.narrow["title.font.size"] ? "narrow" : "wide";
      if (now === want) continue;
      gd.__phoneBusy = true;
      // Streamlit sizes a chart's box to the figure's height on the server and sizes the
      // figure back to its box: the box takes the narrow layout's height, or its own again.
      const box = gd.closest('[data-testid="stElementContainer"]');
      if (box) {
        const height = want === "narrow" ? `${phone.narrow.height}px` : "";
        box.style.height = height;
        box.style.flexBasis = height;
      }
      // ... first, so that Streamlit has the new height when the relayout reaches it (a
      // height changed under a relayout leaves the axis titles where they were).
      setTimeout(() => {
        Promise.resolve(Plotly.relayout(gd, phone[want]))
          .catch(() => {})
          .finally(() => { gd.__phoneBusy = false; soon(); });
      }, 150);
    }
  }
  function soon() { if (waiting === null) waiting = setTimeout(fit, 30); }

  new MutationObserver(soon).observe(document.body, { childList: true, subtree: true });
  NARROW.addEventListener("change", soon);
  soon();
})();
