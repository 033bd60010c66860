// The Interview page's browser side, run in the page itself (no network, no libraries):
// - the chat draft is kept in localStorage under the session id and put back after a reload;
// - notes are sent to the server 800 ms after the last keystroke (Streamlit's text area sends
//   its value when it loses focus, so the box is blurred and focused again, caret kept);
// - the notes box is monospace, so ASCII diagrams line up;
// - the chat input takes the focus on load and whenever it comes back after a reply.
// SESSION_ID is replaced by the page with an id of [a-z0-9] only.
(() => {
  const sid = "SESSION_ID";
  const draftKey = "sdsim-draft-" + sid;
  const doc = window.document;
  const setValue = (el, value) => {
    const setter = Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, "value").set;
    setter.call(el, value);
    el.dispatchEvent(new Event("input", { bubbles: true }));
  };
  const wire = () => {
    const box = doc.querySelector('[data-testid="stChatInputTextArea"]');
    if (box && box.dataset.sdsimSession !== sid) {
      box.dataset.sdsimSession = sid;
      box.dataset.sdsimFocus = "1";
      const saved = localStorage.getItem(draftKey);
      if (saved && !box.value) setValue(box, saved);
      box.addEventListener("input", () => {
        if (box.value) localStorage.setItem(draftKey, box.value);
        else localStorage.removeItem(draftKey);
      });
      box.addEventListener("keydown", (e) => {
        if (e.key === "Enter" && !e.shiftKey) localStorage.removeItem(draftKey);
      });
      const send = box.closest('[data-testid="stChatInput"]')?.querySelector("button");
      send?.addEventListener("click", () => localStorage.removeItem(draftKey));
    }
    const idle = !doc.activeElement || doc.activeElement === doc.body;
    const notesNow = doc.querySelector(".st-key-notes_" + sid + " textarea");
    if (idle && notesNow && Date.now() - (window.sdsimNotesTypedAt || 0) < 5000) {
      // A rerun replaced the notes box while the user was typing in it: give the focus back
      // to the new box (caret at the end), not to the chat input.
      notesNow.focus();
      notesNow.setSelectionRange(notesNow.value.length, notesNow.value.length);
    } else if (box) {
      if (box.disabled) box.dataset.sdsimFocus = "1";
      if (!box.disabled && box.dataset.sdsimFocus === "1" && idle) {
        box.focus();
        box.dataset.sdsimFocus = "";
      }
    }
    const notes = doc.querySelector(".st-key-notes_" + sid + " textarea");
    if (notes && !notes.dataset.sdsimAutosave) {
      notes.dataset.sdsimAutosave = "1";
      // Also set inline: a stylesheet alone loses to Streamlit's own rule on some loads.
      notes.style.fontFamily = '"Source Code Pro", ui-monospace, "DejaVu Sans Mono", monospace';
    }
  };
  // One listener on the document, not one per box: a rerun may put a new box in place of the
  // old one, and keystrokes typed into it before a per-box listener was wired were never saved.
  if (!window.sdsimNotesAutosave) {
    window.sdsimNotesAutosave = true;
    let timer;
    doc.addEventListener("input", (e) => {
      const box = e.target;
      if (!(box instanceof HTMLTextAreaElement) || !box.closest('[class*="st-key-notes_"]')) return;
      window.sdsimNotesTypedAt = Date.now();
      clearTimeout(timer);
      timer = setTimeout(() => {
        // ask the page for the box now: it may have been replaced while the user typed
        const key = [...box.closest('[class*="st-key-notes_"]').classList]
          .find((c) => c.startsWith("st-key-notes_"));
        const current = key ? doc.querySelector("." + key + " textarea") : null;
        if (!current) return;
        const idle = !doc.activeElement || doc.activeElement === doc.body;
        if (doc.activeElement !== current && !idle) return;  // the user moved on: blur saved it
        const [start, end] = doc.activeElement === current
          ? [current.selectionStart, current.selectionEnd]
          : [current.value.length, current.value.length];
        current.focus();
        current.blur();  // Streamlit sends a text area's value when it loses the focus
        current.focus();
        current.setSelectionRange(start, end);
      }, 800);
    }, true);
  }
  clearInterval(window.sdsimInterviewPage);
  wire();
  window.sdsimInterviewPage = setInterval(wire, 300);
})();
