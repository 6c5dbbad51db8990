// Seal placement over the PDF viewer: drag a seal from the palette onto a page, then move it or
// resize it by its corner. The result lives in the form's ordinary inputs (page, x, y, width,
// height in PDF points of the page as displayed, origin bottom-left, the way the signer reads
// them), so typed values move the seal on the page, and every change made here raises the inputs'
// change events (once a gesture ends), which is how an interactive page learns of it.
// Keyboard: a palette seal with the focus takes Enter or Space to land on the page shown; a placed
// seal with the focus moves with the arrow keys (Shift: 10 points) and grows or shrinks with + and −.
import { viewerFor } from "./pdf-viewer.js";

const minSize = 20;

function round(value) {
    return Math.round(value * 10) / 10;
}

class PlacementRow {
    constructor(editor, element) {
        this.editor = editor;
        this.element = element;
        this.key = element.dataset.sealKey;
        this.inputs = {};
        // The data-field mark is on the input itself, or on a component's wrapper around it.
        for (const marked of element.querySelectorAll("[data-field]")) {
            const input = marked.matches("input") ? marked : marked.querySelector("input");
            if (input) this.inputs[marked.dataset.field] = input;
        }
        this.chip = editor.element.querySelector(`[data-seal-palette] [data-seal-key="${CSS.escape(this.key)}"]`);
        this.image = this.chip?.querySelector("img");
        // A seal without an image (404) is shown as a plain red frame so it can still be placed.
        const fallback = new URL("../img/seal-frame.svg", import.meta.url).href;
        if (this.image) {
            if (this.image.complete && this.image.naturalWidth === 0) this.image.src = fallback;
            else this.image.addEventListener("error", () => { this.image.src = fallback; }, { once: true });
        }
        for (const input of Object.values(this.inputs)) input.addEventListener("input", () => this.layout());
        this.inputs.crossPage?.addEventListener("change", () => {
            const rect = this.read();
            // write() lays the seal out itself.
            if (rect) this.write(rect);
            else this.layout();
        });
    }

    get aspect() {
        const img = this.image;
        return img && img.naturalWidth > 0 ? img.naturalHeight / img.naturalWidth : 1;
    }

    get crossPage() {
        return this.inputs.crossPage?.checked === true;
    }

    /** The rectangle the inputs describe, or null when they do not describe one on an existing page. */
    read() {
        const n = name => Number.parseFloat(this.inputs[name]?.value ?? "");
        const rect = { page: Number.parseInt(this.inputs.page?.value ?? "", 10), x: n("x"), y: n("y"), width: n("width"), height: n("height") };
        if (!Number.isInteger(rect.page) || !this.editor.viewer.pages[rect.page - 1]) return null;
        if (![rect.x, rect.y, rect.width, rect.height].every(Number.isFinite) || rect.width <= 0 || rect.height <= 0) return null;
        return rect;
    }

    /** Keeps the rectangle on its page and writes it to the inputs (telling the page unless `quiet`). */
    write(rect, quiet = false) {
        const page = this.editor.viewer.pages[rect.page - 1];
        const width = Math.min(Math.max(minSize, rect.width), page.width);
        const height = Math.min(Math.max(minSize, rect.height), page.height);
        // A cross-page seal always sits on the right edge (the signer ignores X); show it there.
        const x = this.crossPage ? page.width - width : Math.min(Math.max(0, rect.x), page.width - width);
        const y = Math.min(Math.max(0, rect.y), page.height - height);
        this.inputs.page.value = String(rect.page);
        this.inputs.x.value = String(round(x));
        this.inputs.y.value = String(round(y));
        this.inputs.width.value = String(round(width));
        this.inputs.height.value = String(round(height));
        this.layout();
        if (!quiet) this.notify();
    }

    /** Raises the change events of the inputs, as typing would. */
    notify() {
        for (const input of Object.values(this.inputs)) {
            if (input.type === "checkbox") continue;
            input.dispatchEvent(new Event("change", { bubbles: true }));
        }
        this.element.dispatchEvent(new CustomEvent("sealplacement:change", { bubbles: true, detail: this.read() }));
    }

