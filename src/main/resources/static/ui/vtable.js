// A virtualised grid: only the rows in view (and a few around) are in the DOM, so 10,000 rows cost what 40 do.
// Keyboard: the grid takes focus; arrows, Page Up/Down, Home/End move the active row (aria-activedescendant),
// Enter opens it. Column headers are buttons that sort (aria-sort).

import { h, perFrame } from './dom.js';

const OVERSCAN = 8;
let tables = 0;

export class VirtualTable {
  /**
   * @param columns  [{key, title, width (CSS grid track), cell(row) -> string | Node | [Node], sort?(a, b), className?}]
   * @param options  {label, rowHeight, onActivate(row), rowClass(row), rowData(row) -> dataset, empty}
   */
  constructor(columns, options) {
    this.columns = columns;
    this.options = options;
    this.rowHeight = options.rowHeight ?? 26;
    this.rows = [];
    this.active = -1;
    this.sort = options.sort ?? null; // {key, dir: 1 | -1}
    this.id = `vt${++tables}`;
    this.pool = [];
    this.header = h('div', { class: 'vt-head', role: 'row', 'aria-rowindex': 1 },
      columns.map((c) => this.headerCell(c)));
    this.spacer = h('div', { class: 'vt-spacer', role: 'rowgroup' });
    this.emptyNote = h('p', { class: 'vt-empty', hidden: true }, options.empty ?? 'Nothing to show.');
    this.body = h('div', { class: 'vt-body', tabindex: -1, onscroll: perFrame(() => this.render()) },
      this.spacer, this.emptyNote);
    this.el = h('div', {
      class: 'vt', role: 'grid', id: this.id, tabindex: 0, 'aria-label': options.label, 'aria-rowcount': 1,
      onkeydown: (e) => this.key(e),
      onfocus: (e) => { if (e.target === this.el && this.active < 0 && this.rows.length) this.setActive(0); },
    }, this.header, this.body);
    const template = columns.map((c) => c.width ?? '1fr').join(' ');
    this.header.style.gridTemplateColumns = template;
    this.template = template;
    new ResizeObserver(perFrame(() => this.render())).observe(this.body);
  }

  headerCell(column) {
    const sortable = typeof column.sort === 'function';
    const align = (column.className ?? '').includes('num') ? 'num' : '';
    const cell = h('div', { class: 'vt-th ' + align, role: 'columnheader', dataset: { key: column.key } },
      sortable ? h('button', { type: 'button', onclick: () => this.sortBy(column.key) }, column.title) : column.title);
    return cell;
  }

  sortBy(key) {
    const dir = this.sort?.key === key ? -this.sort.dir : 1;
    this.sort = { key, dir };
    this.options.onSort?.(this.sort);
    this.setRows(this.unsorted ?? this.rows, { keepActive: true });
  }

  /** Sorts (by the current sort column) and shows rows; keeps the active row when it is still there. */
  setRows(rows, { keepActive = true } = {}) {
    const activeKey = keepActive && this.active >= 0 ? this.key_(this.rows[this.active]) : null;
    this.unsorted = rows;
    let sorted = rows;
    const column = this.sort && this.columns.find((c) => c.key === this.sort.key);
    if (column?.sort) {
      const dir = this.sort.dir;
      sorted = rows.slice().sort((a, b) => dir * column.sort(a, b));
    }
    this.rows = sorted;
    for (const th of this.header.children) {
      const key = th.dataset.key;
      th.setAttribute('aria-sort', this.sort?.key === key ? (this.sort.dir > 0 ? 'ascending' : 'descending') : 'none');
    }
    this.el.setAttribute('aria-rowcount', String(sorted.length + 1));
    this.spacer.style.height = `${sorted.length * this.rowHeight}px`;
    this.emptyNote.hidden = sorted.length > 0;
    this.active = activeKey === null ? -1 : sorted.findIndex((r) => this.key_(r) === activeKey);
    this.render(true);
  }

  key_(row) {
    return row === undefined ? null : this.options.keyOf(row);
  }

