'use strict';
// The explorer page: plain DOM and fetch, no build step. The server keeps each result's map,
// so alpha, colormap and threshold changes only re-render (overlay.png, boxes), never re-run.
const $ = (id) => document.getElementById(id);
// The single view's image is an upload (file), an example (the select) or a data-set image.
const state = { file: null, datasetImage: null, photoUrl: null, result: null, photo: null };
// The gallery: the sample shown and, per card, the result of its last explain.
const gallery = { sample: null, cards: [], run: 0, sampling: 0 };

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
  const datasets = await getJson('/api/datasets');
  for (const d of datasets.datasets) option($('gallery-dataset'), d.name, d.name + ' (' + d.images + ' images)');
  if (datasets.datasets.length === 0) $('gallery-box').hidden = true;
  else await loadGalleryClasses();
  $('gallery-seed').value = String(newSeed(-1));
  wire();
  status('ready: choose or drop an image');
}

function markChosen(id) {
  for (const card of document.querySelectorAll('#gallery-grid .card')) {
    card.classList.toggle('chosen', card.dataset.id === id);
  }
}

function chooseFile(file) {
  state.file = file;
  state.datasetImage = null;
  $('example').value = '';
  markChosen(null);
  setPhoto(URL.createObjectURL(file));
  explain();
}

function chooseExample(name) {
  state.file = null;
  state.datasetImage = null;
  $('example').value = name;
  markChosen(null);
  setPhoto('/api/examples/' + encodeURIComponent(name));
  explain();
}

// A gallery card opens in the single view: overlay, boxes, raw map and top-5 of that image.
function chooseDatasetImage(dataset, image) {
  state.file = null;
  state.datasetImage = { dataset: dataset, id: image.id };
  $('example').value = '';
  markChosen(image.id);
  setPhoto(image.url);
  explain();
}

function setPhoto(url) {
  state.photoUrl = url;
  state.photo = new Image();
  state.photo.src = url;
}

async function loadGalleryClasses() {
  const c = await getJson('/api/datasets/' + encodeURIComponent($('gallery-dataset').value) + '/classes');
  const select = $('gallery-class');
  select.innerHTML = '';
  for (const k of c.classes) option(select, k.name, k.name + ' (' + k.images + ')');
}

// A seed other than the current one, so "New sample" always shows a new seed.
function newSeed(current) {
  let seed;
  do seed = Math.floor(Math.random() * 1000000); while (seed === current);
  return seed;
}

// Draws the sample the seed gives (the server's seeded shuffle), shows its photos, explains them.
async function sampleGallery() {
  const dataset = $('gallery-dataset').value;
  const cls = $('gallery-class').value;
  let url = '/api/datasets/' + encodeURIComponent(dataset) + '/sample?class=' + encodeURIComponent(cls);
  // An emptied field is left to the server: 6 images, a seed it picks and returns (shown).
  if ($('gallery-n').value !== '') url += '&n=' + encodeURIComponent($('gallery-n').value);
  if ($('gallery-seed').value !== '') url += '&seed=' + encodeURIComponent($('gallery-seed').value);
  const mine = ++gallery.sampling;
  const s = await getJson(url);
  if (mine !== gallery.sampling) return; // a later choice (class, seed, n) has been made
  // The seed the server picked for an empty field is shown there, unless typing has begun.
  if ($('gallery-seed').value === '') $('gallery-seed').value = String(s.seed);
  gallery.sample = s;
  gallery.cards = [];
  const grid = $('gallery-grid');
  grid.innerHTML = '';
  for (const image of s.images) {
    const node = $('card-template').content.firstElementChild.cloneNode(true);
    node.dataset.id = image.id;
    const img = node.querySelector('.card-overlay');
    img.src = image.url;
    img.alt = image.id;
    node.querySelector('.card-caption').textContent = image.name;
    node.addEventListener('click', () => chooseDatasetImage(s.dataset, image));
    grid.appendChild(node);
    gallery.cards.push({ node: node, image: image, map: null });
  }
  $('gallery-title').textContent = s.class + ' of ' + s.dataset + ': ' + s.images.length + ' images, seed ' + s.seed;
  $('gallery').hidden = false;
  await explainGallery();
}

