// PDF viewer over pdf.js: every element with data-pdf-viewer="<url>" becomes a scrollable
// column of pages. Pages get their size at once (so the scroll bar and page jumps are right)
// but are drawn only when they come near the visible area, so a long contract opens quickly.
// The toolbar (page navigation, zoom) is rendered by the server with localized labels and the
// `hidden` attribute; this module reveals it, so without JavaScript only the plain link shows.
import * as pdfjs from "../lib/pdfjs/build/pdf.min.mjs";

pdfjs.GlobalWorkerOptions.workerSrc = new URL("../lib/pdfjs/build/pdf.worker.min.mjs", import.meta.url).href;

const zoomSteps = [0.5, 0.75, 1, 1.25, 1.5, 2, 3];
const viewers = new WeakMap();

/**
 * One viewer. `pages[i]` holds the page as displayed (rotation applied) in PDF points:
 * { number, width, height, element }. Coordinates inside `element` are CSS pixels = points × scale.
 */
export class PdfViewer {
    constructor(element) {
        this.element = element;
        this.url = element.dataset.pdfViewer;
        this.scale = Number(element.dataset.pdfScale) || 0;
        this.pages = [];
        this.scroller = element.querySelector("[data-pdf-pages]");
        this.ready = this.#open();
    }

    async #open() {
        try {
            this.document = await pdfjs.getDocument({ url: this.url, withCredentials: true, isEvalSupported: false }).promise;
            for (let n = 1; n <= this.document.numPages; n++) {
                const page = await this.document.getPage(n);
                const view = page.getViewport({ scale: 1 });
                const slot = document.createElement("div");
                slot.className = "pdf-page";
                slot.dataset.pageNumber = String(n);
                const canvas = document.createElement("canvas");
                canvas.className = "pdf-page-canvas";
                slot.append(canvas);
                this.scroller.append(slot);
                this.pages.push({ number: n, width: view.width, height: view.height, element: slot, pdfPage: page, canvas, drawnAt: 0, task: null });
            }
            this.#observe();
            this.#wireToolbar();
            this.setScale(this.scale || this.#fitWidth());
            this.element.dataset.pdfState = "ready";
            this.element.dispatchEvent(new CustomEvent("pdfviewer:ready", { detail: this }));
            return this;
        } catch (error) {
            this.element.dataset.pdfState = "failed";
            const message = this.element.querySelector("[data-pdf-error]");
            if (message) message.hidden = false;
            console.error("pdf viewer:", error);
            throw error;
        }
    }

