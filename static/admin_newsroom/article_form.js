/* The article change form: a live 字数 under the body editor, and a guard against leaving with unsaved edits.
 *
 * 字数 counts what Chinese newsrooms count: ideographs, letters and digits (Unicode letters and numbers),
 * never spaces or punctuation; the server counts the same way (articles.sanitize.char_count).
 * The guard compares the form's content with a snapshot taken once the page (and the prose editor) has loaded;
 * leaving with a difference asks first (beforeunload). Submitting the form (save, or a workflow button, which
 * also saves) never asks. Other scripts that change the form on purpose (restoring an autosave) dispatch
 * "newsroom:dirty" on the form; "newsroom:clean" makes the current content the new snapshot.
 */
(function () {
  "use strict";

  var COUNTED = /[\p{L}\p{N}]/gu;

  function countChars(text) {
    var found = (text || "").match(COUNTED);
    return found ? found.length : 0;
  }

  function snapshot(form) {
    var parts = [];
    new FormData(form).forEach(function (value, name) {
      if (name === "csrfmiddlewaretoken" || name === "_move") return;
      parts.push(name + "=" + (typeof value === "string" ? value : value.name + ":" + value.size));
    });
    return parts.join("&");
  }

  function setUpCount(form) {
    var row = form.querySelector(".field-body");
    if (!row) return;
    var out = document.createElement("p");
    out.className = "char-count";
    out.setAttribute("aria-live", "polite");
    out.innerHTML = "字数：<strong></strong>";
    var number = out.querySelector("strong");
    // Under the editor (after the field's box, before its help text).
    var box = row.querySelector(".flex-container");
    if (box) box.insertAdjacentElement("afterend", out);
    else row.appendChild(out);

    function editable() {
      return row.querySelector(".ProseMirror[contenteditable=true]");
    }
    function update() {
      var editor = editable();
      var text;
      if (editor) {
        text = editor.innerText;
      } else {
        var area = row.querySelector("textarea");
        var scratch = document.createElement("div");
        scratch.innerHTML = area ? area.value : "";
        text = scratch.textContent;
      }
      var shown = String(countChars(text));
      // Only on a change: the counter sits inside the observed row, and writing it is a mutation too.
      if (number.textContent !== shown) number.textContent = shown;
    }
    update();
    // Typing, pasting, undo and photo inserts all change the editor's DOM.
    var editorBox = row.querySelector(".prose-editor") || row;
    new MutationObserver(update).observe(editorBox, { subtree: true, childList: true, characterData: true });
  }

  function setUpGuard(form) {
    var saved = null;
    var submitting = false;
    var dirty = false;

    function take() {
      saved = snapshot(form);
      dirty = false;
    }
    window.addEventListener("load", function () {
      // The prose editor normalises its HTML once it starts: snapshot after it has.
      window.setTimeout(take, 300);
    });
    form.addEventListener("submit", function () {
      submitting = true;
    });
    form.addEventListener("newsroom:dirty", function () {
      dirty = true;
    });
    form.addEventListener("newsroom:clean", take);
    window.addEventListener("pageshow", function () {
      submitting = false;
    });
    window.addEventListener("beforeunload", function (event) {
      if (submitting || saved === null) return;
      if (dirty || snapshot(form) !== saved) {
        event.preventDefault();
        event.returnValue = "";
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("article_form");
    if (!form) return;
    setUpCount(form);
    setUpGuard(form);
  });
})();
