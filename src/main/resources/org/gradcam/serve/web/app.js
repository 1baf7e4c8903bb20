'use strict';
// The explorer page: plain DOM and fetch, no build step. The server keeps each result's map,
// so alpha, colormap and threshold changes only re-render (overlay.png, boxes), never re-run.
const $ = (id) => document.getElementById(id);
const state = { file: null, photoUrl: null, result: null, photo: null };

function status(text, isError) {
  const s = $('status');
  s.textContent = text;
  s.className = isError ? 'error' : '';
}

async function getJson(url) {
  const r = await fetch(url);
  const body = await r.json();
  if (!r.ok) throw new Error(body.error || r.statusText);
  return body;
}

function option(select, value, text, selected) {
  const o = document.createElement('option');
  o.value = value;
  o.textContent = text;
  o.selected = !!selected;
  select.appendChild(o);
}

async function loadLayers() {
  const layers = await getJson('/api/models/' + encodeURIComponent($('model').value) + '/layers');
  const select = $('layer');
  select.innerHTML = '';
  for (const l of layers.layers) {
    const shape = l.output_shape.join('x');
    option(select, l.name, l.name + ' (' + shape + ')' + (l.name === layers.default ? ' — default' : ''),
      l.name === layers.default);
  }
}

async function init() {
  const models = await getJson('/api/models');
  for (const m of models.models) option($('model'), m.name, m.name, m.name === models.default);
  for (const m of models.methods) option($('method'), m, m, m === 'gradcam');
  for (const c of models.colormaps) option($('colormap'), c, c, c === 'jet');
  await loadLayers();
  const examples = await getJson('/api/examples');
  for (const e of examples.examples) option($('example'), e, e);
  if (examples.examples.length === 0) $('gallery-box').hidden = true;
  $('gallery-seed').value = String(Math.floor(Math.random() * 1000));
  wire();
  status('ready: choose or drop an image');
}

function chooseFile(file) {
  state.file = file;
  $('example').value = '';
  setPhoto(URL.createObjectURL(file));
  explain();
}

function chooseExample(name) {
  state.file = null;
  $('example').value = name;
  for (const img of document.querySelectorAll('#gallery img')) {
    img.classList.toggle('chosen', img.dataset.name === name);
  }
  setPhoto('/api/examples/' + encodeURIComponent(name));
  explain();
}

function setPhoto(url) {
  state.photoUrl = url;
  state.photo = new Image();
  state.photo.src = url;
}

async function sampleGallery() {
  const n = $('gallery-n').value;
  const seed = $('gallery-seed').value;
  const s = await getJson('/api/examples?sample=' + encodeURIComponent(n) + '&seed=' + encodeURIComponent(seed));
  const g = $('gallery');
  g.innerHTML = '';
  for (const name of s.examples) {
    const img = document.createElement('img');
    img.src = '/api/examples/' + encodeURIComponent(name);
    img.alt = name;
    img.title = name + ' (seed ' + s.seed + ')';
    img.dataset.name = name;
    img.addEventListener('click', () => chooseExample(name));
    g.appendChild(img);
  }
  status('gallery: ' + s.examples.length + ' images, seed ' + s.seed);
}

function wire() {
  const drop = $('drop');
  drop.addEventListener('dragover', (e) => { e.preventDefault(); drop.classList.add('over'); });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (e) => {
    e.preventDefault();
    drop.classList.remove('over');
    if (e.dataTransfer.files.length > 0) chooseFile(e.dataTransfer.files[0]);
  });
  $('file').addEventListener('change', (e) => { if (e.target.files.length > 0) chooseFile(e.target.files[0]); });
  $('example').addEventListener('change', (e) => { if (e.target.value) chooseExample(e.target.value); });
  $('gallery-new').addEventListener('click', () => {
    $('gallery-seed').value = String(Math.floor(Math.random() * 1000));
    sampleGallery().catch((e) => status(e.message, true));
  });
  $('model').addEventListener('change', () => loadLayers().then(explain).catch((e) => status(e.message, true)));
  for (const id of ['layer', 'method', 'k']) $(id).addEventListener('change', explain);
  $('class').addEventListener('change', explain);
  $('class').addEventListener('input', searchClasses);
  for (const r of document.querySelectorAll('input[name=target]')) r.addEventListener('change', explain);
  $('run').addEventListener('click', explain);
  $('alpha').addEventListener('input', () => { $('alpha-out').textContent = Number($('alpha').value).toFixed(2); rerenderOverlays(); });
  $('colormap').addEventListener('change', rerenderOverlays);
  $('threshold').addEventListener('input', () => { $('threshold-out').textContent = Number($('threshold').value).toFixed(2); reboxAll(); });
}

let classSearch = 0;
async function searchClasses() {
  const q = $('class').value;
  if (q.length < 2 || /^\d+$/.test(q)) return;
  const mine = ++classSearch;
  const found = await getJson('/api/classes?q=' + encodeURIComponent(q));
  if (mine !== classSearch) return;
  const list = $('classes');
  list.innerHTML = '';
  for (const c of found) option(list, c.name, c.index + ' ' + c.name);
}

function target() {
  return document.querySelector('input[name=target]:checked').value;
}

