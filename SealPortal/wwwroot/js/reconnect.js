// Drives the reconnect dialog of Components/Interactive/ReconnectModal.razor from the events
// blazor.web.js raises on it. When the server answers but no longer knows the circuit (it was
// restarted), the page is loaded again: the user is still signed in by cookie and lands where they were.
const modal = document.getElementById("components-reconnect-modal");
const retryButton = document.getElementById("components-reconnect-button");
const resumeButton = document.getElementById("components-resume-button");

if (modal) {
    modal.addEventListener("components-reconnect-state-changed", onStateChanged);
    retryButton?.addEventListener("click", retry);
    resumeButton?.addEventListener("click", resume);
}

function onStateChanged(event) {
    const state = event.detail.state;
    if (state === "show" || state === "retrying" || state === "paused" || state === "resume-failed" || state === "failed") {
        if (!modal.open) modal.showModal();
        if (state === "failed") document.addEventListener("visibilitychange", retryWhenVisible);
    } else if (state === "hide") {
        modal.close();
    } else if (state === "rejected") {
        location.reload();
    }
}

async function retry() {
    document.removeEventListener("visibilitychange", retryWhenVisible);
    try {
        if (!await Blazor.reconnect()) {
            if (!await Blazor.resumeCircuit()) location.reload();
            else modal.close();
        }
    } catch {
        document.addEventListener("visibilitychange", retryWhenVisible);
    }
}

async function resume() {
    try {
        if (!await Blazor.resumeCircuit()) location.reload();
    } catch {
        location.reload();
    }
}

async function retryWhenVisible() {
    if (document.visibilityState === "visible") await retry();
}
