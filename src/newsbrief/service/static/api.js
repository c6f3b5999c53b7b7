// The archive's HTTP API: one GET helper, its errors as sentences, and the stale request cancelled
// when the reader moves on.

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

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
    response = await fetch(url, { signal: controller.signal, headers: { accept: "application/json" } });
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
    throw new ApiError(response.status, response.status === 401 ? "This server needs an API key." : detail);
  }
  return data;
}

export const isAbort = (e) => e?.name === "AbortError";