    /** Places the seal centred on a point of a page given in points (origin bottom-left). */
    dropAt(pageNumber, px, py) {
        const current = this.read();
        const width = current?.width ?? this.editor.defaultSize;
        const height = current?.height ?? round(width * this.aspect);
        this.write({ page: pageNumber, x: px - width / 2, y: py - height / 2, width, height });
    }

    layout() {
        const rect = this.read();
        if (!rect) {
            this.overlay?.remove();
            this.chip?.classList.remove("placed");
            return;
        }
        const page = this.editor.viewer.pages[rect.page - 1];
        const scale = this.editor.viewer.scale;
        const overlay = this.overlay ?? this.#createOverlay();
        if (overlay.parentElement !== page.element) page.element.append(overlay);
        overlay.classList.toggle("cross-page", this.crossPage);
        overlay.style.left = `${rect.x * scale}px`;
        overlay.style.top = `${(page.height - rect.y - rect.height) * scale}px`;
        overlay.style.width = `${rect.width * scale}px`;
        overlay.style.height = `${rect.height * scale}px`;
        this.chip?.classList.add("placed");
    }

    #createOverlay() {
        const overlay = document.createElement("div");
        overlay.className = "seal-overlay";
        overlay.dataset.sealKey = this.key;
        overlay.tabIndex = 0;
        overlay.title = this.chip?.dataset.sealName ?? "";
        const img = document.createElement("img");
        img.src = this.image?.src ?? "";
        img.alt = "";
        img.draggable = false;
        const handle = document.createElement("div");
        handle.className = "seal-resize";
        handle.dataset.sealResize = "";
        overlay.append(img, handle);
        overlay.addEventListener("pointerdown", event => this.#startGesture(event, event.target === handle ? "resize" : "move"));
        overlay.addEventListener("keydown", event => this.#nudge(event));
        this.overlay = overlay;
        return overlay;
    }

    #startGesture(event, mode) {
        const start = this.read();
        if (!start || event.button !== 0) return;
        event.preventDefault();
        event.stopPropagation();
        const target = event.currentTarget;
        target.setPointerCapture(event.pointerId);
        const scale = this.editor.viewer.scale;
        const page = this.editor.viewer.pages[start.page - 1];
        const move = e => {
            const dx = (e.clientX - event.clientX) / scale;
            const dy = (e.clientY - event.clientY) / scale;
            if (mode === "move") {
                this.write({ ...start, x: start.x + dx, y: start.y - dy }, true);
            } else {
                // The top-left corner stays put (y is the bottom edge), the image keeps its proportions.
                const top = start.y + start.height;
                const width = Math.min(Math.max(minSize, start.width + dx), page.width - (this.crossPage ? 0 : start.x));
                const height = Math.min(width * (start.height / start.width), top);
                this.write({ ...start, width: height * (start.width / start.height), height, y: top - height }, true);
            }
        };
        const end = () => {
            this.notify();
            target.removeEventListener("pointermove", move);
            target.removeEventListener("pointerup", end);
            target.removeEventListener("pointercancel", end);
        };
        target.addEventListener("pointermove", move);
        target.addEventListener("pointerup", end);
        target.addEventListener("pointercancel", end);
    }

    #nudge(event) {
        const rect = this.read();
        if (!rect) return;
        const by = event.shiftKey ? 10 : 1;
        const grow = { "+": 5, "=": 5, "-": -5, "_": -5 }[event.key];
        if (grow) {
            // Grows or shrinks around the top-left corner, keeping the proportions.
            event.preventDefault();
            const width = Math.max(minSize, rect.width + grow);
            const height = width * (rect.height / rect.width);
            this.write({ ...rect, width, height, y: rect.y + rect.height - height });
            return;
        }
        const steps = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, 1], ArrowDown: [0, -1] }[event.key];
        if (!steps) return;
        event.preventDefault();
        this.write({ ...rect, x: rect.x + steps[0] * by, y: rect.y + steps[1] * by });
    }

    /** Puts the seal in the middle of page `number` and gives it the focus (the keyboard's drop). */
    placeOnPage(number) {
        const page = this.editor.viewer.pages[number - 1];
        if (!page) return;
        this.dropAt(page.number, page.width / 2, page.height / 2);
        this.overlay?.focus({ preventScroll: false });
    }
}