  render(force = false) {
    const top = this.body.scrollTop;
    const height = this.body.clientHeight || 600;
    const first = Math.max(0, Math.floor(top / this.rowHeight) - OVERSCAN);
    const last = Math.min(this.rows.length, Math.ceil((top + height) / this.rowHeight) + OVERSCAN);
    if (!force && first === this.first && last === this.last) return;
    this.first = first;
    this.last = last;
    const needed = last - first;
    while (this.pool.length < needed) {
      const row = h('div', { class: 'vt-row', role: 'row', onclick: (e) => this.click(e, row) });
      row.style.gridTemplateColumns = this.template;
      row.style.height = `${this.rowHeight}px`;
      this.spacer.append(row);
      this.pool.push(row);
    }
    this.pool.forEach((row, i) => {
      const index = first + i;
      if (i >= needed) {
        if (!row.hidden) {
          row.hidden = true;
          row.removeAttribute('id');
          for (const k of Object.keys(row.dataset)) delete row.dataset[k];
          row.replaceChildren();
          row.shown = undefined;
        }
        return;
      }
      row.hidden = false;
      this.fill(row, this.rows[index], index);
    });
    if (this.active >= first && this.active < last) this.el.setAttribute('aria-activedescendant', `${this.id}-active`);
    else this.el.removeAttribute('aria-activedescendant');
  }

  fill(row, data, index) {
    const className = 'vt-row ' + (this.options.rowClass?.(data) ?? '') + (index === this.active ? ' active' : '');
    // Unchanged rows are left alone: rebuilding one between a mouse's down and up would swallow the click.
    if (row.shown === data && row.dataset.index === String(index) && row.className === className) return;
    row.shown = data;
    row.style.transform = `translateY(${index * this.rowHeight}px)`;
    row.setAttribute('aria-rowindex', String(index + 2));
    row.dataset.index = String(index);
    const dataset = this.options.rowData?.(data) ?? {};
    for (const k of Object.keys(row.dataset)) if (k !== 'index' && !(k in dataset)) delete row.dataset[k];
    Object.assign(row.dataset, dataset);
    row.className = className;
    if (index === this.active) row.id = `${this.id}-active`;
    else row.removeAttribute('id');
    row.setAttribute('aria-selected', index === this.active ? 'true' : 'false');
    const cells = this.columns.map((c) => {
      const content = c.cell(data);
      return h('div', { class: 'vt-td ' + (c.className ?? ''), role: 'gridcell' }, content);
    });
    row.replaceChildren(...cells);
  }

  click(event, row) {
    const index = Number(row.dataset.index);
    if (event.target.closest('a, button')) return;
    this.setActive(index);
    this.el.focus({ preventScroll: true });
    this.options.onActivate?.(this.rows[index]);
  }

  /** Makes a row the active one and scrolls it into view (to the middle with center, as a search does). */
  setActive(index, { center = false } = {}) {
    if (!this.rows.length) return;
    this.active = Math.max(0, Math.min(this.rows.length - 1, index));
    const y = this.active * this.rowHeight;
    const view = this.body.clientHeight;
    if (center) this.body.scrollTop = Math.max(0, y - view / 2);
    else if (y < this.body.scrollTop) this.body.scrollTop = y;
    else if (y + this.rowHeight > this.body.scrollTop + view) this.body.scrollTop = y + this.rowHeight - view;
    this.render(true);
  }

  key(e) {
    if (e.target !== this.el) return; // a header's sort button
    const page = Math.max(1, Math.floor(this.body.clientHeight / this.rowHeight) - 1);
    const moves = { ArrowDown: 1, ArrowUp: -1, PageDown: page, PageUp: -page };
    if (e.key in moves) this.setActive((this.active < 0 ? 0 : this.active) + moves[e.key]);
    else if (e.key === 'Home') this.setActive(0);
    else if (e.key === 'End') this.setActive(this.rows.length - 1);
    else if ((e.key === 'Enter' || e.key === ' ') && this.active >= 0) this.options.onActivate?.(this.rows[this.active]);
    else return;
    e.preventDefault();
  }

  /** The rows as they are sorted now (filtered by the caller). */
  get shown() {
    return this.rows;
  }
}
