// techmatch operator page: match a demand text, read the ranked supplies
// with their reasons, download them as CSV; list demands to follow up.
// Everything is built with textContent (no HTML from data).
'use strict';

const $ = (id) => document.getElementById(id);
let lastResult = null;  // {query, result} of the last match shown

function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined && text !== null) e.textContent = text;
  return e;
}

// [["text", false], ["matched word", true], ...] -> spans and <mark>s.
function marked(pieces, cls) {
  const e = el('span', cls);
  for (const [text, hit] of pieces || []) {
    e.appendChild(hit ? el('mark', null, text) : document.createTextNode(text));
  }
  return e;
}

// Scores and confidences are null when not finite (JSON has no NaN).
const fixed = (v, digits) => (typeof v === 'number' ? v.toFixed(digits) : '–');

function priceText(p) {
  if (p === null || p === undefined) return '面议';
  if (p >= 10000) return (p / 10000).toLocaleString('zh-CN', {maximumFractionDigits: 2}) + ' 万元';
  return p.toLocaleString('zh-CN') + ' 元';
}

function headers() {
  const h = {'Content-Type': 'application/json'};
  const token = sessionStorage.getItem('techmatch-token');
  if (token) h['Authorization'] = 'Bearer ' + token;
  return h;
}

async function api(method, path, body) {
  const res = await fetch(path, {method, headers: headers(),
                                 body: body ? JSON.stringify(body) : undefined});
  const data = await res.json().catch(() => ({}));
  if (res.status === 401) {
    $('auth').hidden = false;
    throw new Error('需要访问令牌：请在上方填写后重试');
  }
  if (!res.ok) {
    const e = data.error || {};
    throw new Error((e.field ? e.field + ': ' : '') + (e.message || ('HTTP ' + res.status)));
  }
  return data;
}

function setStatus(id, text, isError) {
  $(id).textContent = text;
  $(id).className = isError ? 'error' : '';
}

function filters() {
  const f = {};
  const region = $('region').value.trim();
  const category = $('category').value.trim();
  if (region) f.region = region;
  if (category) f.category = category;
  const lo = $('trl-min').value, hi = $('trl-max').value;
  if (lo) f.min_maturity = Number(lo);
  if (hi) f.max_maturity = Number(hi);
  return f;
}

function renderMatch(m) {
  const li = el('li', 'card');
  li.dataset.id = m.id;
  const rec = m.record || {};
  const head = el('div', 'head');
  head.appendChild(el('span', 'rank', m.rank + '.'));
  head.appendChild(m.title_marked && m.title_marked.length
      ? marked(m.title_marked, 'title') : el('span', 'title', rec.title || m.id));
  head.appendChild(el('span', 'score', m.id + ' · 得分 ' + fixed(m.score, 3)));
  li.appendChild(head);
  const meta = el('div', 'meta');
  if (rec.organization) meta.appendChild(el('span', 'org', rec.organization));
  if (rec.region) meta.appendChild(el('span', 'region', rec.region));
  meta.appendChild(el('span', 'trl', 'TRL ' + (rec.maturity || '未知')));
  meta.appendChild(el('span', 'price', '报价 ' + priceText(rec.price)));
  if (rec.categories && rec.categories.length) {
    meta.appendChild(el('span', 'cat', rec.categories.join('；')));
  }
  li.appendChild(meta);
  const reasons = el('div', 'reasons');
  for (const r of m.reasons || []) {
    const warn = r.code === 'maturity_below' || r.code === 'over_budget';
    const chip = el('span', 'reason' + (warn ? ' warn' : ''), r.text_zh);
    chip.title = r.text;
    reasons.appendChild(chip);
  }
  li.appendChild(reasons);
  if (m.keywords_marked && m.keywords_marked.length) {
    const kw = el('div', 'keywords');
    kw.appendChild(el('span', 'label', '关键词：'));
    m.keywords_marked.forEach((pieces, i) => {
      if (i > 0) kw.appendChild(document.createTextNode('、'));
      kw.appendChild(marked(pieces));
    });
    li.appendChild(kw);
  }
  if (m.snippet_marked && m.snippet_marked.length) {
    li.appendChild(marked(m.snippet_marked, 'snippet'));
    li.lastChild.style.display = 'block';
  }
  return li;
}

function renderResult(query, result) {
  lastResult = {query, result};
  const summary = $('summary');
  summary.replaceChildren();
  summary.appendChild(el('span', 'badge conf', '置信度 ' + fixed(result.confidence, 2)));
  summary.appendChild(result.needs_follow_up
      ? el('span', 'badge follow', '需人工跟进（覆盖度低）')
      : el('span', 'badge ok', '匹配充分'));
  if (result.category) {
    summary.appendChild(el('span', 'cat',
        '学科：' + result.category + (result.category_inferred ? '（推断）' : '')));
  }
  const list = $('results');
  list.replaceChildren(...result.matches.map(renderMatch));
  $('csv').disabled = result.matches.length === 0;
  const warn = (result.warnings || []).length ? '；没有记录满足筛选条件' : '';
  setStatus('status', '共 ' + result.matches.length + ' 条结果' + warn, false);
}

