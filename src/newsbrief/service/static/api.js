// The server's HTTP API, and the one place the page keeps its API key. Every view calls through here:
// the key goes with each request; a 401 opens the key form below the header (in every view), and once
// a key is saved the view on show asks again (onKeySaved). Errors come back as sentences; a view's
// request is cancelled when the reader moves on.

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

// --- the API key: kept for this browser tab only ----------------------------------------------------

const KEY_STORE = "newsbrief.api-key";
const keySaved = [];
let memoryKey = ""; // where session storage is off: kept until the page reloads

function storedKey() {
  try { return sessionStorage.getItem(KEY_STORE) || memoryKey; } catch { return memoryKey; }
}

// Called after the reader saves a key: the page loads again what the missing key stopped.
export function onKeySaved(callback) {
  keySaved.push(callback);
}

function askForKey(text) {
  const form = document.getElementById("key-form");
  document.getElementById("key-message").textContent = text;
  const wasHidden = form.hidden;
  form.hidden = false;
  // Focus moves to the box once, when it appears: not on every 401 of a view's several requests.
  if (wasHidden) document.getElementById("api-key").focus();
}

function saveKey(event) {
  event.preventDefault();
  const input = document.getElementById("api-key");
  const key = input.value.trim();
  if (!key) {
    document.getElementById("key-message").textContent = "Type the key first.";
    input.focus();
    return;
  }
  memoryKey = key;
  try { sessionStorage.setItem(KEY_STORE, key); } catch { /* storage off: memoryKey keeps it */ }
  input.value = "";
  document.getElementById("key-form").hidden = true;
  for (const callback of keySaved) callback();
}

export function initKeyForm() {
  document.getElementById("key-form").addEventListener("submit", saveKey);
}

// fetch() with the key. A 401 opens the key form (with its reason) and is returned to the caller.
export async function apiFetch(path, init = {}) {
  const key = storedKey();
  const headers = { ...(init.headers || {}), ...(key ? { authorization: `Bearer ${key}` } : {}) };
  const response = await fetch(path, { ...init, headers });
  if (response.status === 401) {
    askForKey(key ? "The server did not accept this key: enter another." : "This server needs an API key.");
  }
  return response;
}

// --- the archive's questions -------------------------------------------------------------------------

let current = null;

// GET path?params as JSON. A newer call cancels the one before (its view is no longer wanted).
export async function getJSON(path, params = {}, { cancelPrevious = true } = {}) {
  if (cancelPrevious && current) current.abort();
  const controller = new AbortController();
  if (cancelPrevious) current = controller;
  const url = new URL(path, location.origin);
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== "") url.searchParams.set(k, v);
  let response;
  try {
    response = await apiFetch(url, { signal: controller.signal, headers: { accept: "application/json" } });
  } catch (e) {
    if (e.name === "AbortError") throw e;
    throw new ApiError(0, "Could not reach the server.");
  }
  const data = await response.json().catch(() => null);
  if (!response.ok) {
    const detail = data?.error?.message || response.statusText || "the server gave no reason";
    if (response.status === 404 && detail === "Not Found" && path.startsWith("/v1/archive/")) { // no such route
      throw new ApiError(404, "This server has no archive: start it with `newsbrief serve --archive DB`.");
    }
    if (response.status === 401) throw new ApiError(401, "This server needs an API key: enter it in the box above.");
    if (response.status === 429) throw new ApiError(429, "Too many requests for this key: wait a moment, then reload.");
    throw new ApiError(response.status, detail);
  }
  return data;
}

export const isAbort = (e) => e?.name === "AbortError";