// Explains every card with the current model, layer, method and target, two at a time (the
// server's default workers), dropping answers of an older run when the settings changed.
async function explainGallery() {
  if (!gallery.sample || gallery.cards.length === 0) return;
  const mine = ++gallery.run;
  const s = gallery.sample;
  const grid = $('gallery-grid');
  grid.dataset.explained = '0';
  grid.dataset.run = String(mine);
  let next = 0;
  let done = 0;
  let failed = null;
  status('gallery: explaining ' + gallery.cards.length + ' images ...');
  async function worker() {
    while (next < gallery.cards.length && mine === gallery.run) {
      const card = gallery.cards[next++];
      const form = new FormData();
      form.append('dataset', s.dataset);
      form.append('dataset_image', card.image.id);
      appendSettings(form);
      const r = await fetch('/api/explain', { method: 'POST', body: form });
      const body = await r.json();
      if (mine !== gallery.run) return;
      if (!r.ok) {
        failed = r.status + ': ' + body.error;
        continue;
      }
      const map = body.maps[0];
      card.map = map;
      card.node.querySelector('.card-overlay').src = overlayUrl(map);
      const top = map.top5[0];
      card.node.querySelector('.card-caption').textContent = card.image.name + ': ' + top.name + ' '
        + (100 * top.probability).toFixed(1) + ' %' + (map.target.index === top.index ? '' : ' · map of ' + map.target.name);
      card.node.title = map.layer + ' · ' + map.method;
      grid.dataset.explained = String(++done);
    }
  }
  try {
    await Promise.all([worker(), worker()]);
  } catch (e) {
    failed = e.message;
  }
  if (mine !== gallery.run) return;
  if (failed) status('gallery: ' + failed, true);
  else status('gallery: ' + done + ' images of ' + s.class + ' explained, seed ' + s.seed);
}

function showGallery() {
  sampleGallery().catch((e) => status(e.message, true));
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
    $('gallery-seed').value = String(newSeed(Number($('gallery-seed').value)));
    showGallery();
  });
  $('gallery-show').addEventListener('click', showGallery);
  $('gallery-dataset').addEventListener('change', () => loadGalleryClasses().then(sampleGallery)
    .catch((e) => status(e.message, true)));
  for (const id of ['gallery-class', 'gallery-n', 'gallery-seed']) $(id).addEventListener('change', showGallery);
  $('model').addEventListener('change', () => loadLayers().then(rerun).catch((e) => status(e.message, true)));
  for (const id of ['layer', 'method', 'k']) $(id).addEventListener('change', rerun);
  $('class').addEventListener('change', rerun);
  $('class').addEventListener('input', searchClasses);
  for (const r of document.querySelectorAll('input[name=target]')) r.addEventListener('change', rerun);
  $('run').addEventListener('click', rerun);
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

// Settings that need a graph run: the single view and the gallery both follow them.
function rerun() {
  explain();
  explainGallery().catch((e) => status(e.message, true));
}

function target() {
  return document.querySelector('input[name=target]:checked').value;
}

let running = 0;
function appendSettings(form) {
  form.append('model', $('model').value);
  form.append('layer', $('layer').value);
  form.append('method', $('method').value);
  if (target() === 'topk') form.append('top_k', $('k').value);
  if (target() === 'class') form.append('class', $('class').value);
  form.append('colormap', $('colormap').value);
  form.append('alpha', $('alpha').value);
  form.append('thresholds', $('threshold').value);
}

async function explain() {
  if (!state.file && !state.datasetImage && !$('example').value) return;
  const form = new FormData();
  if (state.file) form.append('image', state.file, state.file.name);
  else if (state.datasetImage) {
    form.append('dataset', state.datasetImage.dataset);
    form.append('dataset_image', state.datasetImage.id);
  } else form.append('example', $('example').value);
  appendSettings(form);
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
  for (const card of gallery.cards) {
    if (card.map) card.node.querySelector('.card-overlay').src = overlayUrl(card.map);
  }
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
