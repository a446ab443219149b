package io.nsscope.ui;

import java.util.List;
import java.util.Map;

/**
 * WCAG contrast of the text a page shows, measured in the browser from computed styles: for every visible element
 * with text of its own, its colour against the first opaque background behind it (walking up; the page's own when
 * none), and for the pictures' badges, their text against their pill.
 */
final class Contrast {

    private static final String MEASURE = """
            const parse = c => { const m = c.match(/[\\d.]+/g); return m ? m.map(Number) : [0, 0, 0, 0]; };
            const lum = ([r, g, b]) => { const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
              return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
            const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
            const page = parse(getComputedStyle(document.body).backgroundColor);
            const behind = el => { for (let e = el; e && e.nodeType === 1; e = e.parentElement) {
                const c = parse(getComputedStyle(e).backgroundColor); if ((c[3] ?? 1) > 0.5) return c; } return page; };
            const out = [];
            for (const el of document.querySelectorAll('body *')) {
              if (el.closest('svg')) continue;
              const own = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
              if (!own || !el.getClientRects().length || getComputedStyle(el).visibility === 'hidden') continue;
              out.push({what: el.tagName + '.' + el.className + ' "' + el.textContent.trim().slice(0, 30) + '"',
                        ratio: ratio(parse(getComputedStyle(el).color), behind(el))});
            }
            for (const t of document.querySelectorAll('svg .badge text, svg .node text, svg .node tspan')) {
              const g = t.closest('g');
              const pill = g.querySelector(':scope > rect');
              out.push({what: 'svg ' + g.getAttribute('class') + ' "' + t.textContent.slice(0, 30) + '"',
                        ratio: ratio(parse(getComputedStyle(t).fill), parse(getComputedStyle(pill).fill))});
            }
            return out;
            """;

    private Contrast() {}

    /** Every text's contrast ratio, with what it is. */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> measure(Page page) {
        return (List<Map<String, Object>>) page.js(MEASURE);
    }
}
