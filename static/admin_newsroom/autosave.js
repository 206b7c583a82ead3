/* Autosave of the article form, and the recovery offer (articles/admin/autosave.py).
 *
 * Every data-seconds (NEWSROOM_AUTOSAVE_SECONDS) and shortly after a field loses focus, the form's
 * content fields are posted as JSON to data-url, only when they changed since the last autosave (or
 * since the page loaded: opening a story must not replace an autosave still on offer). Saving the form
 * stops it; the server deletes the autosave once the save succeeds.
 *
 * The offer's 恢复这些内容 fills the form from the JSON data block #autosave-values: plain inputs, the
 * select2 autocompletes (an <option> with the label, then a jQuery change) and the prose editor's body
 * through the editor instance it announces with `prose-editor:ready` (as body_photos.js does). Nothing
 * is saved until the user clicks 保存. A static file, not inline script: the admin runs under
 * script-src 'self'.
 */
'use strict';
(function () {
    const TEXT_FIELDS = ['kicker', 'headline', 'subheadline', 'summary', 'body', 'tags'];
    const CHOICE_FIELDS = ['section', 'column', 'lead_photo'];
    const BLUR_DELAY_MS = 400; // a click on 保存 blurs the field first: let the submit cancel the autosave
    const editors = new Map();

    document.addEventListener('prose-editor:ready', function (event) {
        const textarea = event.detail && event.detail.textarea;
        if (textarea && textarea.id) {
            editors.set(textarea.id, event.detail.editor);
        }
    });

    function field(form, name) {
        const element = form.elements[name];
        return element && element.nodeType === 1 ? element : null;
    }

    function snapshot(form) {
        const fields = {};
        TEXT_FIELDS.concat(CHOICE_FIELDS).forEach(function (name) {
            const element = field(form, name);
            if (element) {
                fields[name] = element.value;
            }
        });
        const loaded = field(form, 'loaded_version');
        return JSON.stringify({fields: fields, loaded_version: loaded ? loaded.value : null});
    }

    function fire(element, type) {
        element.dispatchEvent(new Event(type, {bubbles: true}));
    }

    function setChoice(select, value) {
        const $ = window.django && window.django.jQuery;
        if (!value) {
            select.value = '';
        } else {
            const id = String(value[0]);
            let option = Array.prototype.find.call(select.options, function (o) { return o.value === id; });
            if (!option) {
                option = new Option(value[1], id, true, true);
                select.appendChild(option);
            }
            select.value = id;
        }
        if ($) {
            $(select).trigger('change'); // select2 listens to jQuery events
        } else {
            fire(select, 'change');
        }
    }

    function restore(form, values) {
        TEXT_FIELDS.forEach(function (name) {
            const element = field(form, name);
            if (!element || !(name in values)) {
                return;
            }
            element.value = values[name] || '';
            const editor = editors.get(element.id);
            if (editor) {
                editor.commands.setContent(values[name] || '', {emitUpdate: true});
            }
            fire(element, 'input');
            fire(element, 'change');
        });
        CHOICE_FIELDS.forEach(function (name) {
            const element = field(form, name);
            if (element && name in values) {
                setChoice(element, values[name]);
            }
        });
    }

    function bind() {
        const box = document.getElementById('article-autosave');
        const form = document.getElementById('article_form');
        if (!box || !form || !field(form, 'headline')) {
            return;
        }
        const status = box.querySelector('.autosave-status');
        const token = form.querySelector('[name=csrfmiddlewaretoken]');
        const seconds = Math.max(1, parseFloat(box.dataset.seconds) || 30);
        let lastSent = snapshot(form);
        let inFlight = false;
        let stopped = false;
        let blurTimer = null;

        function say(text) {
            if (status) {
                status.textContent = text;
            }
        }

        function send() {
            if (stopped || inFlight) {
                return;
            }
            const body = snapshot(form);
            if (body === lastSent) {
                return;
            }
            inFlight = true;
            fetch(box.dataset.url, {
                method: 'POST',
                credentials: 'same-origin',
                headers: {
                    'Content-Type': 'application/json',
                    'Accept': 'application/json',
                    'X-CSRFToken': token ? token.value : '',
                },
                body: body,
            })
                .then(function (response) {
                    return response.json().catch(function () { return {}; }).then(function (data) {
                        if (response.ok) {
                            lastSent = body;
                            say(data.message || '已自动保存');
                        } else if (response.status === 403 || response.status === 404) {
                            stopped = true;
                            say(data.error || '您现在不能修改这篇稿件，自动保存已停止。');
                        } else if (response.status === 413) {
                            lastSent = body; // try again once the content changes
                            say(data.error || '内容过大，未能自动保存。');
                        } else {
                            say('自动保存失败，稍后重试。');
                        }
                    });
                })
                .catch(function () {
                    say('自动保存失败（网络），稍后重试。');
                })
                .finally(function () {
                    inFlight = false;
                });
        }

        const timer = window.setInterval(send, seconds * 1000);
        form.addEventListener('focusout', function () {
            window.clearTimeout(blurTimer);
            blurTimer = window.setTimeout(send, BLUR_DELAY_MS);
        });
        form.addEventListener('submit', function () {
            // The save itself keeps the content; the server then deletes the autosave.
            stopped = true;
            window.clearInterval(timer);
            window.clearTimeout(blurTimer);
        });

        const offer = box.querySelector('.autosave-offer');
        const data = document.getElementById('autosave-values');
        if (!offer || !data) {
            return;
        }
        const values = JSON.parse(data.textContent);
        const restoreButton = offer.querySelector('[data-autosave=restore]');
        restoreButton.hidden = false;
        restoreButton.addEventListener('click', function () {
            restore(form, values);
            offer.remove();
            say('已恢复未保存的内容，请检查后点“保存”。');
        });
        const discardForm = offer.querySelector('form');
        discardForm.addEventListener('submit', function (event) {
            // Without a reload: whatever was typed meanwhile stays in the form.
            event.preventDefault();
            fetch(discardForm.action, {
                method: 'POST',
                credentials: 'same-origin',
                headers: {'Accept': 'application/json'},
                body: new FormData(discardForm),
            }).then(function (response) {
                if (response.ok) {
                    offer.remove();
                    say('已放弃自动保存的内容。');
                } else {
                    say('放弃失败，请刷新页面后再试。');
                }
            }).catch(function () {
                say('放弃失败（网络），请稍后再试。');
            });
        });
    }

    if (document.readyState === 'loading') {
        document.addEventListener('DOMContentLoaded', bind);
    } else {
        bind();
    }
})();
