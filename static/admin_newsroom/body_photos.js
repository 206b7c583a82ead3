/* Insert a library photo into the article body (django-prose-editor / Tiptap).
 *
 * The "从图片库插入图片" link opens the photo changelist in a popup through the admin's own
 * showRelatedObjectLookupPopup (RelatedObjectLookups.js); when a row is picked, the admin writes its pk into
 * the hidden input and triggers a jQuery `change`. Here we fetch the figure's data from the admin and insert a figure node at the editor's cursor.
 * The image carries the photo id in the editor's own `file` attribute (data-file), which survives the
 * editor's HTML round trip; the server rebuilds the whole figure from the id on save.
 * A static file, not inline script: the admin runs under script-src 'self'.
 */
'use strict';
(function () {
    const editors = new Map();

    document.addEventListener('prose-editor:ready', function (event) {
        const textarea = event.detail && event.detail.textarea;
        if (textarea && textarea.id) {
            editors.set(textarea.id, event.detail.editor);
        }
    });

    function setStatus(input, text) {
        const status = input.parentNode.querySelector('.body-photo-status');
        if (status) {
            status.textContent = text;
        }
    }

    function insertPhoto(input) {
        const id = String(input.value || '').trim();
        input.value = '';
        if (!/^\d+$/.test(id)) {
            return;
        }
        const editor = editors.get(input.dataset.editor);
        const link = input.parentNode.querySelector('.body-photo-pick');
        if (!editor || !link) {
            setStatus(input, '编辑器尚未就绪，请稍后再试。');
            return;
        }
        const url = link.dataset.figureUrl.replace(/\/0\/([^/]*\/?)$/, '/' + id + '/$1');
        setStatus(input, '正在插入图片……');
        fetch(url, {credentials: 'same-origin', headers: {Accept: 'application/json'}})
            .then(function (response) {
                if (!response.ok) {
                    throw new Error(String(response.status));
                }
                return response.json();
            })
            .then(function (photo) {
                const content = [{
                    type: 'image',
                    attrs: {
                        src: photo.src,
                        alt: photo.alt,
                        width: photo.width,
                        height: photo.height,
                        file: String(photo.id),
                    },
                }];
                if (photo.caption) {
                    content.push({type: 'caption', content: [{type: 'text', text: photo.caption}]});
                }
                editor.chain().focus().insertContent({type: 'figure', content: content}).run();
                setStatus(input, '已插入图片。图说和署名以图片库为准，保存时自动更新。');
            })
            .catch(function () {
                setStatus(input, '图片插入失败：图片可能已被删除，请重新选择。');
            });
    }

    function bind() {
        const $ = window.django && window.django.jQuery;
        document.querySelectorAll('.body-photo-pick').forEach(function (link) {
            link.addEventListener('click', function (event) {
                event.preventDefault();
                if (typeof window.showRelatedObjectLookupPopup === 'function') {
                    window.showRelatedObjectLookupPopup(link);
                } else {
                    window.open(link.href, link.id.replace(/^lookup_/, '') + '__1', 'height=500,width=800');
                }
            });
        });
        document.querySelectorAll('.body-photo-chosen').forEach(function (input) {
            // dismissRelatedLookupPopup fires a jQuery event, which native listeners do not see.
            if ($) {
                $(input).on('change', function () { insertPhoto(input); });
            }
            input.addEventListener('change', function () { insertPhoto(input); });
        });
    }

    if (document.readyState === 'loading') {
        document.addEventListener('DOMContentLoaded', bind);
    } else {
        bind();
    }
})();
