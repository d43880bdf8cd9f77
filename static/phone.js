// The charts on a narrow screen (indicators/charts/narrow.py): each figure carries, in
// layout.meta.phone, the relayout that fits it to a phone ("narrow") and its own values of the
// same attributes ("wide"). This script only switches between the two, for every chart on the
// page, when a chart is drawn or redrawn and when the screen crosses NARROW (or the chart
// MEDIUM). The figure that is exported (PNG, SVG, briefs) is never touched: it is made on the
// server.
//
// Wider than a phone, a chart's title, subtitle and footer keep the lines the server cut for
// the 1600 px export, and a page's column is narrower than that: where one of those lines is
// wider than the chart, the three are cut again, here, to the chart's width (measured in its
// own fonts), and the chart grows by the lines it gains. Every other attribute stays the
// figure's own.
(() => {
  if (window.__indicatorsPhone) return;
  window.__indicatorsPhone = true;
  const NARROW = window.matchMedia("(max-width: 640px)");
  // A chart narrower than this takes the phone's layout on any screen (a window about 1,100
  // px wide leaves a chart about 640 px: beside its legend the plot was squeezed); its words
  // are then cut to the chart's width where it is wider than a phone's (ROOMY).
  const MEDIUM = 720;
  const ROOMY = 480;
  // pixels a line of the title, subtitle and footer takes: the figure's own
  // (indicators/charts/frame.py, brief_frame) and the phone's (indicators/charts/narrow.py)
  const WIDE_LINES = { title: 28, subtitle: 19, footer: 16 };
  const NARROW_LINES = { subtitle: 17, footer: 16 };
  const PAD = 12;  // the space kept at the chart's right edge
  const ruler = document.createElement("canvas").getContext("2d");
  let waiting = null;

  // (no markup written out in this script: Streamlit's st.html drops a script that has some)
  const LT = String.fromCharCode(60);
  const BREAK = `${LT}br>`;
  const escape = (text) => String(text)
    .replace(/&/g, "&amp;").replace(new RegExp(LT, "g"), "&lt;").replace(/>/g, "&gt;");
  // a label's lines as plain text (its tags dropped, its entities read)
  const plain = (text) => String(text).split(BREAK).map((line) => line
    .replace(new RegExp(`${LT}[^>]+>`, "g"), "")
    .replace(/&lt;/g, LT).replace(/&gt;/g, ">").replace(/&amp;/g, "&"));
  function measure(text, font) {
    ruler.font = font;
    return ruler.measureText(text).width;
  }
  // plain text cut at spaces into lines no wider than width px (a longer word stands alone)
  function wrap(text, font, width) {
    const lines = [];
    for (const paragraph of String(text).split("\n")) {
      let line = "";
      for (const word of paragraph.split(/\s+/).filter(Boolean)) {
        const longer = line ? `${line} ${word}` : word;
        if (line && measure(longer, font) > width) {
          lines.push(line);
          line = word;
        } else {
          line = longer;
        }
      }
      lines.push(line);
    }
    return lines;
  }
  const fontOf = (font, bold) =>
    `${bold ? "bold " : ""}${font.size}px ${font.family}`;

  // The relayout that cuts the chart's title, subtitle and footer to its width, from the
  // values of the layout it shows (own: phone.wide or phone.narrow, whose lines take `steps`
  // pixels); null when those lines fit (and, with `fill`, would not take fewer lines).
  function fitted(gd, own, steps, fill) {
    const full = gd._fullLayout;
    const meta = gd.layout.meta;
    if (!full || !full._size || !meta || !meta.title) return null;
    const width = full.width;
    const notes = gd.layout.annotations || [];
    const at = notes.findIndex((a) => a.name === "footer");
    const parts = [];  // [key, source lines, their font, start x, line height]
    const titleFont = full.title.font;
    const start = (full.title.pad && full.title.pad.l) || 0;
    // (the phone's title keeps its lines: Plotly sets a title of fewer lines lower than the
    // margin it frees, so the subtitle then touched what stands under it)
    if (!fill) {
      parts.push(["title.text", [meta.title], fontOf(titleFont, true), start, steps.title]);
    }
    if (meta.subtitle) {
      const font = (full.title.subtitle && full.title.subtitle.font) || titleFont;
      parts.push(["title.subtitle.text", [meta.subtitle], fontOf(font, false), start,
                  steps.subtitle]);
    }
    if (at >= 0 && meta.footer && meta.footer.length) {
      const note = full.annotations[at];
      const x = full._size.l + (note.xshift || 0);
      parts.push([`annotations[${at}].text`, meta.footer, fontOf(note.font, false), x,
                  steps.footer]);
    }
    const update = {};
    let top = 0;
    let bottom = 0;
    let cut = false;
    for (const [key, paragraphs, font, x, step] of parts) {
      const room = width - x - PAD;
      const was = own[key] === undefined || own[key] === null ? [] : plain(own[key]);
      const fits = was.every((line) => measure(line, font) <= room);
      if (fits && !fill) continue;
      const lines = paragraphs.flatMap((p) => wrap(p, font, room));
      if (fits && lines.length >= was.length) continue;
      cut = true;
      update[key] = key === "title.text"
        ? lines.map((line) => `${LT}b>${escape(line)}${LT}/b>`).join(BREAK)
        : lines.map(escape).join(BREAK);
      const more = (lines.length - was.length) * step;
      if (key.startsWith("annotations")) bottom += more; else top += more;
    }
    if (!cut) return null;
    update["margin.t"] = own["margin.t"] + top;
    update["margin.b"] = own["margin.b"] + bottom;
    update.height = own.height + top + bottom;
    return update;
  }

  // Streamlit sizes a chart's box to the figure's height on the server and sizes the figure
  // back to its box: the box takes the new height first (or its own again), so that
  // Streamlit has it when the relayout reaches it (a height changed under a relayout leaves
  // the axis titles where they were).
  // (no wait when the chart keeps its height: a footer's words moved between its lines)
  function apply(gd, update, height) {
    gd.__phoneBusy = true;
    setBox(gd, height);
    const resized = "height" in update && update.height !== gd._fullLayout.height;
    setTimeout(() => {
      Promise.resolve(window.Plotly.relayout(gd, update))
        .catch(() => {})
        .finally(() => { gd.__phoneBusy = false; soon(); });
    }, resized ? 150 : 0);
  }
  // the chart's box at `height` ("": Streamlit's own)
  function setBox(gd, height) {
    const box = gd.closest('[data-testid="stElementContainer"]');
    if (!box || box.style.height === height) return;
    box.style.height = height;
    box.style.flexBasis = height;
  }

  function fit() {
    waiting = null;
    const Plotly = window.Plotly;  // set by Streamlit's plotly.js bundle
    if (!Plotly || !Plotly.relayout) return;
    for (const gd of document.querySelectorAll(".js-plotly-plot")) {
      const phone = gd.layout && gd.layout.meta && gd.layout.meta.phone;
      if (!phone || gd.__phoneBusy || !gd._fullLayout) continue;
      const width = gd._fullLayout.width;
      const want = NARROW.matches || width < MEDIUM ? "narrow" : "wide";
      // the title's size tells the two apart (narrow.py keeps them different)
      const size = gd.layout.title && gd.layout.title.font && gd.layout.title.font.size;
      const now = size === phone.narrow["title.font.size"] ? "narrow" : "wide";
      if (now !== want) {
        gd.__fittedTo = null;
        apply(gd, phone[want], want === "narrow" ? `${phone.narrow.height}px` : "");
        continue;
      }
      // the words cut again to the chart's width, once for each width and each figure
      // Streamlit draws (a new one is a new layout)
      const done = gd.__fittedTo;
      if (done && done.width === width && done.layout === gd.layout) continue;
      gd.__fittedTo = {width, layout: gd.layout};
      // The layout shown (the phone's or the figure's own) with its words cut again: the
      // phone's to the room there is where the chart is wider than a phone, the figure's own
      // where the chart is narrower than they are. Only what differs from the layout shown is
      // handed over: a relayout of the footer's words alone is quick, one of the legend or
      // axes redraws the plot.
      const base = phone[want];
      const update = want === "narrow"
        ? width >= ROOMY && fitted(gd, base, NARROW_LINES, true)
        : fitted(gd, base, WIDE_LINES, false);
      const at = (gd.layout.annotations || []).findIndex((a) => a.name === "footer");
      const keys = ["title.text", "title.subtitle.text", `annotations[${at}].text`,
                    "margin.t", "margin.b", "height"].filter((k) => k in base);
      const wanted = {};
      for (const key of keys) wanted[key] = base[key];
      Object.assign(wanted, update || {});
      const change = {};
      for (const [key, value] of Object.entries(wanted)) {
        if (value !== shown(gd.layout, key)) change[key] = value;
      }
      const height = update ? `${update.height}px`
        : want === "narrow" ? `${base.height}px` : "";
      if (Object.keys(change).length) apply(gd, change, height); else setBox(gd, height);
    }
  }
  // the layout's value at a relayout path ('margin.t', 'annotations[3].text')
  function shown(layout, path) {
    let node = layout;
    for (const part of path.replace(/\]/g, "").split(".")) {
      const [name, index] = part.split("[");
      node = node == null ? undefined : node[name];
      if (index !== undefined && node != null) node = node[Number(index)];
    }
    return node;
  }
  function soon() { if (waiting === null) waiting = setTimeout(fit, 30); }

  new MutationObserver(soon).observe(document.body, { childList: true, subtree: true });
  NARROW.addEventListener("change", soon);
  window.addEventListener("resize", soon);
  soon();
})();