async function runMatch(body, shownQuery) {
  setStatus('status', '匹配中…', false);
  $('submit').disabled = true;
  try {
    const result = await api('POST', '/v1/match', body);
    renderResult(shownQuery, result);
  } catch (e) {
    $('results').replaceChildren();
    $('summary').replaceChildren();
    setStatus('status', '出错：' + e.message, true);
  } finally {
    $('submit').disabled = false;
  }
}

function submitText(text) {
  const body = {text, k: Number($('k').value) || 10, filters: filters(), explain: true};
  if (Object.keys(body.filters).length === 0) delete body.filters;
  return runMatch(body, text);
}

function csvCell(v) {
  const s = v === null || v === undefined ? '' : String(v);
  return /[",\n\r]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
}

function downloadCsv() {
  if (!lastResult) return;
  const {query, result} = lastResult;
  const rows = [['query', 'rank', 'id', 'title', 'organization', 'region', 'maturity',
                 'price', 'score', 'confidence', 'needs_follow_up', 'reasons']];
  for (const m of result.matches) {
    const r = m.record || {};
    rows.push([query, m.rank, m.id, r.title, r.organization, r.region, r.maturity, r.price,
               m.score, result.confidence, result.needs_follow_up,
               (m.reasons || []).map((x) => x.text_zh).join('；')]);
  }
  // A BOM so spreadsheet programs read the Chinese as UTF-8.
  const text = '\ufeff' + rows.map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
  const a = el('a');
  a.href = URL.createObjectURL(new Blob([text], {type: 'text/csv;charset=utf-8'}));
  a.download = 'techmatch-results.csv';
  document.body.appendChild(a);
  a.click();
  setTimeout(() => { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
}

async function loadFollowUp() {
  setStatus('follow-status', '检查所有需求…', false);
  try {
    const data = await api('GET', '/v1/follow-up');
    setStatus('follow-status', '共 ' + data.demands + ' 条需求，检查 ' + data.checked +
              ' 条，' + data.flagged + ' 条需跟进', false);
    $('follow-list').replaceChildren(...data.follow_up.map((item) => {
      const d = item.demand || {};
      const li = el('li', 'card');
      const head = el('div', 'head');
      const link = el('a', 'title', d.title || item.query_id);
      link.href = '/?demand=' + encodeURIComponent(item.query_id);
      head.appendChild(link);
      head.appendChild(el('span', 'score', item.query_id + ' · 置信度 ' +
                          fixed(item.confidence, 2)));
      li.appendChild(head);
      const meta = el('div', 'meta');
      if (d.organization) meta.appendChild(el('span', null, d.organization));
      if (d.region) meta.appendChild(el('span', null, d.region));
      const best = item.matches.map((m) => (m.record && m.record.title) || m.id).join('；');
      meta.appendChild(el('span', null, '最接近：' + (best || '无')));
      li.appendChild(meta);
      return li;
    }));
  } catch (e) {
    setStatus('follow-status', '出错：' + e.message, true);
  }
}

function init() {
  for (const id of ['trl-min', 'trl-max']) {
    $(id).appendChild(el('option', null, '不限')).value = '';
    for (let i = 1; i <= 9; ++i) $(id).appendChild(el('option', null, String(i))).value = i;
  }
  $('token').addEventListener('change', () => {
    sessionStorage.setItem('techmatch-token', $('token').value.trim());
  });
  $('match-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    const text = $('q').value.trim();
    if (!text) {
      setStatus('status', '请输入需求描述', true);
      return;
    }
    history.replaceState(null, '', '/?q=' + encodeURIComponent(text));
    submitText(text);
  });
  $('csv').addEventListener('click', downloadCsv);
  const followUp = location.pathname === '/follow-up';
  $('match-view').hidden = followUp;
  $('follow-view').hidden = !followUp;
  $(followUp ? 'nav-follow' : 'nav-match').classList.add('active');
  if (followUp) return loadFollowUp();
  const params = new URLSearchParams(location.search);
  if (params.get('q')) {
    $('q').value = params.get('q');
    submitText(params.get('q'));
  } else if (params.get('demand')) {
    const id = params.get('demand');
    $('q').value = '需求 ' + id;
    runMatch({stored: {kind: 'demand', id}, k: Number($('k').value) || 10}, id);
  }
}

init();