    // Widest page fills the column, within reason: tiny on a phone is unreadable, huge is slow.
    #fitWidth() {
        const widest = Math.max(...this.pages.map(p => p.width));
        const room = this.scroller.clientWidth - 24;
        return room > 0 ? Math.min(1.5, Math.max(0.5, room / widest)) : 1;
    }

    #observe() {
        this.observer = new IntersectionObserver(entries => {
            for (const entry of entries) {
                const page = this.pages[Number(entry.target.dataset.pageNumber) - 1];
                page.visible = entry.isIntersecting;
                if (entry.isIntersecting) this.#draw(page);
            }
            this.#updateCurrentPage();
        }, { root: this.scroller, rootMargin: "300px 0px" });
        for (const page of this.pages) this.observer.observe(page.element);
        this.scroller.addEventListener("scroll", () => this.#updateCurrentPage(), { passive: true });
    }

    async #draw(page) {
        if (page.drawnAt === this.scale) return;
        page.task?.cancel();
        const scale = this.scale;
        const ratio = window.devicePixelRatio || 1;
        const viewport = page.pdfPage.getViewport({ scale: scale * ratio });
        // Drawing goes to a fresh canvas that replaces the old one when done, so zooming never
        // shows a blank page in between.
        const canvas = document.createElement("canvas");
        canvas.className = "pdf-page-canvas";
        canvas.width = Math.floor(viewport.width);
        canvas.height = Math.floor(viewport.height);
        page.task = page.pdfPage.render({ canvas, viewport });
        try {
            await page.task.promise;
        } catch (error) {
            if (error?.name !== "RenderingCancelledException") console.error("pdf viewer: page", page.number, error);
            return;
        }
        if (scale !== this.scale) return;
        page.canvas.replaceWith(canvas);
        page.canvas = canvas;
        page.drawnAt = scale;
        page.element.dataset.rendered = "true";
        this.element.dispatchEvent(new CustomEvent("pdfviewer:pagerendered", { detail: { viewer: this, page } }));
    }

    /** Zooms to `scale` (1 = 100 %: one PDF point per CSS pixel), keeping the current page in view. */
    setScale(scale) {
        const current = this.currentPage ?? 1;
        this.scale = scale;
        this.element.dataset.pdfCurrentScale = String(scale);
        for (const page of this.pages) {
            page.element.style.width = `${page.width * scale}px`;
            page.element.style.height = `${page.height * scale}px`;
            if (page.visible) this.#draw(page);
        }
        const label = this.element.querySelector("[data-pdf-zoom]");
        if (label) label.textContent = `${Math.round(scale * 100)} %`;
        this.goTo(current);
        this.element.dispatchEvent(new CustomEvent("pdfviewer:scale", { detail: this }));
    }

    /** Scrolls page `number` (1-based) to the top of the viewer. */
    goTo(number) {
        const page = this.pages[Math.min(Math.max(1, number), this.pages.length) - 1];
        if (!page) return;
        // Measured on screen, not by offsetTop: the scroller is positioned, and where the viewer sits in
        // the page (low on a long form) must not shift the page it jumps to.
        this.scroller.scrollTop += page.element.getBoundingClientRect().top - this.scroller.getBoundingClientRect().top - 8;
        this.#setCurrentPage(page.number);
    }

    #updateCurrentPage() {
        const top = this.scroller.getBoundingClientRect().top;
        let best = this.pages[0];
        for (const page of this.pages) {
            if (page.element.getBoundingClientRect().top - top <= this.scroller.clientHeight / 3) best = page;
            else break;
        }
        if (best) this.#setCurrentPage(best.number);
    }

    #setCurrentPage(number) {
        this.currentPage = number;
        const input = this.element.querySelector("[data-pdf-page-input]");
        if (input && document.activeElement !== input) input.value = String(number);
    }

    #wireToolbar() {
        const toolbar = this.element.querySelector("[data-pdf-toolbar]");
        if (!toolbar) return;
        toolbar.hidden = false;
        const count = toolbar.querySelector("[data-pdf-page-count]");
        if (count) count.textContent = String(this.pages.length);
        const input = toolbar.querySelector("[data-pdf-page-input]");
        if (input) {
            input.max = String(this.pages.length);
            input.addEventListener("change", () => this.goTo(Number(input.value) || 1));
        }
        toolbar.addEventListener("click", event => {
            const action = event.target.closest("[data-pdf-action]")?.dataset.pdfAction;
            if (!action) return;
            event.preventDefault();
            switch (action) {
                case "prev": this.goTo((this.currentPage ?? 1) - 1); break;
                case "next": this.goTo((this.currentPage ?? 1) + 1); break;
                // Steps closer than 10 % to the current scale (e.g. after fitting the width) are skipped.
                case "zoom-in": this.setScale(zoomSteps.find(s => s > this.scale * 1.1) ?? this.scale); break;
                case "zoom-out": this.setScale(zoomSteps.findLast(s => s < this.scale / 1.1) ?? this.scale); break;
            }
        });
    }
}

/** The viewer of `element` (creating it on first use); `await viewerFor(e).ready` before reading pages. */
export function viewerFor(element) {
    let viewer = viewers.get(element);
    if (!viewer) {
        viewer = new PdfViewer(element);
        viewers.set(element, viewer);
        viewer.ready.catch(() => { });
    }
    return viewer;
}

export function initPdfViewers(root = document) {
    for (const element of root.querySelectorAll("[data-pdf-viewer]")) viewerFor(element);
}

initPdfViewers();
