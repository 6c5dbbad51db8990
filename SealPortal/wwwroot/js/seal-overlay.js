// Read-only seals over a PDF viewer (pdf-viewer.js): each seal is drawn where sealing will put it,
// scaled with the page. Called by Components/Pdf/PdfReview.razor through JS interop.
// The boxes are .seal-preview, not .seal-overlay: that class is the placement editor's movable seal
// (seal-placement.js), and the preview's rules (no pointer events, clipped) must never reach it.
import { viewerFor } from "./pdf-viewer.js";

const drawn = new WeakMap();

function draw(viewer, seals) {
    const crossCount = viewer.pages.length;
    for (const page of viewer.pages) {
        for (const old of page.element.querySelectorAll(".seal-preview")) old.remove();
        for (const seal of seals) {
            if (!seal.crossPage && seal.page !== page.number) continue;
            // A cross-page seal is split over the right edges of all pages: each shows its slice.
            const width = seal.crossPage ? seal.width / crossCount : seal.width;
            const x = seal.crossPage ? page.width - width : seal.x;
            const box = document.createElement("div");
            box.className = "seal-preview";
            box.dataset.sealName = seal.name;
            box.dataset.testid = "seal-overlay";
            box.title = seal.name;
            box.style.left = `${x * viewer.scale}px`;
            box.style.top = `${(page.height - seal.y - seal.height) * viewer.scale}px`;
            box.style.width = `${width * viewer.scale}px`;
            box.style.height = `${seal.height * viewer.scale}px`;
            if (seal.imageUrl && !seal.crossPage) {
                const img = document.createElement("img");
                img.src = seal.imageUrl;
                img.alt = "";
                box.append(img);
            }
            const label = document.createElement("span");
            label.textContent = seal.name;
            box.append(label);
            page.element.append(box);
        }
    }
    viewer.element.dataset.overlayState = "ready";
}

/** Starts the viewer of `element` (once) and draws `seals` over it, again at every zoom. */
export function show(element, seals) {
    const viewer = viewerFor(element);
    const previous = drawn.get(element);
    drawn.set(element, seals);
    if (!previous) element.addEventListener("pdfviewer:scale", () => draw(viewer, drawn.get(element)));
    viewer.ready.then(() => draw(viewer, drawn.get(element))).catch(() => { });
}