let running = 0;
async function explain() {
  if (!state.file && !$('example').value) return;
  const form = new FormData();
  if (state.file) form.append('image', state.file, state.file.name);
  else form.append('example', $('example').value);
  form.append('model', $('model').value);
  form.append('layer', $('layer').value);
  form.append('method', $('method').value);
  if (target() === 'topk') form.append('top_k', $('k').value);
  if (target() === 'class') form.append('class', $('class').value);
  form.append('colormap', $('colormap').value);
  form.append('alpha', $('alpha').value);
  form.append('thresholds', $('threshold').value);
  const mine = ++running;
  status('running ' + $('method').value + ' on ' + $('layer').value + ' ...');
  const started = performance.now();
  try {
    const r = await fetch('/api/explain', { method: 'POST', body: form });
    const body = await r.json();
    if (mine !== running) return;
    if (!r.ok) {
      status(r.status + ': ' + body.error, true);
      return;
    }
    state.result = body;
    await photoReady();
    show(body);
    status('done in ' + Math.round(performance.now() - started) + ' ms: ' + body.maps.length + ' map(s)');
  } catch (e) {
    status(e.message, true);
  }
}

function photoReady() {
  const p = state.photo;
  if (!p || p.complete) return Promise.resolve();
  return new Promise((resolve) => { p.onload = resolve; p.onerror = resolve; });
}

function overlayUrl(map) {
  return map.overlay_url + '?colormap=' + encodeURIComponent($('colormap').value) + '&alpha=' + encodeURIComponent($('alpha').value);
}

function show(result) {
  const box = $('results');
  box.innerHTML = '';
  result.maps.forEach((map, i) => {
    const node = $('map-template').content.firstElementChild.cloneNode(true);
    node.dataset.index = String(i);
    node.querySelector('.title').textContent = map.target.name + ' (class ' + map.target.index + ') · ' + map.layer + ' · ' + map.method;
    node.querySelector('.overlay').src = overlayUrl(map);
    node.querySelector('.dl-png').href = overlayUrl(map);
    node.querySelector('.dl-npy').href = map.map_npy_url;
    const body = node.querySelector('.top5 tbody');
    map.top5.forEach((p, j) => {
      const tr = document.createElement('tr');
      for (const text of [String(j + 1), p.name + ' (' + p.index + ')', (100 * p.probability).toFixed(1) + ' %']) {
        const td = document.createElement('td');
        td.textContent = text;
        tr.appendChild(td);
      }
      body.appendChild(tr);
    });
    drawRaw(node.querySelector('.raw'), map);
    node.querySelector('.raw-caption').textContent = 'raw map ' + map.heatmap_shape.join('x') + ', max ' + map.map.max.toPrecision(4);
    box.appendChild(node);
    drawBoxes(node, result, map.boxes[0].boxes, map.boxes[0].threshold);
  });
}

function drawRaw(canvas, map) {
  const [h, w] = map.heatmap_shape;
  const bytes = Uint8Array.from(atob(map.map.base64), (c) => c.charCodeAt(0));
  const view = new DataView(bytes.buffer);
  canvas.width = w;
  canvas.height = h;
  const ctx = canvas.getContext('2d');
  const img = ctx.createImageData(w, h);
  const max = map.map.max > 0 ? map.map.max : 1;
  for (let i = 0; i < w * h; i++) {
    const v = Math.round(255 * view.getFloat32(4 * i, true) / max);
    img.data.set([v, v, v, 255], 4 * i);
  }
  ctx.putImageData(img, 0, 0);
}

function drawBoxes(node, result, boxes, threshold) {
  const canvas = node.querySelector('.boxes');
  canvas.width = result.width;
  canvas.height = result.height;
  const ctx = canvas.getContext('2d');
  if (state.photo && state.photo.complete && state.photo.naturalWidth > 0) ctx.drawImage(state.photo, 0, 0);
  ctx.strokeStyle = 'rgb(230,0,0)';
  ctx.lineWidth = Math.max(2, Math.round(result.width / 150));
  for (const [x0, y0, x1, y1] of boxes) ctx.strokeRect(x0, y0, x1 - x0, y1 - y0);
  node.querySelector('.boxes-caption').textContent = boxes.length + ' box(es) at threshold ' + Number(threshold).toFixed(2);
  node.dataset.boxes = JSON.stringify(boxes);
}

function rerenderOverlays() {
  if (!state.result) return;
  for (const node of document.querySelectorAll('#results .map')) {
    const map = state.result.maps[Number(node.dataset.index)];
    node.querySelector('.overlay').src = overlayUrl(map);
    node.querySelector('.dl-png').href = overlayUrl(map);
  }
}

let reboxing = 0;
async function reboxAll() {
  if (!state.result) return;
  const result = state.result;
  const t = $('threshold').value;
  const mine = ++reboxing;
  try {
    for (const node of document.querySelectorAll('#results .map')) {
      const i = Number(node.dataset.index);
      const boxes = await getJson('/api/results/' + result.id + '/' + i + '/boxes?thresholds=' + encodeURIComponent(t));
      if (mine !== reboxing) return;
      drawBoxes(node, result, boxes[0].boxes, boxes[0].threshold);
    }
  } catch (e) {
    status(e.message, true);
  }
}

init().catch((e) => status(e.message, true));