class SealPlacementEditor {
    constructor(element) {
        this.element = element;
        this.defaultSize = Number(element.dataset.defaultSize) || 110;
        this.viewer = viewerFor(element.querySelector("[data-pdf-viewer]"));
    }

    async start() {
        await this.viewer.ready;
        this.rows = [...this.element.querySelectorAll("[data-placement-row]")].map(e => new PlacementRow(this, e));
        const palette = this.element.querySelector("[data-seal-palette]");
        if (palette) palette.hidden = false;
        for (const row of this.rows) {
            row.chip?.addEventListener("pointerdown", event => this.#dragFromPalette(event, row));
            row.chip?.addEventListener("keydown", event => {
                if (event.key !== "Enter" && event.key !== " ") return;
                event.preventDefault();
                row.placeOnPage(this.viewer.currentPage ?? 1);
            });
            if (row.image && !row.image.complete) row.image.addEventListener("load", () => row.layout(), { once: true });
            row.layout();
        }
        this.viewer.element.addEventListener("pdfviewer:scale", () => this.rows.forEach(r => r.layout()));
        this.element.dataset.placementState = "ready";
    }

    #dragFromPalette(event, row) {
        if (event.button !== 0) return;
        event.preventDefault();
        const chip = event.currentTarget;
        chip.setPointerCapture(event.pointerId);
        const scale = this.viewer.scale;
        const current = row.read();
        const width = (current?.width ?? this.defaultSize) * scale;
        const height = (current?.height ?? this.defaultSize * row.aspect) * scale;
        const ghost = document.createElement("img");
        ghost.className = "seal-ghost";
        ghost.src = row.image?.src ?? "";
        ghost.style.width = `${width}px`;
        ghost.style.height = `${height}px`;
        document.body.append(ghost);
        const follow = e => {
            ghost.style.left = `${e.clientX - width / 2}px`;
            ghost.style.top = `${e.clientY - height / 2}px`;
        };
        follow(event);
        const finish = e => {
            cancel();
            const slot = document.elementsFromPoint(e.clientX, e.clientY).find(el => el.classList.contains("pdf-page") && this.viewer.element.contains(el));
            if (!slot) return;
            const page = this.viewer.pages[Number(slot.dataset.pageNumber) - 1];
            const box = slot.getBoundingClientRect();
            row.dropAt(page.number, (e.clientX - box.left) / this.viewer.scale, page.height - (e.clientY - box.top) / this.viewer.scale);
            row.overlay?.focus({ preventScroll: true });
        };
        const cancel = () => {
            chip.removeEventListener("pointermove", follow);
            chip.removeEventListener("pointerup", finish);
            chip.removeEventListener("pointercancel", cancel);
            ghost.remove();
        };
        chip.addEventListener("pointermove", follow);
        chip.addEventListener("pointerup", finish);
        chip.addEventListener("pointercancel", cancel);
    }
}

const started = new WeakSet();

/** Starts the editor of `element` once (an interactive page calls this after its first render). */
export function mount(element) {
    if (!element || started.has(element)) return;
    started.add(element);
    new SealPlacementEditor(element).start().catch(error => console.error("seal placement:", error));
}

for (const element of document.querySelectorAll("[data-seal-placement]")) mount(element);

/** Scrolls the element with id `id` into view (a page opened at one of its steps). */
export function reveal(id) {
    document.getElementById(id)?.scrollIntoView({ block: "start" });
}
